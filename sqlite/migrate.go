package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

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
			return nil, fmt.Errorf("sqlite: migration %s: want version %d", base, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at INTEGER NOT NULL
) STRICT`

// migrate applies the pending migrations in one write transaction: either
// the schema moves to the latest version or it stays as it was. Two processes
// opening one new file at once are serialised by BEGIN IMMEDIATE; the second
// finds nothing left to do.
func migrate(ctx context.Context, db *sql.DB) error {
	_, _, err := migrateVersions(ctx, db)
	return err
}

// Migrate applies the pending migrations to the SQLite file at path
// (created, mode 0600, if missing) and returns the schema version it found
// and the one it left. It is what `signet migrate` runs; Open does the same.
func Migrate(ctx context.Context, path string) (from, to int, err error) {
	if err := checkPath(path); err != nil {
		return 0, 0, err
	}
	if err := createPrivate(path); err != nil {
		return 0, 0, err
	}
	db, err := openPool(path, Options{}.withDefaults(), false)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	return migrateVersions(ctx, db)
}

// migrateVersions is migrate, reporting the versions found and left.
func migrateVersions(ctx context.Context, db *sql.DB) (from, to int, err error) {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return 0, 0, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	defer tx.Rollback()
	if from, err = applyMigrations(ctx, tx, ms); err != nil {
		return from, from, err
	}
	if err := tx.Commit(); err != nil {
		return from, from, fmt.Errorf("sqlite: migrate: %w", err)
	}
	return from, len(ms), nil
}

// applyMigrations runs the migrations after the current version inside tx
// and returns the version it found.
func applyMigrations(ctx context.Context, tx *sql.Tx, ms []migration) (int, error) {
	if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
		return 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	var current int
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current)
	if err != nil {
		return 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	if current > len(ms) {
		return current, fmt.Errorf("sqlite: database schema version %d is newer than this program's %d", current, len(ms))
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return current, fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, unixepoch())`, m.version, m.name)
		if err != nil {
			return current, fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
	}
	return current, nil
}
