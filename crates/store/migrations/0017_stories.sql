-- Stories: a qualitative account crediting partners by name, linked to
-- missions and outcome themes. A draft is for staff whatever its audience;
-- `published_on` is the date staff first published it. The consent record
-- (who gave it, when, and the uses consented to as a comma-separated list
-- of the ConsentUse vocabulary's slugs) names a person: staff only.
CREATE TABLE story (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    published_on TEXT,
    consent_given_by TEXT,
    consent_given_on TEXT,
    consent_uses TEXT,
    demonstration BOOLEAN NOT NULL DEFAULT FALSE,
    audience {{AUDIENCE}},
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT,
    UNIQUE (place_id, slug)
);
CREATE INDEX story_by_published ON story (place_id, status, published_on);

CREATE TABLE story_mission (
    story_id BIGINT NOT NULL REFERENCES story (id) ON DELETE CASCADE,
    mission_id BIGINT NOT NULL REFERENCES mission (id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, mission_id)
);
CREATE INDEX story_mission_by_mission ON story_mission (mission_id);

CREATE TABLE story_theme (
    story_id BIGINT NOT NULL REFERENCES story (id) ON DELETE CASCADE,
    outcome_theme_id BIGINT NOT NULL REFERENCES outcome_theme (id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, outcome_theme_id)
);
CREATE INDEX story_theme_by_theme ON story_theme (outcome_theme_id);

-- The partners credited, each optionally with what for.
CREATE TABLE story_partner (
    story_id BIGINT NOT NULL REFERENCES story (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    credit TEXT,
    PRIMARY KEY (story_id, organisation_id)
);
CREATE INDEX story_partner_by_organisation ON story_partner (organisation_id);

-- Found by site search like experiments (no foreign key, for the same
-- reason: `copy` needs keys to point at tables created earlier).
ALTER TABLE search_document ADD COLUMN story_id BIGINT;
CREATE UNIQUE INDEX search_document_story ON search_document (story_id);
