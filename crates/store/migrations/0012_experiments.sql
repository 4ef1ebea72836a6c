-- Experiments: mission-aligned prototypes, the missions they serve, the
-- levers they test, the partners taking part (each with its part), and a
-- dated learning log. The decision (adjust, invest, scale, stop) is kept on
-- the experiment itself with its reason and date.
CREATE TABLE experiment (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    hypothesis TEXT,
    mechanism TEXT NOT NULL,
    scale TEXT,
    budget BIGINT,
    start_date TEXT,
    end_date TEXT,
    status TEXT NOT NULL,
    decision TEXT,
    decision_reason TEXT,
    decision_date TEXT,
    demonstration BOOLEAN NOT NULL DEFAULT FALSE,
    audience {{AUDIENCE}},
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT,
    UNIQUE (place_id, slug)
);
CREATE INDEX experiment_by_status ON experiment (place_id, status, name);

CREATE TABLE experiment_mission (
    experiment_id BIGINT NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    mission_id BIGINT NOT NULL REFERENCES mission (id) ON DELETE CASCADE,
    PRIMARY KEY (experiment_id, mission_id)
);
CREATE INDEX experiment_mission_by_mission ON experiment_mission (mission_id);

-- A lever is a term of the place's lever vocabulary (its slug).
CREATE TABLE experiment_lever (
    experiment_id BIGINT NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    lever TEXT NOT NULL,
    PRIMARY KEY (experiment_id, lever)
);
CREATE INDEX experiment_lever_by_lever ON experiment_lever (lever);

CREATE TABLE experiment_partner (
    experiment_id BIGINT NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    part TEXT,
    PRIMARY KEY (experiment_id, organisation_id)
);
CREATE INDEX experiment_partner_by_organisation ON experiment_partner (organisation_id);

-- What was learnt, and when. The author is an account; an erased account
-- leaves the entry without one.
CREATE TABLE experiment_learning (
    id {{ID}},
    experiment_id BIGINT NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    entry_date TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT REFERENCES account (id) ON DELETE SET NULL
);
CREATE INDEX experiment_learning_by_experiment ON experiment_learning (experiment_id, entry_date);

-- Experiments are found by site search like initiatives. No foreign key:
-- `copy` relies on every key pointing to a table created earlier, and
-- search_document is older than experiment. Experiments are never deleted
-- on their own; a place's deletion removes both through `place_id`.
ALTER TABLE search_document ADD COLUMN experiment_id BIGINT;
CREATE UNIQUE INDEX search_document_experiment ON search_document (experiment_id);

-- A mission's progress against its target year, as decided by people and
-- never inferred: on-track, at-risk, achieved or not-achieved, who decided
-- (a body or person, as text) and when, and a short note.
ALTER TABLE mission ADD COLUMN progress TEXT;
ALTER TABLE mission ADD COLUMN progress_decided_by TEXT;
ALTER TABLE mission ADD COLUMN progress_decided_at TEXT;
ALTER TABLE mission ADD COLUMN progress_note TEXT;
