package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var keyTests = []test{
	{"CreateAndGet", testCreateKey},
	{"Refused", testKeyRefused},
	{"Lifecycle", testKeyLifecycle},
	{"OneCurrentPerAlgorithm", testKeyOneCurrent},
	{"UpdateRefused", testUpdateKeysRefused},
}

const maxTokenLifetime = 24 * time.Hour // the longest-lived token a key signs (ID tokens)

// newKey returns a key of the given algorithm and state, not yet stored.
func newKey(c *clock, alg string, state signet.KeyState) signet.SigningKey {
	kid := signet.NewID()
	k := signet.SigningKey{KID: kid, Algorithm: alg, State: state,
		PublicJWK:        []byte(fmt.Sprintf(`{"kty":"EC","kid":%q}`, kid)),
		EncryptedPrivate: []byte("ciphertext of " + kid), MasterKeyID: "mk-1", CreatedAt: c.Now()}
	if alg == "HS256" {
		k.PublicJWK = nil // a secret is never published
	}
	if state == signet.KeyCurrent {
		k.ActivatedAt = c.Now()
	}
	return k
}

func testCreateKey(t *testing.T, s signet.Store) {
	c := newClock()
	for _, k := range []signet.SigningKey{newKey(c, "ES256", signet.KeyCurrent), newKey(c, "HS256", signet.KeyCurrent)} {
		must(t, s.CreateKey(t.Context(), k))
		got, err := s.Key(t.Context(), k.KID)
		must(t, err)
		wantEqual(t, "stored key", got, k)
	}
	retired := newKey(c, "RS256", signet.KeyRetired)
	retired.ActivatedAt, retired.RetiredAt, retired.DeleteAfter = c.Now(), c.After(time.Hour), c.After(time.Hour+maxTokenLifetime)
	must(t, s.CreateKey(t.Context(), retired))
	got, err := s.Key(t.Context(), retired.KID)
	must(t, err)
	wantEqual(t, "retired key", got, retired)
	_, err = s.Key(t.Context(), "no-such-kid")
	wantErr(t, err, signet.ErrNotFound)
}

func testKeyRefused(t *testing.T, s signet.Store) {
	c := newClock()
	k := newKey(c, "ES256", signet.KeyNext)
	must(t, s.CreateKey(t.Context(), k))
	tests := []struct {
		name string
		key  func() signet.SigningKey
		want error
	}{
		{"kid taken", func() signet.SigningKey { d := newKey(c, "RS256", signet.KeyNext); d.KID = k.KID; return d }, signet.ErrConflict},
		{"second next", func() signet.SigningKey { return newKey(c, "ES256", signet.KeyNext) }, signet.ErrConflict},
		{"no kid", func() signet.SigningKey { d := newKey(c, "ES256", signet.KeyRetired); d.KID = ""; return d }, signet.ErrInvalid},
		{"bad state", func() signet.SigningKey { return newKey(c, "ES256", "active") }, signet.ErrInvalid},
		{"no private key", func() signet.SigningKey {
			d := newKey(c, "ES256", signet.KeyRetired)
			d.EncryptedPrivate = nil
			return d
		}, signet.ErrInvalid},
		{"no master key id", func() signet.SigningKey {
			d := newKey(c, "ES256", signet.KeyRetired)
			d.MasterKeyID = ""
			return d
		}, signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, s.CreateKey(t.Context(), tt.key()), tt.want)
		})
	}
	keys, err := s.ListKeys(t.Context())
	must(t, err)
	wantEqual(t, "keys after refusals", keys, []signet.SigningKey{k})
}

// rotateKeys is the rotation a key manager performs: current to retired,
// next to current, and a new next, as one change.
func rotateKeys(c *clock, alg string) func([]signet.SigningKey) (signet.KeyChange, error) {
	return func(keys []signet.SigningKey) (signet.KeyChange, error) {
		var ch signet.KeyChange
		for _, k := range keys {
			switch {
			case k.Algorithm != alg:
			case k.State == signet.KeyCurrent:
				k.State, k.RetiredAt, k.DeleteAfter = signet.KeyRetired, c.Now(), c.After(maxTokenLifetime)
				ch.Put = append(ch.Put, k)
			case k.State == signet.KeyNext:
				k.State, k.ActivatedAt = signet.KeyCurrent, c.Now()
				ch.Put = append(ch.Put, k)
			case k.State == signet.KeyRetired && !c.Now().Before(k.DeleteAfter):
				ch.Delete = append(ch.Delete, k.KID)
			}
		}
		ch.Put = append(ch.Put, newKey(c, alg, signet.KeyNext))
		return ch, nil
	}
}

// byKID returns the keys sorted by KID: ListKeys orders keys created at the
// same time in no documented way.
func byKID(keys []signet.SigningKey) []signet.SigningKey {
	return slices.SortedFunc(slices.Values(keys), func(a, b signet.SigningKey) int {
		return strings.Compare(a.KID, b.KID)
	})
}

// states returns "state" per KID, in ListKeys order, for one algorithm.
func states(keys []signet.SigningKey, alg string) map[signet.KeyState][]string {
	out := map[signet.KeyState][]string{}
	for _, k := range keys {
		if k.Algorithm == alg {
			out[k.State] = append(out[k.State], k.KID)
		}
	}
	return out
}

