DROP TABLE admin_audit;
DROP TABLE api_tokens;
DROP TABLE users;
