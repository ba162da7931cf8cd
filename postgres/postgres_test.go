package postgres

import (
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