func testKeyLifecycle(t *testing.T, s signet.Store) {
	c := newClock()
	k1 := newKey(c, "ES256", signet.KeyCurrent)
	k2 := newKey(c, "ES256", signet.KeyNext)
	must(t, s.CreateKey(t.Context(), k1))
	must(t, s.CreateKey(t.Context(), k2))

	c.Advance(30 * 24 * time.Hour)
	keys, err := s.UpdateKeys(t.Context(), rotateKeys(c, "ES256"))
	must(t, err)
	st := states(keys, "ES256")
	if !slices.Equal(st[signet.KeyRetired], []string{k1.KID}) || !slices.Equal(st[signet.KeyCurrent], []string{k2.KID}) || len(st[signet.KeyNext]) != 1 {
		t.Fatalf("after the first rotation: %v", st)
	}
	got, err := s.Key(t.Context(), k1.KID)
	must(t, err)
	if !got.RetiredAt.Equal(c.Now()) || !got.DeleteAfter.Equal(c.After(maxTokenLifetime)) || !got.Published(c.Now()) {
		t.Fatalf("retired key %+v: want retired now, published until DeleteAfter", got)
	}
	if got.Published(got.DeleteAfter) {
		t.Fatal("a retired key is published past DeleteAfter")
	}

	// The next rotation, after DeleteAfter, deletes k1.
	c.Advance(30 * 24 * time.Hour)
	keys, err = s.UpdateKeys(t.Context(), rotateKeys(c, "ES256"))
	must(t, err)
	listed, err := s.ListKeys(t.Context())
	must(t, err)
	wantEqual(t, "UpdateKeys result and ListKeys", keys, listed)
	st = states(keys, "ES256")
	if len(keys) != 3 || !slices.Equal(st[signet.KeyRetired], []string{k2.KID}) || len(st[signet.KeyCurrent]) != 1 {
		t.Fatalf("after the second rotation: %v", st)
	}
	_, err = s.Key(t.Context(), k1.KID)
	wantErr(t, err, signet.ErrNotFound)
}

// testKeyOneCurrent: several algorithms are current at once, one key each.
func testKeyOneCurrent(t *testing.T, s signet.Store) {
	c := newClock()
	for _, alg := range []string{"ES256", "RS256", "HS256"} {
		must(t, s.CreateKey(t.Context(), newKey(c, alg, signet.KeyCurrent)))
		must(t, s.CreateKey(t.Context(), newKey(c, alg, signet.KeyNext)))
	}
	wantErr(t, s.CreateKey(t.Context(), newKey(c, "ES256", signet.KeyCurrent)), signet.ErrConflict)

	keys, err := s.UpdateKeys(t.Context(), rotateKeys(c, "RS256"))
	must(t, err)
	for _, alg := range []string{"ES256", "RS256", "HS256"} {
		if st := states(keys, alg); len(st[signet.KeyCurrent]) != 1 || len(st[signet.KeyNext]) != 1 {
			t.Fatalf("%s: %v, want one current and one next key", alg, st)
		}
	}
}

// testUpdateKeysRefused: a refused change changes nothing.
func testUpdateKeysRefused(t *testing.T, s signet.Store) {
	c := newClock()
	cur := newKey(c, "ES256", signet.KeyCurrent)
	next := newKey(c, "ES256", signet.KeyNext)
	must(t, s.CreateKey(t.Context(), cur))
	must(t, s.CreateKey(t.Context(), next))
	errMine := errors.New("refused by the caller")
	tests := []struct {
		name   string
		change func(keys []signet.SigningKey) signet.KeyChange
		fnErr  error
		want   error
	}{
		{"fn error returned as is", func(keys []signet.SigningKey) signet.KeyChange {
			return signet.KeyChange{Delete: []string{cur.KID}}
		}, errMine, errMine},
		{"two current keys", func(keys []signet.SigningKey) signet.KeyChange {
			k := next
			k.State = signet.KeyCurrent
			return signet.KeyChange{Put: []signet.SigningKey{k}, Delete: []string{"unknown-kid"}}
		}, nil, signet.ErrConflict},
		{"algorithm changed", func(keys []signet.SigningKey) signet.KeyChange {
			k := cur
			k.Algorithm = "HS256"
			return signet.KeyChange{Put: []signet.SigningKey{k}}
		}, nil, signet.ErrInvalid},
		{"public key changed", func(keys []signet.SigningKey) signet.KeyChange {
			k := cur
			k.PublicJWK = []byte(`{"kty":"EC","kid":"other"}`)
			return signet.KeyChange{Put: []signet.SigningKey{newKey(c, "RS256", signet.KeyNext), k}}
		}, nil, signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.UpdateKeys(t.Context(), func(keys []signet.SigningKey) (signet.KeyChange, error) {
				return tt.change(keys), tt.fnErr
			})
			wantErr(t, err, tt.want)
			keys, err := s.ListKeys(t.Context())
			must(t, err)
			wantEqual(t, "keys after a refused change", byKID(keys), byKID([]signet.SigningKey{cur, next}))
		})
	}
}
