package testenv

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultPostgresDSN is the server used when SIGNET_TEST_POSTGRES_DSN is not
// set: the machine's own PostgreSQL, with trust authentication on loopback.
const DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// probes remembers, per DSN, whether the server answered, so a test binary
// asks once and not once per test (nor waits out a timeout per test).
var probes sync.Map // DSN -> func() error (sync.OnceValue)

// PostgresDSN returns the DSN of the test PostgreSQL server: the value of
// SIGNET_TEST_POSTGRES_DSN, or DefaultPostgresDSN when it is unset. Its
// user must be allowed to create databases. If the server does not answer,
// it skips t, or fails it when CI is "true".
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("SIGNET_TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = DefaultPostgresDSN
	}
	probe, _ := probes.LoadOrStore(dsn, sync.OnceValue(func() error { return ping(dsn) }))
	if err := probe.(func() error)(); err != nil {
		Need(t, fmt.Errorf("the PostgreSQL server %s does not answer (%v)", describe(dsn), err),
			"start one (scripts/test starts the machine's own) or set SIGNET_TEST_POSTGRES_DSN")
	}
	return dsn
}

// InCI reports whether the tests run in CI (CI=true), where every outside
// service and tool the tests need is part of the environment.
func InCI() bool { return os.Getenv("CI") == "true" }

// Need is the one place that decides what happens to a test whose outside
// service or tool is missing. With missing nil it does nothing. Otherwise,
// outside CI, it skips t with a message naming what is missing and how to
// get it (install); in CI it fails t with the same message, because there a
// skip would hide that the test did not run.
func Need(t testing.TB, missing error, install string) {
	t.Helper()
	if missing == nil {
		return
	}
	if InCI() {
		t.Fatalf("CI must run %s, but %v; %s", t.Name(), missing, install)
	}
	t.Skipf("skipping %s outside CI: %v; %s", t.Name(), missing, install)
}

// ping connects to dsn and runs a query, within a few seconds.
func ping(dsn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// describe names the server of dsn without its password.
func describe(dsn string) string {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "(a malformed SIGNET_TEST_POSTGRES_DSN)"
	}
	return fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// NewPostgresDB creates a new, empty database with a random name on the test
// server and returns its DSN; t's cleanup drops it, closing whatever
// connections remain (DROP DATABASE ... WITH (FORCE)). Each test gets its
// own database because LISTEN/NOTIFY channels and advisory locks are shared
// by everything connected to one database. Skips or fails t as PostgresDSN
// does when there is no server.
func NewPostgresDB(t testing.TB) string {
	t.Helper()
	admin := PostgresDSN(t)
	name := "signet_test_" + strings.ToLower(rand.Text())
	if err := adminExec(admin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		if err := adminExec(admin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// adminExec runs one statement on the server's administrative database.
// It has its own deadline: cleanups run after the test's context is done.
func adminExec(dsn, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns dsn naming database name instead of its own, for
// both forms of DSN: a URL, or keyword/value pairs (where a later keyword
// overrides an earlier one).
func withDatabase(dsn, name string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " dbname=" + name, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("SIGNET_TEST_POSTGRES_DSN: %w", err)
	}
	u.Path, u.RawPath = "/"+name, ""
	q := u.Query()
	q.Del("dbname") // a query parameter would override the path
	u.RawQuery = q.Encode()
	return u.String(), nil
}
