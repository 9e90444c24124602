-- Tokens issued before this moment (milliseconds since the epoch: a token
-- issued earlier in the same second must end too) are no longer honoured:
-- set when the password changes and when the account is disabled, so that
-- re-enabling revives none of them.
ALTER TABLE users ADD COLUMN tokens_valid_after BIGINT;
-- What a password link (an invitation, a reset) names: replaced when a
-- link is sent and when the password is set, so that a link works once
-- and only the newest one works.
ALTER TABLE users ADD COLUMN link_nonce TEXT NOT NULL DEFAULT '';
