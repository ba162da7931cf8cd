package postgres

import (
	"strings"
	"testing"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
	"github.com/signet-dev/signet/storetest"
)

// testConns is the pool size of the tests' stores: small, because tests run
// in parallel on a server with max_connections shared with other users,
// and enough to make every race of the suite a race between connections.
const testConns = 4

// openTest opens a Store on dsn and closes it when the test ends.
func openTest(t testing.TB, dsn string, opts Options) *Store {
	t.Helper()
	if opts.MaxConns == 0 {
		opts.MaxConns = testConns
	}
	s, err := Open(t.Context(), dsn, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// newTestStore opens a Store on a new database of its own.
func newTestStore(t *testing.T) *Store {
	t.Helper()
	return openTest(t, testenv.NewPostgresDB(t), Options{})
}

// TestConformance runs the suite every store passes, each subtest on a
// database of its own.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) signet.Store { return newTestStore(t) })
}

// TestPoolSize: Options.MaxConns wins, then the DSN's pool_max_conns, then
// the default of four per CPU between 8 and 16.
func TestPoolSize(t *testing.T) {
	t.Parallel()
	dsn := testenv.NewPostgresDB(t)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, tt := range []struct {
		dsn  string
		opts Options
		want int32
	}{
		{dsn, Options{MaxConns: 3}, 3},
		{dsn + sep + "pool_max_conns=5", Options{}, 5},
		{dsn, Options{}, defaultMaxConns()},
	} {
		s, err := Open(t.Context(), tt.dsn, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.pool.Config().MaxConns; got != tt.want {
			t.Errorf("Open(%q, %+v): pool of %d, want %d", tt.dsn, tt.opts, got, tt.want)
		}
		s.Close()
	}
	if n := defaultMaxConns(); n < 8 || n > 16 {
		t.Fatalf("defaultMaxConns = %d", n)
	}
	if !setsPoolSize("host=x pool_max_conns=2") || setsPoolSize("host=x dbname=pool") {
		t.Fatal("setsPoolSize misreads keyword/value DSNs")
	}
}
