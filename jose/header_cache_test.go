package jose_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// swappableKeys is a KeySource whose set a test replaces, as a JWKS cache
// does after a refresh.
type swappableKeys struct{ p atomic.Pointer[jose.KeySet] }

func (s *swappableKeys) CurrentKeys() *jose.KeySet { return s.p.Load() }

// The header cache must never let a token skip a check: a cached header
// still goes with a full signature and claims check, and a new key set
// invalidates what was resolved in the old one.
func TestHeaderCacheSkipsNothing(t *testing.T) {
	old := mustKey(t, jose.ES256, "k")
	src := &swappableKeys{}
	set, _ := jose.NewKeySet(old.Public())
	src.p.Store(set)
	v := accessVerifier(t, src)
	good := signAccess(t, old, goodClaims())
	for range 2 { // the second pass takes the cached header
		if _, err := v.Verify(good); err != nil {
			t.Fatal(err)
		}
	}
	header := strings.Split(good, ".")[0]
	expired := goodClaims()
	expired.ExpiresAt = jose.NumericDate(testNow.Unix() - 3600)
	forged := mustKey(t, jose.ES256, "k") // same kid, other key: same header text
	cases := []struct {
		name string
		tok  string
		want error
	}{
		{"bad signature under a cached header", replacePart(good, 2, strings.Split(signAccess(t, forged, goodClaims()), ".")[2]), jose.ErrBadSignature},
		{"other key, same header text", signAccess(t, forged, goodClaims()), jose.ErrBadSignature},
		{"expired token under a cached header", signAccess(t, old, expired), jose.ErrExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Split(tc.tok, ".")[0] != header {
				t.Fatal("test token does not share the cached header")
			}
			expectErr(t, v, tc.tok, tc.want)
		})
	}
	t.Run("a new key set invalidates the cache", func(t *testing.T) {
		next, _ := jose.NewKeySet(forged.Public()) // kid "k" now names another key
		src.p.Store(next)
		if _, err := v.Verify(good); !errors.Is(err, jose.ErrBadSignature) {
			t.Fatalf("token of the replaced key: %v", err)
		}
		if _, err := v.Verify(signAccess(t, forged, goodClaims())); err != nil {
			t.Fatalf("token of the new key: %v", err)
		}
	})
	t.Run("type is still checked", func(t *testing.T) {
		idv, err := jose.NewVerifier(src, jose.WithIssuer(testIssuer), jose.WithAudience(testAudience))
		if err != nil {
			t.Fatal(err)
		}
		tok := signAccess(t, forged, goodClaims())
		accessVerifier(t, src).Verify(tok) // cache the header in another verifier: caches are per verifier
		expectErr(t, idv, tok, jose.ErrWrongType)
		expectErr(t, idv, tok, jose.ErrWrongType)
	})
}
