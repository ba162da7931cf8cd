package sqlite_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/sqlite"
	"github.com/signet-dev/signet/storetest"
)

// openTemp opens a Store on a new file in the test's temporary directory.
func openTemp(t *testing.T, opts sqlite.Options) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "signet.db"), opts)
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

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) signet.Store { return openTemp(t, sqlite.Options{}) })
}

// TestConformanceDurable runs the suite with synchronous=FULL too: the
// setting changes when data reaches the disk, never what a query returns.
func TestConformanceDurable(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	storetest.Run(t, func(t *testing.T) signet.Store { return openTemp(t, sqlite.Options{Durable: true}) })
}

// TestTwoStoresOneFile stands in for a second process on the same file (an
// admin command next to the server): its writes wait for the lock under
// BEGIN IMMEDIATE and busy_timeout instead of failing with SQLITE_BUSY, and no
// update is lost. A real second process is not started here.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signet.db")
	var stores []*sqlite.Store
	for range 2 {
		s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	key := signet.ThrottleKey{Scope: signet.ThrottleAddress, Key: "192.0.2.9"}
	const perStore = 20
	var wg sync.WaitGroup
	for _, s := range stores {
		for range perStore {
			wg.Go(func() {
				_, err := s.UpdateThrottle(t.Context(), key, func(th signet.Throttle) (signet.Throttle, error) {
					th.Failures++
					th.UpdatedAt = time.Unix(1, 0)
					return th, nil
				})
				if err != nil {
					t.Errorf("UpdateThrottle: %v", err)
				}
			})
		}
	}
	wg.Wait()
	th, err := stores[1].Throttle(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	if th.Failures != 2*perStore {
		t.Fatalf("Failures = %d, want %d", th.Failures, 2*perStore)
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(tb testing.TB) signet.Store {
		s, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "signet.db"), sqlite.Options{})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		return s
	})
}
