-- Interactions with partners (meetings, calls, emails, roundtables, events),
-- the staff who took part and the follow-up actions agreed. Staff-facing:
-- the audience is never wider than staff; the summary is private.
CREATE TABLE interaction (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    summary TEXT,
    outcomes TEXT,
    demonstration BOOLEAN NOT NULL DEFAULT FALSE,
    audience TEXT NOT NULL DEFAULT 'staff' CHECK (audience IN ('staff', 'restricted')),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX interaction_by_organisation ON interaction (organisation_id, occurred_on);

-- An erased account no longer appears among those who took part.
CREATE TABLE interaction_staff (
    interaction_id BIGINT NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, account_id)
);
CREATE INDEX interaction_staff_by_account ON interaction_staff (account_id);

CREATE TABLE follow_up (
    id {{ID}},
    interaction_id BIGINT NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    owner_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    due_on TEXT,
    done BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX follow_up_by_interaction ON follow_up (interaction_id);
CREATE INDEX follow_up_by_owner ON follow_up (owner_id, done);
