-- An answer to an ask is changed only at the version read (two people
-- recording answers at once: the second is told, not lost).
ALTER TABLE ask_made ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
