package account_test

import (
	"context"
	"errors"
	"github.com/signet-dev/signet/internal/fakes"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/password"
	"github.com/signet-dev/signet/sqlite"
)

const issuer = "https://id.example"

// A password the policy accepts, and another.
const (
	goodPassword  = "correct horse battery staple"
	otherPassword = "tangerine submarine orchestra"
)

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is the shared fake clock.
type clock = fakes.Clock

// syncBuffer collects log output from many goroutines.
type syncBuffer = fakes.Buffer

// env is a Service on a real SQLite store with a fake clock, a counting
// weak hasher and captured logs.
type env struct {
	store  *sqlite.Store
	clock  *clock
	ring   *keys.Keyring
	keys   *keys.Manager
	hasher *password.Hasher
	svc    *account.Service
	hashes atomic.Int64
	logs   *syncBuffer
	cfg    account.Config
}

// setup adjusts an env's configuration before it is built.
type setup struct {
	account func(*account.Config)
	keys    func(*keys.ManagerConfig)
}

func newEnv(t testing.TB, s ...setup) *env {
	t.Helper()
	e := &env{clock: fakes.NewClock(epoch), logs: &syncBuffer{}}
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "signet.db"), sqlite.Options{})
	must(t, err)
	t.Cleanup(func() { st.Close() })
	e.store = st
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mk, _, err := keys.GenerateMasterKey()
	must(t, err)
	e.ring, err = keys.NewKeyring(mk)
	must(t, err)
	kc := keys.ManagerConfig{Now: e.clock.Now, Logger: logger}
	e.cfg = account.Config{Issuer: issuer, Now: e.clock.Now, Logger: logger}
	for _, f := range s {
		if f.keys != nil {
			f.keys(&kc)
		}
		if f.account != nil {
			f.account(&e.cfg)
		}
	}
	e.keys, err = keys.NewManager(st, e.ring, kc)
	must(t, err)
	must(t, e.keys.Ensure(t.Context()))
	e.hasher = e.newHasher(t, 64)
	e.svc, err = account.NewService(t.Context(), st, e.keys, e.hasher, e.cfg)
	must(t, err)
	return e
}

// newHasher returns a fast argon2id hasher with memory m KiB that counts
// its hashes in e.hashes.
func (e *env) newHasher(t testing.TB, m uint32) *password.Hasher {
	t.Helper()
	h, err := password.NewHasher(password.Config{
		Params:           password.Params{Memory: m, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		UnsafeWeakParams: true,
		OnHash:           func() { e.hashes.Add(1) },
	})
	must(t, err)
	return h
}

// countHashes returns how many argon2id computations f did.
func (e *env) countHashes(f func()) int64 {
	before := e.hashes.Load()
	f()
	return e.hashes.Load() - before
}

// signup creates an account and returns its id.
func (e *env) signup(t testing.TB, email string) string {
	t.Helper()
	p, err := e.svc.Signup(t.Context(), account.SignupRequest{Email: email, Password: goodPassword, Name: "Test User"}, meta)
	must(t, err)
	return p.Sub
}

var meta = account.Meta{ClientIP: "192.0.2.10", UserAgent: "test-agent/1.0"}

// login logs in with goodPassword and fails the test on error.
func (e *env) login(t *testing.T, email string) account.TokenResponse {
	t.Helper()
	r, err := e.svc.Login(t.Context(), account.LoginRequest{Email: email, Password: goodPassword}, meta)
	must(t, err)
	return r
}

// auth authenticates an access token and fails the test on error.
func (e *env) auth(t *testing.T, access string) *jose.Claims {
	t.Helper()
	c, err := e.svc.Authenticate(t.Context(), access)
	must(t, err)
	return c
}

// waitFor runs f until it reports true, failing after a few seconds. It is
// for background goroutines (Run) only; it never stands in for a clock.
func waitFor(t *testing.T, what string, f func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !f() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantErr fails unless errors.Is(err, target).
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}
