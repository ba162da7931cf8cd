package keys_test

import (
	"github.com/signet-dev/signet/internal/fakes"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/sqlite"
)

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// masters holds every master key newEnv made, guarded by mastersMu.
var (
	mastersMu sync.Mutex
	masters   []keys.MasterKey
)

// clock is the shared fake clock.
type clock = fakes.Clock

// syncBuffer collects log output from many goroutines.
type syncBuffer = fakes.Buffer

// env is one store, one master key and a clock, from which tests make
// Managers (several Managers on one store stand for the server and the CLI).
type env struct {
	store *sqlite.Store
	ring  *keys.Keyring
	clock *clock
	logs  *syncBuffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "signet.db"), sqlite.Options{})
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	mk, _, err := keys.GenerateMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	mastersMu.Lock()
	masters = append(masters, mk)
	mastersMu.Unlock()
	ring, err := keys.NewKeyring(mk)
	if err != nil {
		t.Fatal(err)
	}
	return &env{store: st, ring: ring, clock: fakes.NewClock(epoch), logs: &syncBuffer{}}
}

// manager makes a Manager over e's store; c's zero members get test values.
func (e *env) manager(t *testing.T, c keys.ManagerConfig) *keys.Manager {
	t.Helper()
	c.Now = e.clock.Now
	c.Logger = slog.New(slog.NewJSONHandler(e.logs, nil))
	m, err := keys.NewManager(e.store, e.ring, c)
	if err != nil {
		t.Fatalf("NewManager: %v", err)
	}
	return m
}

// ensured makes a Manager and runs Ensure.
func (e *env) ensured(t *testing.T, c keys.ManagerConfig) *keys.Manager {
	t.Helper()
	m := e.manager(t, c)
	if err := m.Ensure(t.Context()); err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	return m
}

// sign makes an access token with m's current access key.
func (e *env) sign(t *testing.T, m *keys.Manager) string {
	t.Helper()
	s, err := m.AccessSigner()
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	tok, err := s.Sign(&jose.Claims{Issuer: "iss", Subject: "u", Audience: jose.Audience{"aud"},
		IssuedAt: jose.NewNumericDate(now), ExpiresAt: jose.NewNumericDate(now.Add(15 * time.Minute))})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// verify checks an access token with m's access key source, ignoring time
// (the key set is what these tests are about).
func (e *env) verify(t *testing.T, m *keys.Manager, tok string) error {
	t.Helper()
	v, err := jose.NewVerifier(m.AccessKeys(), jose.WithIssuer("iss"), jose.WithAudience("aud"),
		jose.WithTokenType(jose.TypeAccessToken), jose.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(tok)
	return err
}

// byState returns the kids of alg's stored keys by state.
func byState(t *testing.T, m *keys.Manager, alg jose.Algorithm) map[signet.KeyState][]string {
	t.Helper()
	list, err := m.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[signet.KeyState][]string{}
	for _, k := range list {
		if k.Algorithm == string(alg) {
			out[k.State] = append(out[k.State], k.KID)
		}
	}
	return out
}

// jwksKIDs returns the kids in m's JWKS document.
func jwksKIDs(t *testing.T, m *keys.Manager) map[string]bool {
	t.Helper()
	doc, _ := m.JWKS()
	set, err := jose.ParseJWKS(doc)
	if err != nil {
		t.Fatalf("ParseJWKS: %v\n%s", err, doc)
	}
	out := map[string]bool{}
	for _, k := range set.Keys() {
		if k.IsPrivate() {
			t.Fatalf("JWKS holds private key %s", k.KeyID())
		}
		out[k.KeyID()] = true
	}
	return out
}
