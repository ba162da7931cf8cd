package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestWithDatabase(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
			"postgres://postgres@127.0.0.1:5432/x?sslmode=disable"},
		{"postgresql://u:p%40ss@db.example:6543?dbname=other",
			"postgresql://u:p%40ss@db.example:6543/x"},
		{"host=127.0.0.1 user=postgres dbname=postgres", "host=127.0.0.1 user=postgres dbname=postgres dbname=x"},
	}
	for _, tt := range tests {
		got, err := withDatabase(tt.dsn, "x")
		if err != nil || got != tt.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", tt.dsn, got, err, tt.want)
		}
		cfg, err := pgx.ParseConfig(got)
		if err != nil || cfg.Database != "x" {
			t.Errorf("%q names database %q (%v), want x", got, cfg.Database, err)
		}
	}
}

func TestDescribeHidesPassword(t *testing.T) {
	if got := describe("postgres://u:secret@h:1/db"); got != "u@h:1/db" {
		t.Fatalf("describe = %q", got)
	}
}

// TestNewPostgresDB: the database exists, is empty, and is gone after the
// cleanup.
func TestNewPostgresDB(t *testing.T) {
	var name string
	t.Run("db", func(t *testing.T) {
		dsn := NewPostgresDB(t)
		conn, err := pgx.Connect(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if err := conn.QueryRow(t.Context(), `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	if name == "" {
		t.Skip("no database was made")
	}
	conn, err := pgx.Connect(t.Context(), PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after the test", name)
	}
}

// TestPostgresCluster: a cluster of the test's own keeps a committed row
// across a crash (immediate stop) and a restart.
func TestPostgresCluster(t *testing.T) {
	t.Parallel()
	c := NewPostgresCluster(t)
	dsn := c.NewDatabase(t)
	exec := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec(`CREATE TABLE t (x int); INSERT INTO t VALUES (42)`); err != nil {
		t.Fatal(err)
	}
	c.Stop(t, "immediate")
	if err := exec(`SELECT 1`); err == nil {
		t.Fatal("the stopped cluster answers")
	}
	c.Start(t)
	if err := exec(`DO $$ BEGIN IF (SELECT x FROM t) <> 42 THEN RAISE 'lost'; END IF; END $$`); err != nil {
		t.Fatalf("after the restart: %v\n%s", err, c.Log())
	}
}
