package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

var epochForTest = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

func TestPragmas(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		sync  string // 1 NORMAL, 2 FULL
		cache string // cache_size: negative KiB
	}{
		{"default", Options{}, "1", "-1024"},
		{"durable", Options{Durable: true}, "2", "-1024"},
		{"small cache", Options{CacheKiB: 256}, "1", "-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t, filepath.Join(t.TempDir(), "signet.db"), tt.opts)
			for _, db := range []*sql.DB{s.write, s.read} {
				want := map[string]string{"journal_mode": "wal", "foreign_keys": "1",
					"synchronous": tt.sync, "busy_timeout": "5000", "cache_size": tt.cache}
				for name, v := range want {
					if got := pragma(t, db, name); got != v {
						t.Errorf("%s = %s, want %s", name, got, v)
					}
				}
			}
			if pragma(t, s.read, "query_only") != "1" || pragma(t, s.write, "query_only") != "0" {
				t.Error("only the read pool must be query-only")
			}
		})
	}
}
