-- When each public record was last changed (Unix seconds; set by every
-- insert and every versioned update) and where its facts come from, where
-- that is recorded. Records written before this migration have no date
-- until their next change.
ALTER TABLE organisation ADD COLUMN updated_at BIGINT;
ALTER TABLE organisation ADD COLUMN source TEXT;
ALTER TABLE mission ADD COLUMN updated_at BIGINT;
ALTER TABLE mission ADD COLUMN source TEXT;
ALTER TABLE role ADD COLUMN updated_at BIGINT;
ALTER TABLE role ADD COLUMN source TEXT;
ALTER TABLE initiative ADD COLUMN updated_at BIGINT;
ALTER TABLE initiative ADD COLUMN source TEXT;
ALTER TABLE outcome_theme ADD COLUMN updated_at BIGINT;
ALTER TABLE commitment ADD COLUMN updated_at BIGINT;
