package keys_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/keys"
)

func TestEnsureCreatesCurrentAndNext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.ensured(t, keys.ManagerConfig{})
	for _, alg := range []jose.Algorithm{jose.ES256, jose.RS256} {
		s := byState(t, m, alg)
		if len(s[signet.KeyCurrent]) != 1 || len(s[signet.KeyNext]) != 1 || len(s[signet.KeyRetired]) != 0 {
			t.Fatalf("%s keys after Ensure: %v", alg, s)
		}
		if _, err := m.Signer(alg); err != nil {
			t.Fatalf("Signer(%s): %v", alg, err)
		}
	}
	if _, err := m.Signer(jose.HS256); !errors.Is(err, keys.ErrNoSigningKey) {
		t.Fatalf("Signer(HS256) = %v, want ErrNoSigningKey", err)
	}
	if got := len(jwksKIDs(t, m)); got != 4 {
		t.Fatalf("JWKS holds %d keys, want 4 (current and next of ES256 and RS256)", got)
	}
	before, _ := m.List(t.Context())
	again := e.ensured(t, keys.ManagerConfig{}) // a second instance starting
	after, _ := again.List(t.Context())
	if !slices.Equal(before, after) {
		t.Fatalf("a second Ensure changed the keys:\n%v\n%v", before, after)
	}
	if tok := e.sign(t, m); e.verify(t, again, tok) != nil {
		t.Fatal("an instance cannot verify another's token")
	}
}

func TestRotationKeepsOldTokensUntilRetirementEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.ensured(t, keys.ManagerConfig{TokenLifetime: 15 * time.Minute})
	s0 := byState(t, m, jose.ES256)
	old := e.sign(t, m)

	e.clock.Advance(time.Minute)
	if err := m.Rotate(t.Context()); err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	s1 := byState(t, m, jose.ES256)
	if !slices.Equal(s1[signet.KeyCurrent], s0[signet.KeyNext]) || !slices.Equal(s1[signet.KeyRetired], s0[signet.KeyCurrent]) ||
		len(s1[signet.KeyNext]) != 1 || s1[signet.KeyNext][0] == s0[signet.KeyNext][0] {
		t.Fatalf("rotation: before %v, after %v", s0, s1)
	}
	kids := jwksKIDs(t, m)
	for _, kid := range []string{s1[signet.KeyCurrent][0], s1[signet.KeyNext][0], s1[signet.KeyRetired][0]} {
		if !kids[kid] {
			t.Fatalf("JWKS lacks %s: %v", kid, kids)
		}
	}
	if _, maxAge := m.JWKS(); maxAge != 16*time.Minute {
		t.Fatalf("JWKS max-age %v, want the time until the retired key leaves (30s reload + 15m + 30s leeway)", maxAge)
	}
	if err := e.verify(t, m, old); err != nil {
		t.Fatalf("token of the retired key refused: %v", err)
	}
	if err := e.verify(t, m, e.sign(t, m)); err != nil {
		t.Fatalf("token of the new key refused: %v", err)
	}

	e.clock.Advance(15*time.Minute + 59*time.Second)
	if kids := jwksKIDs(t, m); !kids[s1[signet.KeyRetired][0]] {
		t.Fatal("the retired key left the JWKS while a token it signed may still be valid")
	}
	e.clock.Advance(time.Second)
	if kids := jwksKIDs(t, m); kids[s1[signet.KeyRetired][0]] {
		t.Fatal("the retired key is still published after its tokens expired")
	}
	if err := m.Tick(t.Context()); err != nil {
		t.Fatalf("Tick: %v", err)
	}
	if s := byState(t, m, jose.ES256); len(s[signet.KeyRetired]) != 0 {
		t.Fatalf("retired key not deleted: %v", s)
	}
	if err := e.verify(t, m, old); !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("token of a deleted key: %v, want ErrKeyNotFound", err)
	}
}

func TestScheduledRotation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.ensured(t, keys.ManagerConfig{RotateEvery: 24 * time.Hour})
	s0 := byState(t, m, jose.RS256)
	if _, maxAge := m.JWKS(); maxAge != time.Hour {
		t.Fatalf("max-age %v, want 1h", maxAge)
	}
	e.clock.Advance(23*time.Hour + 30*time.Minute)
	if _, maxAge := m.JWKS(); maxAge != 30*time.Minute {
		t.Fatalf("max-age %v, want the 30m until the rotation", maxAge)
	}
	if err := m.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := byState(t, m, jose.RS256); !slices.Equal(s[signet.KeyCurrent], s0[signet.KeyCurrent]) {
		t.Fatalf("rotated before the schedule: %v", s)
	}
	e.clock.Advance(30 * time.Minute)
	if err := m.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := byState(t, m, jose.RS256); !slices.Equal(s[signet.KeyCurrent], s0[signet.KeyNext]) {
		t.Fatalf("not rotated on schedule: before %v, after %v", s0, s)
	}
	if !strings.Contains(e.logs.String(), `"event":"key.rotated"`) {
		t.Fatalf("no key.rotated event in\n%s", e.logs)
	}
}

