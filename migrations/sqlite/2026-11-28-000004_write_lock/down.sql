DROP TABLE write_lock;
