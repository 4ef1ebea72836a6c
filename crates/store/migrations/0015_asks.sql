-- Asks: what the place needs from its partners, each serving a mission and
-- needing a lever, optionally in one ward, sized as a quantity or in whole
-- pounds. Staff-facing: the audience is never wider than staff.
CREATE TABLE ask (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    mission_id BIGINT NOT NULL REFERENCES mission (id) ON DELETE CASCADE,
    lever TEXT NOT NULL,
    ward TEXT,
    quantity BIGINT,
    unit TEXT,
    pounds BIGINT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'withdrawn')),
    demonstration BOOLEAN NOT NULL DEFAULT FALSE,
    audience TEXT NOT NULL DEFAULT 'staff' CHECK (audience IN ('staff', 'restricted')),
    version BIGINT NOT NULL DEFAULT 1,
    -- Exactly one size: a quantity with its unit, or a value in pounds.
    CHECK ((quantity IS NOT NULL AND unit IS NOT NULL AND pounds IS NULL)
        OR (quantity IS NULL AND unit IS NULL AND pounds IS NOT NULL)),
    UNIQUE (place_id, slug)
);
CREATE INDEX ask_by_status ON ask (place_id, status);

-- Each time an ask was put to a partner, by whom, and the answer. The note
-- is private staff text.
CREATE TABLE ask_made (
    id {{ID}},
    ask_id BIGINT NOT NULL REFERENCES ask (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    asked_on TEXT NOT NULL,
    asked_by BIGINT REFERENCES account (id) ON DELETE SET NULL,
    answer TEXT NOT NULL DEFAULT 'pending'
        CHECK (answer IN ('pending', 'yes', 'no', 'maybe')),
    answered_on TEXT,
    note TEXT
);
CREATE INDEX ask_made_by_ask ON ask_made (ask_id);
-- Ask fatigue reads the latest ask to each organisation.
CREATE INDEX ask_made_by_organisation ON ask_made (organisation_id, asked_on);
