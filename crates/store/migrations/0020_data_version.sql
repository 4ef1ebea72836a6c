-- The data version: one row (id 1) that every audited write increments
-- in its own transaction, holding the row's lock until it commits. Writers
-- are so ordered, and a reader that sees version n sees every write up to
-- n. (The newest audit line's id was used before: ids come from a
-- sequence, and on PostgreSQL two writes can commit in the other order.)
-- No row yet means version 0; `copy` carries the row over.
CREATE TABLE data_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
