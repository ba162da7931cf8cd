-- 0001: the first schema. Times are INTEGER microseconds since the epoch (UTC);
-- NULL means "not yet" (revoked_at, rotated_at, ...). Tables are STRICT, so a
-- value of the wrong type is an error instead of being stored as it comes.

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE, -- normalized by the domain (trimmed, lower case)
	name          TEXT NOT NULL,
	password_hash TEXT NOT NULL,        -- PHC string
	roles         TEXT NOT NULL,        -- JSON array of strings
	disabled      INTEGER NOT NULL CHECK (disabled IN (0, 1)),
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
	id              TEXT PRIMARY KEY,
	user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	client_id       TEXT NOT NULL,
	scope           TEXT NOT NULL,
	user_agent      TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	last_used_at    INTEGER NOT NULL,
	idle_expires_at INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	auth_time       INTEGER NOT NULL,
	revoked_at      INTEGER
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id, created_at);

-- One row per refresh token ever issued, current or rotated, until its
-- session is purged: a rotated token must stay to be recognised on reuse.
CREATE TABLE refresh_tokens (
	hash        BLOB PRIMARY KEY CHECK (length(hash) = 32), -- SHA-256 of the token
	session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	client_id   TEXT NOT NULL,
	parent      BLOB,
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL,
	rotated_at  INTEGER,
	replaced_by BLOB
) STRICT, WITHOUT ROWID;

CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

-- AUTOINCREMENT: cursors are never reused, even after a purge, and
-- sqlite_sequence remembers the latest one assigned. Writes are serialised,
-- so cursor order is commit order.
CREATE TABLE revocations (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	kind          TEXT NOT NULL CHECK (kind IN ('jti', 'sid', 'sub')),
	value         TEXT NOT NULL,
	issued_before INTEGER, -- 'sub' only: tokens issued before it are refused
	expires_at    INTEGER NOT NULL,
	created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX revocations_by_expiry ON revocations (expires_at);

CREATE TABLE signing_keys (
	kid               TEXT PRIMARY KEY,
	algorithm         TEXT NOT NULL,
	state             TEXT NOT NULL CHECK (state IN ('next', 'current', 'retired')),
	public_jwk        BLOB,
	encrypted_private BLOB NOT NULL,
	master_key_id     TEXT NOT NULL,
	created_at        INTEGER NOT NULL,
	activated_at      INTEGER,
	retired_at        INTEGER,
	delete_after      INTEGER
) STRICT;

-- One current and one next key per algorithm, at most.
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (algorithm) WHERE state = 'current';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (algorithm) WHERE state = 'next';

CREATE TABLE throttles (
	scope        TEXT NOT NULL CHECK (scope IN ('account', 'address')),
	throttle_key TEXT NOT NULL,
	failures     INTEGER NOT NULL,
	window_start INTEGER,
	locked_until INTEGER,
	lockouts     INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	PRIMARY KEY (scope, throttle_key)
) STRICT, WITHOUT ROWID;
