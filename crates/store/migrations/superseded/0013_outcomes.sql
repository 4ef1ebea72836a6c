-- The outcomes framework below its themes: signals (what would show a
-- theme is improving), the measures of each signal and their values over
-- time, city-wide (ward '') or per ward. Public by default.
CREATE TABLE outcome_signal (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES outcome_theme (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    audience {{AUDIENCE}},
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT,
    UNIQUE (place_id, slug)
);
CREATE INDEX outcome_signal_by_theme ON outcome_signal (theme_id);

CREATE TABLE measure (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    signal_id BIGINT NOT NULL REFERENCES outcome_signal (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    source TEXT,
    source_url TEXT,
    licence TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    audience {{AUDIENCE}},
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT,
    UNIQUE (place_id, slug)
);
CREATE INDEX measure_by_signal ON measure (signal_id);

-- `value` keeps the decimal exactly as entered (so a file round-trips);
-- `ward` is '' for the whole place.
CREATE TABLE measure_value (
    id {{ID}},
    measure_id BIGINT NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    ward TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    note TEXT,
    UNIQUE (measure_id, year, ward)
);
