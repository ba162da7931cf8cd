package postgres

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
)

var epochForTest = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// versions returns the recorded migrations of the store's database.
func versions(t *testing.T, s *Store) []int {
	t.Helper()
	rows, err := s.pool.Query(t.Context(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func embedded(t *testing.T) []migration {
	t.Helper()
	ms, err := loadMigrations(migrationFiles)
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %d, %v", len(ms), err)
	}
	return ms
}

// TestMigrationsIdempotent: opening a migrated database again applies
// nothing and keeps the data; Migrate reports nothing to do.
func TestMigrationsIdempotent(t *testing.T) {
	t.Parallel()
	dsn := testenv.NewPostgresDB(t)
	ms := embedded(t)
	s := openTest(t, dsn, Options{})
	first := versions(t, s)
	if len(first) != len(ms) {
		t.Fatalf("applied versions %v, want %d", first, len(ms))
	}
	u := signet.User{ID: signet.NewID(), Email: "a@example.com", CreatedAt: epochForTest, UpdatedAt: epochForTest}
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTest(t, dsn, Options{})
	if again := versions(t, s); len(again) != len(first) {
		t.Fatalf("versions after reopening = %v, want %v", again, first)
	}
	if _, err := s.User(t.Context(), u.ID); err != nil {
		t.Fatalf("user lost across reopening: %v", err)
	}
	from, to, err := Migrate(t.Context(), dsn)
	if err != nil || from != len(ms) || to != len(ms) {
		t.Fatalf("Migrate on a migrated database = %d, %d, %v; want %d, %d", from, to, err, len(ms), len(ms))
	}
}

// TestMigrateConcurrently: instances starting at once on a new database all
// open it; the migrations are applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	dsn := testenv.NewPostgresDB(t)
	const instances = 8
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		mu     sync.Mutex
		stores []*Store
	)
	for i := range instances {
		wg.Go(func() {
			<-start
			if i%2 == 1 { // half as `signet migrate`, half as `signet serve`
				if _, _, err := Migrate(t.Context(), dsn); err != nil {
					t.Errorf("Migrate: %v", err)
				}
				return
			}
			s, err := Open(t.Context(), dsn, Options{MaxConns: 2})
			if err != nil {
				t.Errorf("Open: %v", err)
				return
			}
			mu.Lock()
			stores = append(stores, s)
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	for _, s := range stores {
		defer s.Close()
	}
	if t.Failed() {
		return
	}
	if got := versions(t, stores[0]); len(got) != len(embedded(t)) {
		t.Fatalf("recorded versions %v after concurrent migrations", got)
	}
	for _, s := range stores { // every instance works on the one schema
		if err := s.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMigrationsNewerSchemaRefused: an older binary does not touch a
// database a newer one migrated, whether it migrates or only checks.
func TestMigrationsNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	dsn := testenv.NewPostgresDB(t)
	s := openTest(t, dsn, Options{})
	if _, err := s.pool.Exec(t.Context(), `INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{}, {SkipMigrations: true}} {
		if s, err := Open(t.Context(), dsn, opts); err == nil {
			s.Close()
			t.Fatalf("Open(%+v) accepted a schema newer than the binary", opts)
		}
	}
}

// TestSkipMigrations: with SkipMigrations, Open refuses an unmigrated
// database, naming the command that fixes it, and opens a migrated one.
func TestSkipMigrations(t *testing.T) {
	t.Parallel()
	dsn := testenv.NewPostgresDB(t)
	_, err := Open(t.Context(), dsn, Options{SkipMigrations: true})
	if err == nil || !strings.Contains(err.Error(), "signet migrate") {
		t.Fatalf("Open of an empty database with SkipMigrations = %v, want an error naming signet migrate", err)
	}
	from, to, err := Migrate(t.Context(), dsn)
	if err != nil || from != 0 || to != len(embedded(t)) {
		t.Fatalf("Migrate = %d, %d, %v", from, to, err)
	}
	s := openTest(t, dsn, Options{SkipMigrations: true})
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestMigrationRollsBack: a failing migration leaves the schema as it was.
func TestMigrationRollsBack(t *testing.T) {
	t.Parallel()
	dsn := testenv.NewPostgresDB(t)
	s := openTest(t, dsn, Options{})
	ms := embedded(t)
	bad := append(ms, migration{version: len(ms) + 1, name: "bad.sql",
		sql: `CREATE TABLE t1 (x int); SELECT * FROM nowhere;`})
	tx, err := s.pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := applyMigrations(t.Context(), tx, bad); err == nil {
		t.Fatal("a failing migration was applied")
	}
	tx.Rollback(context.Background())
	var n int
	if err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_class WHERE relname = 't1'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("part of a failed migration stayed (%d, %v)", n, err)
	}
	if got := versions(t, s); len(got) != len(ms) {
		t.Fatalf("versions after a failed migration: %v", got)
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

func TestOpenRefusesMalformedDSN(t *testing.T) {
	for _, dsn := range []string{"postgres://u:secret@host:notaport/db", "host=a port=x"} {
		_, err := Open(t.Context(), dsn, Options{})
		if !errors.Is(err, signet.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want ErrInvalid", dsn, err)
		}
		if msg := signet.ErrorMessage(err); strings.Contains(msg, "secret") {
			t.Errorf("the message a client may see holds the password: %q", msg)
		}
	}
}
