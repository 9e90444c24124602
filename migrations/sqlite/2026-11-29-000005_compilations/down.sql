DROP TABLE compilation_entries;
DROP TABLE compilations;
