-- One schema for both backends. {{ID}} and {{AUDIENCE}} are replaced per
-- dialect at start-up (see src/migrations.rs); everything else is shared SQL.

CREATE TABLE place (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    convening_organisation TEXT NOT NULL,
    description TEXT,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    audience {{AUDIENCE}}
);

CREATE TABLE organisation (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_band TEXT,
    scope TEXT,
    is_anchor BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT,
    website TEXT,
    internal_notes TEXT,
    audience {{AUDIENCE}},
    UNIQUE (place_id, slug)
);
CREATE INDEX organisation_by_name ON organisation (place_id, name);
CREATE INDEX organisation_by_kind ON organisation (place_id, kind);

CREATE TABLE organisation_ward (
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    ward TEXT NOT NULL,
    PRIMARY KEY (organisation_id, ward)
);
CREATE INDEX organisation_ward_by_ward ON organisation_ward (ward);

CREATE TABLE organisation_identifier (
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    identifier TEXT NOT NULL,
    PRIMARY KEY (organisation_id, identifier)
);

CREATE TABLE organisation_lever (
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    lever TEXT NOT NULL,
    hardness TEXT,
    reach TEXT,
    detail TEXT,
    PRIMARY KEY (organisation_id, lever)
);
CREATE INDEX organisation_lever_by_lever ON organisation_lever (lever);

CREATE TABLE outcome_theme (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    is_core BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL DEFAULT 0,
    audience {{AUDIENCE}},
    UNIQUE (place_id, slug)
);

CREATE TABLE mission (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    short_name TEXT NOT NULL,
    statement TEXT NOT NULL,
    target_year INTEGER,
    position INTEGER NOT NULL DEFAULT 0,
    audience {{AUDIENCE}},
    UNIQUE (place_id, slug)
);

CREATE TABLE mission_theme (
    mission_id BIGINT NOT NULL REFERENCES mission (id) ON DELETE CASCADE,
    outcome_theme_id BIGINT NOT NULL REFERENCES outcome_theme (id) ON DELETE CASCADE,
    PRIMARY KEY (mission_id, outcome_theme_id)
);

CREATE TABLE role (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    ask_of_partner TEXT NOT NULL,
    value_for_place TEXT NOT NULL,
    value_for_partner TEXT NOT NULL,
    contact TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    audience {{AUDIENCE}},
    UNIQUE (place_id, slug)
);

CREATE TABLE initiative (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    website TEXT,
    audience {{AUDIENCE}},
    UNIQUE (place_id, slug)
);

CREATE TABLE initiative_mission (
    initiative_id BIGINT NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    mission_id BIGINT NOT NULL REFERENCES mission (id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, mission_id)
);
CREATE INDEX initiative_mission_by_mission ON initiative_mission (mission_id);

CREATE TABLE initiative_participant (
    initiative_id BIGINT NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    role TEXT,
    PRIMARY KEY (initiative_id, organisation_id)
);
CREATE INDEX initiative_participant_by_organisation ON initiative_participant (organisation_id);

CREATE TABLE commitment (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    role_id BIGINT REFERENCES role (id) ON DELETE SET NULL,
    mission_id BIGINT REFERENCES mission (id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    note TEXT,
    demonstration BOOLEAN NOT NULL DEFAULT FALSE,
    audience {{AUDIENCE}}
);
CREATE INDEX commitment_by_organisation ON commitment (organisation_id);
CREATE INDEX commitment_by_mission ON commitment (mission_id);
