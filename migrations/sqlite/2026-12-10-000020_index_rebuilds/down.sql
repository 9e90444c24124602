DROP TABLE index_rebuilds;
