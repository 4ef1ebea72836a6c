-- Enquiries from the public ("Express interest"): personal data, kept with
-- a lawful basis and a retention date like contacts, staff-only, deleted by
-- the retention job, shown by subject access and erased by erasure.
CREATE TABLE enquiry (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    reference TEXT NOT NULL UNIQUE,
    organisation_name TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    role_id BIGINT REFERENCES role (id) ON DELETE SET NULL,
    mission_id BIGINT REFERENCES mission (id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'triaged', 'declined')),
    note TEXT,
    relationship_id BIGINT REFERENCES relationship (id) ON DELETE SET NULL,
    lawful_basis TEXT NOT NULL,
    retention TEXT NOT NULL,
    retain_until BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    demonstration BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX enquiry_by_place ON enquiry (place_id, status, received_at);
CREATE INDEX enquiry_by_email ON enquiry (email);
CREATE INDEX enquiry_by_retention ON enquiry (retain_until);

-- The rate limit's bookkeeping: one row per submission, by client address,
-- forgotten after a day.
CREATE TABLE enquiry_attempt (
    id {{ID}},
    client TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX enquiry_attempt_by_client ON enquiry_attempt (client, at);
