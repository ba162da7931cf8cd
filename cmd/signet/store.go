package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/postgres"
	"github.com/signet-dev/signet/sqlite"
)

// openStore opens the database named by --db / SIGNET_DATABASE_URL: a
// SQLite file, or a PostgreSQL database. Both migrate their schema unless
// --skip-migrations asks PostgreSQL to check it instead (SQLite, one process
// per file, always migrates).
func openStore(ctx context.Context, c *Config, log *slog.Logger) (signet.Store, error) {
	return openDatabase(ctx, "--db", c.DatabaseURL, c, log)
}

// openDatabase opens url, named flag in messages.
func openDatabase(ctx context.Context, flag, url string, c *Config, log *slog.Logger) (signet.Store, error) {
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("%s sqlite: needs a file path, e.g. sqlite:signet.db", flag)
		}
		s, err := sqlite.Open(ctx, path, sqlite.Options{Durable: c.SQLiteDurable, CacheKiB: c.SQLiteCacheKiB})
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		return s, nil
	case isPostgresURL(url):
		s, err := postgres.Open(ctx, url, postgres.Options{SkipMigrations: c.SkipMigrations, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", redactURL(url), err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("%s %q: want sqlite:PATH or postgres://…", flag, redactURL(url))
}

func isPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
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
