DROP TABLE practice_translations;
