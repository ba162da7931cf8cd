-- 0001: the first schema. Times are timestamptz (microseconds, as PostgreSQL
-- keeps them); NULL means "not yet" (revoked_at, rotated_at, ...). Columns
-- that are ordered or compared as keys use the "C" collation: byte order,
-- the same in every database whatever its locale, and the same as SQLite's.

CREATE TABLE users (
	id            text COLLATE "C" PRIMARY KEY,
	email         text COLLATE "C" NOT NULL UNIQUE, -- normalized by the domain (trimmed, lower case)
	name          text NOT NULL,
	password_hash text NOT NULL,                    -- PHC string
	roles         text[] NOT NULL,
	disabled      boolean NOT NULL,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL
);

CREATE TABLE sessions (
	id              text COLLATE "C" PRIMARY KEY,
	user_id         text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	client_id       text NOT NULL,
	scope           text NOT NULL,
	user_agent      text NOT NULL,
	created_at      timestamptz NOT NULL,
	last_used_at    timestamptz NOT NULL,
	idle_expires_at timestamptz NOT NULL,
	expires_at      timestamptz NOT NULL,
	auth_time       timestamptz NOT NULL,
	revoked_at      timestamptz
);

CREATE INDEX sessions_by_user ON sessions (user_id, created_at);

-- One row per refresh token ever issued, current or rotated, until its
-- session is purged: a rotated token must stay to be recognised on reuse.
CREATE TABLE refresh_tokens (
	hash        bytea PRIMARY KEY CHECK (octet_length(hash) = 32), -- SHA-256 of the token
	session_id  text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	client_id   text NOT NULL,
	parent      bytea,
	created_at  timestamptz NOT NULL,
	expires_at  timestamptz NOT NULL,
	rotated_at  timestamptz,
	replaced_by bytea
);

CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

-- The revocation feed. seq is the cursor. It does not come from a sequence:
-- sequence values are handed out when a row is inserted, not when its
-- transaction commits, so an entry could become visible after a follower has
-- already read a larger cursor, and be missed. Cursors come instead from the
-- single row of revocation_cursor, updated (and so locked until commit) by
-- every transaction that writes entries: those transactions commit one after
-- the other, in cursor order. See doc.go.
CREATE TABLE revocations (
	seq           bigint PRIMARY KEY,
	kind          text NOT NULL CHECK (kind IN ('jti', 'sid', 'sub')),
	value         text NOT NULL,
	issued_before timestamptz, -- 'sub' only: tokens issued before it are refused
	expires_at    timestamptz NOT NULL,
	created_at    timestamptz NOT NULL,
	CHECK ((kind = 'sub') = (issued_before IS NOT NULL))
);

CREATE INDEX revocations_by_expiry ON revocations (expires_at);

-- The latest cursor ever assigned, purged or not: one row.
CREATE TABLE revocation_cursor (
	one    boolean PRIMARY KEY DEFAULT true CHECK (one),
	latest bigint NOT NULL CHECK (latest >= 0)
);

INSERT INTO revocation_cursor (one, latest) VALUES (true, 0);

CREATE TABLE signing_keys (
	kid               text COLLATE "C" PRIMARY KEY,
	algorithm         text COLLATE "C" NOT NULL,
	state             text NOT NULL CHECK (state IN ('next', 'current', 'retired')),
	public_jwk        bytea,
	encrypted_private bytea NOT NULL CHECK (octet_length(encrypted_private) > 0),
	master_key_id     text NOT NULL,
	created_at        timestamptz NOT NULL,
	activated_at      timestamptz,
	retired_at        timestamptz,
	delete_after      timestamptz
);

-- One current and one next key per algorithm, at most.
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (algorithm) WHERE state = 'current';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (algorithm) WHERE state = 'next';

-- Login throttles, shared by every instance.
CREATE TABLE throttles (
	scope        text NOT NULL CHECK (scope IN ('account', 'address')),
	throttle_key text COLLATE "C" NOT NULL,
	failures     integer NOT NULL,
	window_start timestamptz,
	locked_until timestamptz,
	lockouts     integer NOT NULL,
	updated_at   timestamptz NOT NULL,
	PRIMARY KEY (scope, throttle_key)
);
