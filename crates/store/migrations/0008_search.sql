-- Site search. One row per searchable record (its name as `title`, its
-- prose as `body`, the terms it is filed under as `keywords`), holding only the text of the
-- record's own audience (never a field narrower than its record), kept by
-- the store in the same transaction as the record's write (`store::search`).
-- Each row points at its record with a cascading key, so deleting or
-- erasing a record removes its text from the index in the same statement.
CREATE TABLE search_document (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    keywords TEXT NOT NULL DEFAULT '',
    audience {{AUDIENCE}},
    organisation_id BIGINT REFERENCES organisation (id) ON DELETE CASCADE,
    initiative_id BIGINT REFERENCES initiative (id) ON DELETE CASCADE,
    mission_id BIGINT REFERENCES mission (id) ON DELETE CASCADE,
    role_id BIGINT REFERENCES role (id) ON DELETE CASCADE,
    contact_id BIGINT REFERENCES contact (id) ON DELETE CASCADE
);
CREATE INDEX search_document_by_place ON search_document (place_id, kind);
CREATE UNIQUE INDEX search_document_organisation ON search_document (organisation_id);
CREATE UNIQUE INDEX search_document_initiative ON search_document (initiative_id);
CREATE UNIQUE INDEX search_document_mission ON search_document (mission_id);
CREATE UNIQUE INDEX search_document_role ON search_document (role_id);
CREATE UNIQUE INDEX search_document_contact ON search_document (contact_id);
{{FULL_TEXT search_document}}
