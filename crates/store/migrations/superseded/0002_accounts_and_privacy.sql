-- Accounts, sessions, invitations, sign-in throttling, contacts, the audit
-- log, and a version on every editable record (for lost-update checks).

ALTER TABLE organisation ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE mission ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE role ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE commitment ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE initiative ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE account (
    id {{ID}},
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'partner')),
    organisation_id BIGINT REFERENCES organisation (id) ON DELETE SET NULL,
    password_hash TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

-- Only a hash of the session id is stored: a copy of the database cannot
-- be used to take over sessions.
CREATE TABLE session (
    id_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX session_by_account ON session (account_id);

CREATE TABLE invite (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE sign_in_failure (
    id {{ID}},
    email TEXT NOT NULL,
    client TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failure_by_email ON sign_in_failure (email, at);
CREATE INDEX sign_in_failure_by_client ON sign_in_failure (client, at);

CREATE TABLE contact (
    id {{ID}},
    place_id BIGINT NOT NULL REFERENCES place (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    job_title TEXT,
    email TEXT,
    phone TEXT,
    lawful_basis TEXT NOT NULL,
    retention TEXT NOT NULL,
    retain_until BIGINT NOT NULL,
    owner_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    audience TEXT NOT NULL DEFAULT 'staff' CHECK (audience IN ('staff', 'restricted')),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX contact_by_organisation ON contact (organisation_id);
CREATE INDEX contact_by_email ON contact (email);

-- Append-only: the database itself refuses to change or remove a row.
CREATE TABLE audit_event (
    id {{ID}},
    at BIGINT NOT NULL,
    actor_account_id BIGINT,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT,
    detail TEXT
);
CREATE INDEX audit_event_by_record ON audit_event (record_type, record_id);
CREATE INDEX audit_event_by_actor ON audit_event (actor_account_id);

{{APPEND_ONLY audit_event}}
