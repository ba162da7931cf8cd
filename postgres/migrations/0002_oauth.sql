-- 0002: the OpenID provider. Clients, authorization codes, consents and
-- browser (single sign-on) sessions. Only hashes of codes and cookies are
-- stored; a client's secret only as a keyed hash.

CREATE TABLE clients (
	id                        text COLLATE "C" PRIMARY KEY,
	name                      text NOT NULL,
	secret_hash               bytea CHECK (secret_hash IS NULL OR octet_length(secret_hash) = 32),
	secret_key_id             text NOT NULL, -- '' for a public client
	redirect_uris             text[] NOT NULL,
	post_logout_redirect_uris text[] NOT NULL,
	grant_types               text[] NOT NULL,
	scopes                    text[] NOT NULL,
	audiences                 text[] NOT NULL,
	id_token_alg              text NOT NULL,
	created_at                timestamptz NOT NULL,
	updated_at                timestamptz NOT NULL
);

-- A used code stays until it expires, so a replay is recognised.
CREATE TABLE auth_codes (
	hash           bytea PRIMARY KEY CHECK (octet_length(hash) = 32), -- SHA-256 of the code
	client_id      text COLLATE "C" NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	user_id        text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	redirect_uri   text NOT NULL,
	scope          text NOT NULL,
	nonce          text NOT NULL,
	code_challenge text NOT NULL,
	auth_time      timestamptz NOT NULL,
	created_at     timestamptz NOT NULL,
	expires_at     timestamptz NOT NULL,
	used_at        timestamptz,
	session_id     text COLLATE "C"
);

CREATE INDEX auth_codes_by_expiry ON auth_codes (expires_at);
CREATE INDEX auth_codes_by_client ON auth_codes (client_id);
CREATE INDEX auth_codes_by_user ON auth_codes (user_id);

CREATE TABLE consents (
	user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	client_id  text COLLATE "C" NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	scopes     text[] NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	PRIMARY KEY (user_id, client_id)
);

CREATE INDEX consents_by_client ON consents (client_id);

CREATE TABLE browser_sessions (
	hash       bytea PRIMARY KEY CHECK (octet_length(hash) = 32), -- SHA-256 of the cookie value
	user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	auth_time  timestamptz NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);

CREATE INDEX browser_sessions_by_user ON browser_sessions (user_id);
CREATE INDEX browser_sessions_by_expiry ON browser_sessions (expires_at);

-- Ending every session of a client (its removal, a revoked consent).
CREATE INDEX sessions_by_client ON sessions (client_id, user_id);
