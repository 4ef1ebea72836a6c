-- Relationships between a place's convening organisation and each partner
-- (one per partner), the staff accounts that own them, the missions they
-- serve and the dated history of their stages. Staff-facing: the audience
-- is never wider than staff.
CREATE TABLE relationship (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    formality TEXT NOT NULL,
    health TEXT,
    health_reason TEXT,
    sensitivities TEXT,
    demonstration BOOLEAN NOT NULL DEFAULT FALSE,
    audience TEXT NOT NULL DEFAULT 'staff' CHECK (audience IN ('staff', 'restricted')),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT,
    UNIQUE (place_id, organisation_id)
);
CREATE INDEX relationship_by_stage ON relationship (place_id, stage);

-- An erased or removed account is no longer anyone's owner.
CREATE TABLE relationship_owner (
    relationship_id BIGINT NOT NULL REFERENCES relationship (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (relationship_id, account_id)
);
CREATE INDEX relationship_owner_by_account ON relationship_owner (account_id);

CREATE TABLE relationship_mission (
    relationship_id BIGINT NOT NULL REFERENCES relationship (id) ON DELETE CASCADE,
    mission_id BIGINT NOT NULL REFERENCES mission (id) ON DELETE CASCADE,
    PRIMARY KEY (relationship_id, mission_id)
);

-- Each stage reached, in order; `changed_on` is an ISO date.
CREATE TABLE relationship_stage (
    id {{ID}},
    relationship_id BIGINT NOT NULL REFERENCES relationship (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    changed_on TEXT NOT NULL,
    account_id BIGINT REFERENCES account (id) ON DELETE SET NULL
);
CREATE INDEX relationship_stage_by_relationship ON relationship_stage (relationship_id);
