package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLockID is the advisory lock (single bigint key space) that
// serialises migrations: "signet" in ASCII. Any other program using the
// same database must not take it.
const migrateLockID int64 = 0x7369676e6574

// A migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded files in version order. Versions must
// run 1, 2, 3... without gaps or repeats, so a misnamed file fails every test.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for i, name := range names { // Glob returns names sorted
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("postgres: migration %s: want version %d", base, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	return ms, nil
}

// Migrate connects to the database named by dsn, applies the pending
// migrations and disconnects. It returns the schema version found and the
// one left. It is what `signet migrate` runs, and what Open runs unless told
// not to: several processes may call it at once on one database, one
// applies the migrations and the others then find nothing left to do. A
// database whose schema is newer than this program's is refused and left
// as it is.
func Migrate(ctx context.Context, dsn string) (from, to int, err error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %w", signet.Errorf(signet.EINVALID, "postgres: the database URL is malformed"), err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return migrate(ctx, conn)
}

// beginner is a pool or a single connection.
type beginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrate applies the pending migrations in one transaction, which first
// takes the migration advisory lock: either the schema moves to the latest
// version or it stays as it was, and a second process migrating at the
// same moment waits for the lock, then finds the work done. The lock is a
// transaction lock, so it goes with the transaction even if the connection
// dies.
func migrate(ctx context.Context, db beginner) (from, to int, err error) {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return 0, 0, err
	}
	tx, err := db.BeginTx(ctx, writeTx)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	defer tx.Rollback(ctx)
	if from, err = applyMigrations(ctx, tx, ms); err != nil {
		return from, from, err
	}
	if err := tx.Commit(ctx); err != nil {
		return from, from, fmt.Errorf("postgres: migrate: %w", err)
	}
	return from, len(ms), nil
}

// applyMigrations runs the migrations after the current version inside tx
// and returns the version it found.
func applyMigrations(ctx context.Context, tx pgx.Tx, ms []migration) (int, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLockID); err != nil {
		return 0, fmt.Errorf("postgres: migrate: taking the migration lock: %w", err)
	}
	if _, err := tx.Exec(ctx, createMigrationsTable); err != nil {
		return 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	var current int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	if current > len(ms) {
		return current, fmt.Errorf("postgres: database schema version %d is newer than this program's %d", current, len(ms))
	}
	for _, m := range ms[current:] {
		// No arguments: pgx sends the file by the simple protocol, which
		// runs every statement in it.
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return current, fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name)
		if err != nil {
			return current, fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
	}
	return current, nil
}

// checkVersion refuses a database whose schema is not exactly this
// program's: Open with SkipMigrations must not run on a schema it does not
// know.
func checkVersion(ctx context.Context, q querier) error {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return err
	}
	var current int
	err = q.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM schema_migrations`).Scan(&current)
	switch {
	case sqlState(err) == codeUndefinedTable:
		current = 0
	case err != nil:
		return fmt.Errorf("postgres: reading the schema version: %w", err)
	}
	switch {
	case current < len(ms):
		return fmt.Errorf("postgres: database schema version %d is older than this program's %d: run `signet migrate`", current, len(ms))
	case current > len(ms):
		return fmt.Errorf("postgres: database schema version %d is newer than this program's %d", current, len(ms))
	}
	return nil
}
