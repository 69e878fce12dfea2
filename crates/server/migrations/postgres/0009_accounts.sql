-- Accounts administration: several roles per person (need-to-know), account state, the
-- holder's language, a version for concurrent edits, and one-time invitations.

-- A person holds any of: coordinator (reads and handles reports), admin (configures, manages
-- accounts; reads no report unless also coordinator), analyst (statistics), responder
-- (risk-flag look-ups).
CREATE TABLE user_roles (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('coordinator', 'admin', 'analyst', 'responder')),
    PRIMARY KEY (user_id, role)
);
CREATE INDEX user_roles_role ON user_roles (role);
INSERT INTO user_roles (user_id, role) SELECT id, role FROM users;
-- Until now an administrator also handled reports: they keep doing so.
INSERT INTO user_roles (user_id, role) SELECT id, 'coordinator' FROM users WHERE role = 'admin';
ALTER TABLE users DROP COLUMN role;

-- active: may sign in; invited: has not accepted its invitation yet (no password);
-- disabled: may not sign in (also every deleted, i.e. pseudonymised, account).
ALTER TABLE users ADD COLUMN state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'invited', 'disabled'));
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en'));
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
ALTER TABLE users ADD COLUMN deleted_at BIGINT;

-- One-time invitations: only a SHA-256 of the token is stored.
CREATE TABLE invitations (
    token_hash TEXT    PRIMARY KEY,
    user_id    UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by UUID    REFERENCES users (id),
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    used_at    BIGINT,
    revoked_at BIGINT
);
CREATE INDEX invitations_user_id ON invitations (user_id);
