package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/postgres"
	"github.com/signet-dev/signet/sqlite"
)

const migrateAbout = `Applies the pending schema migrations of --db and exits. serve does the
same at start unless --skip-migrations is given, for deployments that migrate
as a step of their own. Any number of processes may migrate one database at
once: one applies the migrations, the others wait and find nothing to do.

With --from and --to it copies everything the --from database holds (users,
sessions, refresh tokens, signing keys, revocations, login throttles) into
the --to database, which must be empty (it is migrated first): one snapshot
of the source, written in one transaction, so the copy is whole or nothing.
Ids, refresh token hashes and revocation cursors are kept: sessions go on,
and verifiers following the revocation feed resume. Stop the servers on the
source first (writes after the snapshot are not copied), and start the new
ones with the same SIGNET_MASTER_KEY: the signing keys stay sealed with it.`

// runMigrate is `signet migrate`.
func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "migrate", "migrate [--db URL] | migrate --from URL --to URL", migrateAbout)
	cfg := &Config{}
	var from, to string
	fs.StringVar(&cfg.DatabaseURL, "db", "sqlite:signet.db", "database to migrate: sqlite:PATH or postgres://…")
	fs.StringVar(&from, "from", "", "copy from this database (sqlite:PATH or postgres://…)")
	fs.StringVar(&to, "to", "", "copy into this new, empty database (sqlite:PATH or postgres://…)")
	fs.StringVar(&cfg.ConfigFile, "config", "", "optional file of SIGNET_NAME=value lines")
	if err := parseConfig(fs, cfg, args, env.Getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", joinArgs(fs.Args()))
	}
	switch {
	case from == "" && to == "":
		return migrateSchema(ctx, env.Stdout, cfg.DatabaseURL)
	case from == "" || to == "":
		return errors.New("--from and --to go together: signet migrate --from sqlite:signet.db --to postgres://…")
	case from == to:
		return errors.New("--from and --to name the same database")
	}
	return copyDatabase(ctx, env, cfg, from, to)
}

// migrateSchema migrates url and says what it did.
func migrateSchema(ctx context.Context, w io.Writer, url string) error {
	var from, to int
	var err error
	switch {
	case strings.HasPrefix(url, "sqlite:") && len(url) > len("sqlite:"):
		from, to, err = sqlite.Migrate(ctx, strings.TrimPrefix(url, "sqlite:"))
	case isPostgresURL(url):
		from, to, err = postgres.Migrate(ctx, url)
	default:
		return fmt.Errorf("--db %q: want sqlite:PATH or postgres://…", redactURL(url))
	}
	if err != nil {
		return fmt.Errorf("migrating %s: %w", redactURL(url), err)
	}
	if from == to {
		fmt.Fprintf(w, "%s: schema at version %d, nothing to do\n", redactURL(url), to)
	} else {
		fmt.Fprintf(w, "%s: schema migrated from version %d to %d\n", redactURL(url), from, to)
	}
	return nil
}

// copyDatabase copies everything from one database into another, empty one.
func copyDatabase(ctx context.Context, env *Env, cfg *Config, from, to string) error {
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if path, ok := strings.CutPrefix(from, "sqlite:"); ok && path != "" {
		if _, err := os.Stat(path); err != nil { // opening would make an empty one
			return fmt.Errorf("--from %s: %w", from, err)
		}
	}
	src, err := openDatabase(ctx, "--from", from, cfg, log)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openDatabase(ctx, "--to", to, cfg, log)
	if err != nil {
		return err
	}
	defer dst.Close()
	exp, ok1 := src.(signet.Exporter)
	imp, ok2 := dst.(signet.Importer)
	if !ok1 || !ok2 {
		return errors.New("this pair of databases cannot be copied")
	}
	counts, err := signet.Copy(ctx, imp, exp)
	if err != nil {
		return fmt.Errorf("copying %s into %s: %w", redactURL(from), redactURL(to), err)
	}
	fmt.Fprintf(env.Stdout, "copied %s into %s:\n", redactURL(from), redactURL(to))
	for _, table := range signet.CopyTables {
		fmt.Fprintf(env.Stdout, "  %-15s %d\n", table, counts[table])
	}
	return nil
}
