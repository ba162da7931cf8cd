package jose_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// TestKeySet covers lookup by kid and the sets NewKeySet refuses (security
// rule 5): a repeated kid, the empty one included, a nil key, and secrets
// mixed with public keys.
func TestKeySet(t *testing.T) {
	a, b := mustKey(t, jose.ES256, "a").Public(), mustKey(t, jose.RS256, "b").Public()
	set, err := jose.NewKeySet(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := set.Lookup("b"); !ok || k != b {
		t.Fatal("Lookup(b) did not find b")
	}
	if _, ok := set.Lookup("c"); ok {
		t.Fatal("Lookup(c) found a key")
	}
	if set.Len() != 2 || set.CurrentKeys() != set {
		t.Fatal("Len or CurrentKeys")
	}
	keys := set.Keys()
	keys[0] = nil
	if set.Keys()[0] != a {
		t.Fatal("Keys does not return a copy")
	}
	for _, tc := range []struct {
		name string
		keys []*jose.Key
	}{
		{"two keys, one kid", []*jose.Key{a, mustKey(t, jose.ES256, "a").Public()}},
		{"a nil key", []*jose.Key{mustKey(t, jose.EdDSA, "x").Public(), nil}},
		{"a secret and a public key", []*jose.Key{mustKey(t, jose.HS256, "h"), a}},
		{"a public key and a secret", []*jose.Key{a, mustKey(t, jose.HS512, "h")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := jose.NewKeySet(tc.keys...); !errors.Is(err, jose.ErrInvalidKey) {
				t.Fatalf("got %v, want ErrInvalidKey", err)
			}
		})
	}
	t.Run("the empty kid is a kid like any other", func(t *testing.T) {
		k1, _ := jose.NewHMACKey(jose.HS256, "", make([]byte, 32))
		k2, _ := jose.NewHMACKey(jose.HS256, "", make([]byte, 32))
		if _, err := jose.NewKeySet(k1, k2); !errors.Is(err, jose.ErrInvalidKey) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a token without kid needs a set of exactly one key", func(t *testing.T) {
		signer := mustKey(t, jose.ES256, "")
		s, _ := jose.NewSigner(signer, jose.WithType(jose.TypeAccessToken))
		tok, _ := s.Sign(goodClaims())
		// GenerateKey with no kid names the key by its thumbprint: make
		// a copy of the public key without one.
		pub, _ := jose.NewPublicKey(jose.ES256, "", signer.CryptoPublicKey())
		one, _ := jose.NewKeySet(pub)
		two, _ := jose.NewKeySet(pub, b)
		if _, err := accessVerifier(t, one).Verify(tok); err == nil {
			t.Fatal("token with a kid accepted by a key without one")
		}
		untyped := retype(t, signer, "")
		if _, err := accessVerifier(t, one).Verify(untyped); err != nil {
			t.Fatalf("one-key set: %v", err)
		}
		expectErr(t, accessVerifier(t, two), untyped, jose.ErrKeyNotFound)
	})
}

// retype signs goodClaims under k with the given kid in the header
// (none when empty), bypassing the key's own kid.
func retype(t *testing.T, k *jose.Key, kid string) string {
	t.Helper()
	h := `{"alg":"` + string(k.Algorithm()) + `","typ":"at+jwt"}`
	if kid != "" {
		h = `{"alg":"` + string(k.Algorithm()) + `","kid":"` + kid + `","typ":"at+jwt"}`
	}
	payload, _ := json.Marshal(goodClaims())
	tok, err := jose.SignCompact(k, []byte(h), payload)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
