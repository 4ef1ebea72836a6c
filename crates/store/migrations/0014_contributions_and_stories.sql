-- Contributions: what a partner did for a mission, measured. A quantity is
-- a whole number in its unit (count, hours or GBP); the unit is kept beside
-- it so that roll-ups group by measure and unit and never add unlike units.
CREATE TABLE contribution (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    mission_id BIGINT NOT NULL REFERENCES mission (id) ON DELETE CASCADE,
    theme_id BIGINT REFERENCES outcome_theme (id) ON DELETE SET NULL,
    measure TEXT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('count', 'hours', 'gbp')),
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    description TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    ward TEXT,
    evidence_url TEXT,
    demonstration BOOLEAN NOT NULL DEFAULT FALSE,
    audience {{AUDIENCE}},
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX contribution_by_place ON contribution (place_id, end_date);
CREATE INDEX contribution_by_organisation ON contribution (organisation_id, end_date);
CREATE INDEX contribution_by_mission ON contribution (mission_id, end_date);
