package jose_test

import (
	"errors"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// knownErrors are the sentinels every refusal must wrap.
var knownErrors = []error{jose.ErrMalformed, jose.ErrUnsupportedAlgorithm, jose.ErrUnsupportedHeader,
	jose.ErrKeyNotFound, jose.ErrInvalidKey, jose.ErrBadSignature, jose.ErrExpired, jose.ErrNotYetValid,
	jose.ErrWrongIssuer, jose.ErrWrongAudience, jose.ErrWrongType, jose.ErrMissingClaim}

func wrapsKnown(err error) bool {
	for _, s := range knownErrors {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// FuzzParseCompact feeds arbitrary strings to the unverified parser: it must
// never panic, and every refusal wraps a sentinel.
func FuzzParseCompact(f *testing.F) {
	k := mustKey(f, jose.ES256, "k")
	f.Add(signAccess(f, k, goodClaims()))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		u, err := jose.UnsafeParseWithoutVerification(tok)
		if err != nil && !wrapsKnown(err) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if err == nil && u.Header.Algorithm == "" {
			t.Fatal("parsed a header without alg")
		}
	})
}

// FuzzParseJWK feeds arbitrary bytes to the JWK and JWKS parsers.
func FuzzParseJWK(f *testing.F) {
	for _, alg := range jose.Algorithms() {
		j, _ := mustKey(f, alg, "k").MarshalJSON()
		f.Add(j)
	}
	f.Add([]byte(`{"keys":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := jose.ParseJWK(data)
		if err != nil && !wrapsKnown(err) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if err == nil {
			again, err := k.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := jose.ParseJWK(again); err != nil {
				t.Fatalf("re-parsing a marshalled key: %v", err)
			}
		}
		if _, err := jose.ParseJWKS(data); err != nil && !wrapsKnown(err) {
			t.Fatalf("JWKS error wraps no sentinel: %v", err)
		}
	})
}

// FuzzVerify mutates real tokens: a verifier must never panic, must wrap a
// sentinel when it refuses, and must accept only the exact tokens it signed.
func FuzzVerify(f *testing.F) {
	hs := mustKey(f, jose.HS256, "hs")
	keys, _ := jose.NewKeySet(hs)
	v := accessVerifier(f, keys)
	good := signAccess(f, hs, goodClaims())
	f.Add(good)
	f.Add(good[:len(good)-2])
	f.Add(good + "A")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(tok)
		switch {
		case err != nil && !wrapsKnown(err):
			t.Fatalf("error wraps no sentinel: %v", err)
		case err != nil && c != nil:
			t.Fatal("claims returned with an error")
		case err == nil && tok != good:
			t.Fatalf("accepted a token that was never signed: %q", tok)
		}
	})
}
