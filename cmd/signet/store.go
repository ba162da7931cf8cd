package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/sqlite"
)

// openStore opens the database named by --db / SIGNET_DATABASE_URL.
func openStore(ctx context.Context, c *Config) (signet.Store, error) {
	switch {
	case strings.HasPrefix(c.DatabaseURL, "sqlite:"):
		path := strings.TrimPrefix(c.DatabaseURL, "sqlite:")
		if path == "" {
			return nil, errors.New("--db sqlite: needs a file path, e.g. sqlite:signet.db")
		}
		s, err := sqlite.Open(ctx, path, sqlite.Options{Durable: c.SQLiteDurable})
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		return s, nil
	case strings.HasPrefix(c.DatabaseURL, "postgres://"), strings.HasPrefix(c.DatabaseURL, "postgresql://"):
		return nil, errors.New("PostgreSQL is not supported by this build yet; use --db sqlite:PATH")
	}
	return nil, fmt.Errorf("--db %q: want sqlite:PATH or postgres://…", redactURL(c.DatabaseURL))
}

// redactURL drops a password from a database URL before it is shown.
func redactURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if user, _, hasPw := strings.Cut(rest[:at], ":"); hasPw {
			return scheme + "://" + user + ":***" + rest[at:]
		}
	}
	return u
}

// loadMasterKey returns the keyring for private keys at rest: from
// SIGNET_MASTER_KEY (base64 of 32 random bytes), or, in development only,
// from a 0600 file created on first use, with a warning.
func loadMasterKey(env *Env, c *Config, log *slog.Logger) (*keys.Keyring, error) {
	if v := env.Getenv("SIGNET_MASTER_KEY"); v != "" {
		mk, err := keys.ParseMasterKey(v)
		if err != nil {
			return nil, fmt.Errorf("SIGNET_MASTER_KEY: %w", err)
		}
		return keys.NewKeyring(mk)
	}
	if c.Production {
		return nil, errors.New("production mode needs SIGNET_MASTER_KEY (32 random bytes, base64); generate one with: head -c 32 /dev/urandom | base64")
	}
	mk, created, err := keys.LoadOrCreateMasterKeyFile(c.MasterKeyFile)
	if err != nil {
		return nil, err
	}
	if created {
		log.Warn("generated a development master key file; set SIGNET_MASTER_KEY in production and keep this file secret",
			"file", c.MasterKeyFile, "master_key_id", mk.ID)
	}
	return keys.NewKeyring(mk)
}
