package main

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
	"github.com/signet-dev/signet/postgres"
	"github.com/signet-dev/signet/sqlite"
	"github.com/signet-dev/signet/storetest"
)

// runCommand runs one signet command in-process with an empty environment.
func runCommand(args ...string) (string, error) {
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := Run(context.Background(), env, args)
	return out.String() + errb.String(), err
}

func newSQLiteStore(t *testing.T) signet.Store {
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "signet.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newPostgresStore(t *testing.T) signet.Store {
	s, err := postgres.Open(t.Context(), testenv.NewPostgresDB(t), postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestCopyBetweenStores runs the copy conformance checks across the two
// kinds of store, both ways.
func TestCopyBetweenStores(t *testing.T) {
	t.Run("sqlite-to-postgres", func(t *testing.T) { storetest.RunCopy(t, newSQLiteStore, newPostgresStore) })
	t.Run("postgres-to-sqlite", func(t *testing.T) { storetest.RunCopy(t, newPostgresStore, newSQLiteStore) })
}

// exportAll returns everything s holds, in one Batch.
func exportAll(t *testing.T, s signet.Store) signet.Batch {
	t.Helper()
	var all signet.Batch
	err := s.(signet.Exporter).Export(t.Context(), func(b signet.Batch) error {
		all.Users = append(all.Users, b.Users...)
		all.Sessions = append(all.Sessions, b.Sessions...)
		all.RefreshTokens = append(all.RefreshTokens, b.RefreshTokens...)
		all.Keys = append(all.Keys, b.Keys...)
		all.Revocations = append(all.Revocations, b.Revocations...)
		all.RevocationLatest = max(all.RevocationLatest, b.RevocationLatest)
		all.Throttles = append(all.Throttles, b.Throttles...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestMigrateSQLiteToPostgres moves a used SQLite server to PostgreSQL with
// `signet migrate --from --to`: the copy holds exactly what the file held,
// and a server started on it with the same master key goes on where the
// old one stopped: sessions refresh, tokens verify, revocations hold.
func TestMigrateSQLiteToPostgres(t *testing.T) {
	old := startServer(t)
	old.signup(t, "alice@example.com", pw)
	old.signup(t, "bob@example.com", pw)
	alice := old.login(t, "alice@example.com", pw)
	alice, _ = old.refresh(t, alice.RefreshToken)
	bob := old.login(t, "bob@example.com", pw)
	if r := old.call(t, "POST", "/v1/logout", bob.AccessToken, nil, nil); r.StatusCode != 204 {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if r := old.call(t, "POST", "/v1/login", "", map[string]string{"email": "alice@example.com", "password": "wrong password!"}, nil); r.StatusCode != 401 {
		t.Fatalf("wrong password: %d", r.StatusCode)
	}
	dsn := testenv.NewPostgresDB(t)
	file := "sqlite:" + filepath.Join(old.dir, "signet.db")
	out, err := runCommand("migrate", "--from", file, "--to", dsn)
	if err != nil || !strings.Contains(out, "users           2") {
		t.Fatalf("migrate --from --to: %v\n%s", err, out)
	}
	src, dst := newSQLiteAt(t, file), newPostgresAt(t, dsn)
	if got, want := exportAll(t, dst), exportAll(t, src); !reflect.DeepEqual(got, want) {
		t.Fatalf("the copy differs from the source:\n got  %+v\n want %+v", got, want)
	}

	moved := startServer(t, "--db", dsn, "--master-key-file", filepath.Join(old.dir, "master.key"))
	if r := moved.call(t, "GET", "/v1/me", alice.AccessToken, nil, nil); r.StatusCode != 200 {
		t.Fatalf("an access token of the old server on the new one: %d", r.StatusCode)
	}
	if r := moved.call(t, "GET", "/v1/me", bob.AccessToken, nil, nil); r.StatusCode != 401 {
		t.Fatalf("a revoked access token on the new server: %d, want 401", r.StatusCode)
	}
	if _, r := moved.refresh(t, alice.RefreshToken); r.StatusCode != 200 {
		t.Fatalf("refreshing a session of the old server: %d", r.StatusCode)
	}
	moved.login(t, "alice@example.com", pw)

	if out, err := runCommand("migrate", "--from", file, "--to", dsn); err == nil || !strings.Contains(err.Error(), "already holds data") {
		t.Fatalf("a second copy into a used database: %v\n%s", err, out)
	}
}

func newSQLiteAt(t *testing.T, url string) signet.Store {
	s, err := sqlite.Open(t.Context(), strings.TrimPrefix(url, "sqlite:"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newPostgresAt(t *testing.T, dsn string) signet.Store {
	s, err := postgres.Open(t.Context(), dsn, postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestMigrateSchema: `signet migrate --db` migrates a new database and then
// finds nothing to do, on both stores; serve --skip-migrations refuses an
// unmigrated PostgreSQL database and runs on a migrated one.
func TestMigrateSchema(t *testing.T) {
	dsn := testenv.NewPostgresDB(t)
	file := "sqlite:" + filepath.Join(t.TempDir(), "new.db")
	for _, db := range []string{file, dsn} {
		if out, err := runCommand("migrate", "--db", db); err != nil || !strings.Contains(out, "migrated from version 0 to") {
			t.Fatalf("migrate --db %s: %v\n%s", db, err, out)
		}
		if out, err := runCommand("migrate", "--db", db); err != nil || !strings.Contains(out, "nothing to do") {
			t.Fatalf("migrate --db %s again: %v\n%s", db, err, out)
		}
	}
	fresh := testenv.NewPostgresDB(t)
	_, err := postgres.Open(t.Context(), fresh, postgres.Options{SkipMigrations: true})
	if err == nil || !strings.Contains(err.Error(), "signet migrate") {
		t.Fatalf("opening an unmigrated database with SkipMigrations: %v", err)
	}
	ts := startServer(t, "--db", dsn, "--skip-migrations")
	ts.signup(t, "carol@example.com", pw)
	ts.login(t, "carol@example.com", pw)
}

func TestMigrateErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"from without to", []string{"migrate", "--from", "sqlite:a.db"}, "go together"},
		{"to without from", []string{"migrate", "--to", "sqlite:a.db"}, "go together"},
		{"same database", []string{"migrate", "--from", "sqlite:a.db", "--to", "sqlite:a.db"}, "same database"},
		{"unknown scheme", []string{"migrate", "--db", "mysql://x"}, "want sqlite:PATH or postgres://"},
		{"password not shown", []string{"migrate", "--db", "mysql://u:hunter2@x"}, "u:***@x"},
		{"stray argument", []string{"migrate", "now"}, "unexpected arguments"},
		{"missing source file", []string{"migrate", "--from", "sqlite:/nonexistent/signet.db", "--to", "sqlite:/tmp/x.db"}, "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCommand(tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error()+out, "hunter2") {
				t.Fatalf("error %v, want one mentioning %q (and never the password)", err, tc.want)
			}
		})
	}
}