func TestReloadFollowsAnotherProcess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	server := e.ensured(t, keys.ManagerConfig{})
	cli := e.ensured(t, keys.ManagerConfig{})
	for range 2 { // the second rotation makes a current key the server never saw
		if err := cli.Rotate(t.Context(), jose.ES256); err != nil {
			t.Fatal(err)
		}
	}
	fresh := e.sign(t, cli)
	if err := e.verify(t, server, fresh); err != nil {
		t.Fatalf("unknown kid did not cause a reload: %v", err)
	}
	if err := cli.Rotate(t.Context(), jose.ES256); err != nil {
		t.Fatal(err)
	}
	if err := cli.Rotate(t.Context(), jose.ES256); err != nil {
		t.Fatal(err)
	}
	newer := e.sign(t, cli)
	if err := e.verify(t, server, newer); !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("a second unknown kid within 5s reloaded again: %v", err)
	}
	e.clock.Advance(5 * time.Second)
	if err := e.verify(t, server, newer); err != nil {
		t.Fatalf("no reload 5s later: %v", err)
	}
	signer, _ := server.AccessSigner()
	cur := byState(t, cli, jose.ES256)[signet.KeyCurrent][0]
	if signer.Key().KeyID() != cur {
		t.Fatalf("server signs with %s after reload, want %s", signer.Key().KeyID(), cur)
	}
	if err := cli.Rotate(t.Context(), jose.HS256); !errors.Is(err, keys.ErrConfig) {
		t.Fatalf("Rotate(HS256) = %v, want ErrConfig", err)
	}
}

func TestHMACModeNeverPublishesTheSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.ensured(t, keys.ManagerConfig{AccessAlgorithm: jose.HS256})
	tok := e.sign(t, m)
	if err := e.verify(t, m, tok); err != nil {
		t.Fatalf("HS256 token refused: %v", err)
	}
	if set := m.AccessKeys().CurrentKeys(); set.Len() != 2 || !set.Keys()[0].IsSymmetric() {
		t.Fatalf("access keys in HS256 mode: %d keys", set.Len())
	}
	doc, _ := m.JWKS()
	if strings.Contains(string(doc), `"oct"`) || strings.Contains(string(doc), `"k"`) || strings.Contains(string(doc), "hs256") {
		t.Fatalf("JWKS shows an HMAC key: %s", doc)
	}
	if kids := jwksKIDs(t, m); len(kids) != 2 {
		t.Fatalf("JWKS holds %d keys, want the two RS256 keys", len(kids))
	}
	stored, _ := e.store.ListKeys(t.Context())
	for _, k := range stored {
		if k.Algorithm == "HS256" && k.PublicJWK != nil {
			t.Fatalf("HMAC key %s stored with a public JWK", k.KID)
		}
	}
}

func TestAlgorithmChangeRetiresOldKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.ensured(t, keys.ManagerConfig{})
	old := e.sign(t, before)
	after := e.ensured(t, keys.ManagerConfig{AccessAlgorithm: jose.EdDSA})
	es := byState(t, after, jose.ES256)
	if len(es[signet.KeyRetired]) != 1 || len(es[signet.KeyCurrent]) != 0 || len(es[signet.KeyNext]) != 0 {
		t.Fatalf("ES256 keys after the switch to EdDSA: %v", es)
	}
	if err := e.verify(t, after, old); err != nil {
		t.Fatalf("a token of the former algorithm is refused before its key retires: %v", err)
	}
	if err := e.verify(t, after, e.sign(t, after)); err != nil {
		t.Fatalf("EdDSA token refused: %v", err)
	}
}

func TestMasterKeyRotationReseals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.ensured(t, keys.ManagerConfig{})
	tok := e.sign(t, m)
	newMaster, _, _ := keys.GenerateMasterKey()
	oldMaster := e.ring
	both, err := keys.NewKeyring(newMaster, mustMaster(t, oldMaster))
	if err != nil {
		t.Fatal(err)
	}
	e.ring = both
	e.ensured(t, keys.ManagerConfig{})
	e.ring, _ = keys.NewKeyring(newMaster)
	only := e.ensured(t, keys.ManagerConfig{})
	if err := e.verify(t, only, tok); err != nil {
		t.Fatalf("after resealing: %v", err)
	}
	list, _ := only.List(t.Context())
	for _, k := range list {
		if k.MasterKeyID != newMaster.ID {
			t.Fatalf("key %s still sealed under %s", k.KID, k.MasterKeyID)
		}
	}
}

// mustMaster recovers the master key of a one-key ring made by newEnv. The
// Keyring does not expose keys, so newEnv's ring is rebuilt from its id.
func mustMaster(t *testing.T, r *keys.Keyring) keys.MasterKey {
	t.Helper()
	mastersMu.Lock()
	defer mastersMu.Unlock()
	for _, mk := range masters {
		if mk.ID == r.CurrentID() {
			return mk
		}
	}
	t.Fatal("unknown master key")
	return keys.MasterKey{}
}

func TestSealedAtRest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.ensured(t, keys.ManagerConfig{})
	stored, _ := e.store.ListKeys(t.Context())
	for _, k := range stored {
		plain, err := e.ring.Open(k.MasterKeyID, k.KID, k.EncryptedPrivate)
		if err != nil {
			t.Fatalf("%s: %v", k.KID, err)
		}
		priv, err := jose.ParseJWK(plain)
		if err != nil || !priv.IsPrivate() {
			t.Fatalf("%s: sealed content is not a private JWK: %v", k.KID, err)
		}
		if strings.Contains(string(k.EncryptedPrivate), `"d"`) || strings.Contains(string(k.PublicJWK), `"d"`) {
			t.Fatalf("%s: private member visible at rest", k.KID)
		}
	}
	if strings.Contains(e.logs.String(), `"d"`) || strings.Contains(e.logs.String(), "PRIVATE") {
		t.Fatalf("key material in logs:\n%s", e.logs)
	}
	_ = m
}
