package storetest

import (
	"testing"

	"github.com/signet-dev/signet"
)

// A test is one conformance check, run on a fresh store.
type test struct {
	name string
	fn   func(t *testing.T, s signet.Store)
}

// Run runs every conformance test as a subtest of t. newStore returns a new,
// empty store for each subtest and registers its cleanup (t.Cleanup); the
// subtests run in parallel, each on its own store.
func Run(t *testing.T, newStore func(t *testing.T) signet.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Users", userTests},
		{"Sessions", sessionTests},
		{"Refresh", refreshTests},
		{"Concurrency", concurrencyTests},
		{"Revocations", revocationTests},
		{"Keys", keyTests},
		{"Throttles", throttleTests},
		{"Clients", clientTests},
		{"AuthCodes", codeTests},
		{"Consents", consentTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tt := range g.tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					tt.fn(t, newStore(t))
				})
			}
		})
	}
	t.Run("Copy", func(t *testing.T) { RunCopy(t, newStore, newStore) })
	t.Run("Ping", func(t *testing.T) {
		if err := newStore(t).Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
}
