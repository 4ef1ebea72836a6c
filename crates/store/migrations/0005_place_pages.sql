-- A place's required pages (accessibility statement, privacy notice,
-- cookies, contact) as its administrators wrote them. A page without a row
-- shows its default text, written from the place's names; the first edit
-- inserts the row at version 1.
CREATE TABLE place_page (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    page TEXT NOT NULL CHECK (page IN ('accessibility', 'privacy', 'cookies', 'contact')),
    body TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    UNIQUE (place_id, page)
);
