DROP TABLE assessment_events;
DROP TABLE assessment_versions;
DROP TABLE assessments;
