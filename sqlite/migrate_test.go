package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/signet-dev/signet"
)

func open(t *testing.T, path string, opts Options) *Store {
	t.Helper()
	s, err := Open(t.Context(), path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func versions(t *testing.T, s *Store) []int {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// TestMigrationsIdempotent: opening a migrated file again applies nothing
// and keeps the data.
func TestMigrationsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signet.db")
	ms, err := loadMigrations(migrationFiles)
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %d, %v", len(ms), err)
	}
	s := open(t, path, Options{})
	first := versions(t, s)
	if len(first) != len(ms) {
		t.Fatalf("applied versions %v, want %d", first, len(ms))
	}
	u := signet.User{ID: signet.NewID(), Email: "a@example.com", CreatedAt: epochForTest, UpdatedAt: epochForTest}
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t, path, Options{})
	if again := versions(t, s); len(again) != len(first) {
		t.Fatalf("versions after reopening = %v, want %v", again, first)
	}
	if _, err := s.User(t.Context(), u.ID); err != nil {
		t.Fatalf("user lost across reopening: %v", err)
	}
}

// TestMigrationsNewerSchemaRefused: an older binary does not touch a file a
// newer one migrated.
func TestMigrationsNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signet.db")
	s := open(t, path, Options{})
	_, err := s.write.ExecContext(t.Context(), `INSERT INTO schema_migrations VALUES (999, '0999_future.sql', 0)`)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(t.Context(), path, Options{}); err == nil {
		s.Close()
		t.Fatal("Open accepted a schema newer than the binary")
	}
}

func TestLoadMigrations(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		want    int
		wantErr bool
	}{
		{"in order", fstest.MapFS{"migrations/0001_a.sql": file("a"), "migrations/0002_b.sql": file("b")}, 2, false},
		{"gap", fstest.MapFS{"migrations/0001_a.sql": file("a"), "migrations/0003_c.sql": file("c")}, 0, true},
		{"repeat", fstest.MapFS{"migrations/0001_a.sql": file("a"), "migrations/0001_b.sql": file("b")}, 0, true},
		{"no number", fstest.MapFS{"migrations/init.sql": file("a")}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := loadMigrations(tt.fsys)
			if (err != nil) != tt.wantErr || len(ms) != tt.want {
				t.Fatalf("loadMigrations = %d, %v; want %d, error %v", len(ms), err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestMigrationRollsBack: a failing migration leaves the schema as it was.
func TestMigrationRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signet.db")
	s := open(t, path, Options{})
	tx, err := s.write.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ms, _ := loadMigrations(migrationFiles)
	bad := append(ms, migration{version: len(ms) + 1, name: "bad.sql", sql: `CREATE TABLE t1 (x); SELECT * FROM nowhere;`})
	if _, err := applyMigrations(t.Context(), tx, bad); err == nil {
		t.Fatal("a failing migration was applied")
	}
	tx.Rollback()
	var n int
	s.write.QueryRowContext(t.Context(), `SELECT count(*) FROM sqlite_schema WHERE name = 't1'`).Scan(&n)
	if n != 0 {
		t.Fatal("part of a failed migration stayed")
	}
}

func TestOpenRefusesNonFiles(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:signet.db", "signet.db?mode=ro"} {
		if _, err := Open(context.Background(), path, Options{}); !errors.Is(err, signet.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want ErrInvalid", path, err)
		}
	}
}

func TestOpenFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signet.db")
	open(t, path, Options{})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Fatalf("database file mode = %o, want 600", mode)
	}
}

// TestMigrateReportsVersions: Migrate on a new file goes from 0 to the
// latest version; on a migrated file it finds nothing to do.
func TestMigrateReportsVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signet.db")
	ms, _ := loadMigrations(migrationFiles)
	from, to, err := Migrate(t.Context(), path)
	if err != nil || from != 0 || to != len(ms) {
		t.Fatalf("Migrate on a new file = %d, %d, %v; want 0, %d", from, to, err, len(ms))
	}
	from, to, err = Migrate(t.Context(), path)
	if err != nil || from != len(ms) || to != len(ms) {
		t.Fatalf("Migrate again = %d, %d, %v; want %d, %d", from, to, err, len(ms), len(ms))
	}
	if _, _, err := Migrate(t.Context(), ":memory:"); err == nil {
		t.Fatal("Migrate accepted :memory:")
	}
}
