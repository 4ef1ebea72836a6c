-- "Forgotten your password?": accounts whose holders asked for a new
-- password, for an administrator to send them a one-time link. Only known
-- accounts are recorded (the person is told the same either way), and a
-- request goes with its account when the account is erased.
CREATE TABLE password_reset_request (
    account_id BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    requested_at BIGINT NOT NULL
);
