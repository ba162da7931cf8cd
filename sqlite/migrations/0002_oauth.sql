-- 0002: the OpenID provider. Clients, authorization codes, consents and
-- browser (single sign-on) sessions. Lists are JSON arrays of strings, as
-- users.roles. Only hashes of codes and cookies are stored; a client's
-- secret only as a keyed hash.

CREATE TABLE clients (
	id                        TEXT PRIMARY KEY,
	name                      TEXT NOT NULL,
	secret_hash               BLOB CHECK (secret_hash IS NULL OR length(secret_hash) = 32),
	secret_key_id             TEXT NOT NULL, -- '' for a public client
	redirect_uris             TEXT NOT NULL,
	post_logout_redirect_uris TEXT NOT NULL,
	grant_types               TEXT NOT NULL,
	scopes                    TEXT NOT NULL,
	audiences                 TEXT NOT NULL,
	id_token_alg              TEXT NOT NULL,
	created_at                INTEGER NOT NULL,
	updated_at                INTEGER NOT NULL
) STRICT;

-- A used code stays until it expires, so a replay is recognised.
CREATE TABLE auth_codes (
	hash           BLOB PRIMARY KEY CHECK (length(hash) = 32), -- SHA-256 of the code
	client_id      TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	redirect_uri   TEXT NOT NULL,
	scope          TEXT NOT NULL,
	nonce          TEXT NOT NULL,
	code_challenge TEXT NOT NULL,
	auth_time      INTEGER NOT NULL,
	created_at     INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	used_at        INTEGER,
	session_id     TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX auth_codes_by_expiry ON auth_codes (expires_at);

CREATE TABLE consents (
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	client_id  TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	scopes     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, client_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE browser_sessions (
	hash       BLOB PRIMARY KEY CHECK (length(hash) = 32), -- SHA-256 of the cookie value
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	auth_time  INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX browser_sessions_by_user ON browser_sessions (user_id);
CREATE INDEX browser_sessions_by_expiry ON browser_sessions (expires_at);

-- Ending every session of a client (its removal, a revoked consent).
CREATE INDEX sessions_by_client ON sessions (client_id, user_id);
