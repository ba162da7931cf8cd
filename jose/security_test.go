package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// Each test in this file shows the refusal that one rule of
// shared/SECURITY.md (rules 1 to 7) requires.

func expectErr(t *testing.T, v *jose.Verifier, tok string, want error) {
	t.Helper()
	c, err := v.Verify(tok)
	if !errors.Is(err, want) {
		t.Fatalf("Verify error = %v, want %v", err, want)
	}
	if c != nil {
		t.Fatalf("a failed Verify returned claims %+v", c)
	}
}

// Rule 1: the verifier decides the algorithm; none is refused; a public key
// is never an HMAC secret.
func TestRule1AlgorithmBoundToKey(t *testing.T) {
	es := mustKey(t, jose.ES256, "es")
	rs := mustKey(t, jose.RS256, "rs")
	keys, _ := jose.NewKeySet(es.Public(), rs.Public())
	v := accessVerifier(t, keys)
	rsJWK, _ := rs.Public().MarshalJSON()
	ecPriv := es.CryptoSigner().(*ecdsa.PrivateKey)
	rsaPriv := rs.CryptoSigner().(*rsa.PrivateKey)
	h := func(alg, kid string) string { return `{"alg":"` + alg + `","kid":"` + kid + `","typ":"at+jwt"}` }
	cases := []struct {
		name string
		tok  string
		want error
	}{
		{"none with empty signature", enc.EncodeToString([]byte(h("none", "es"))) + "." + enc.EncodeToString([]byte(payloadJSON())) + ".", jose.ErrMalformed},
		{"none with a signature", rawToken(h("none", "es"), payloadJSON(), func([]byte) []byte { return []byte("x") }), jose.ErrUnsupportedAlgorithm},
		{"None capitalised", rawToken(h("None", "rs"), payloadJSON(), func([]byte) []byte { return []byte("x") }), jose.ErrUnsupportedAlgorithm},
		{"RSA public JWK used as HS256 secret", rawToken(h("HS256", "rs"), payloadJSON(), hmacSigner(crypto.SHA256, rsJWK)), jose.ErrUnsupportedAlgorithm},
		{"RSA modulus used as HS256 secret", rawToken(h("HS256", "rs"), payloadJSON(), hmacSigner(crypto.SHA256, rsaPriv.N.Bytes())), jose.ErrUnsupportedAlgorithm},
		{"ES256 key, token says ES384", rawToken(h("ES384", "es"), payloadJSON(), ecdsaSigner(ecPriv, crypto.SHA384)), jose.ErrUnsupportedAlgorithm},
		{"RS256 key, token says PS256", rawToken(h("PS256", "rs"), payloadJSON(), rsaSigner(rsaPriv, crypto.SHA256, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})), jose.ErrUnsupportedAlgorithm},
		{"unknown algorithm", rawToken(h("XS256", "es"), payloadJSON(), ecdsaSigner(ecPriv, crypto.SHA256)), jose.ErrUnsupportedAlgorithm},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { expectErr(t, v, tc.tok, tc.want) })
	}
	t.Run("the honest token passes", func(t *testing.T) {
		if _, err := v.Verify(rawToken(h("ES256", "es"), payloadJSON(), ecdsaSigner(ecPriv, crypto.SHA256))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("WithAlgorithms narrows further", func(t *testing.T) {
		v := accessVerifier(t, keys, jose.WithAlgorithms(jose.RS256))
		expectErr(t, v, rawToken(h("ES256", "es"), payloadJSON(), ecdsaSigner(ecPriv, crypto.SHA256)), jose.ErrUnsupportedAlgorithm)
	})
	t.Run("secrets and public keys never share a set", func(t *testing.T) {
		hs := mustKey(t, jose.HS256, "hs")
		if _, err := jose.NewKeySet(hs, es.Public()); !errors.Is(err, jose.ErrInvalidKey) {
			t.Fatalf("mixed key set: %v", err)
		}
	})
}

// Rule 2: keys come from the configured set only; jku, x5u, jwk and x5c are
// never followed or trusted; kid is opaque.
func TestRule2KeysOnlyFromTheConfiguredSet(t *testing.T) {
	victim := mustKey(t, jose.ES256, "victim")
	attacker := mustKey(t, jose.ES256, "victim") // same kid, different key
	keys, _ := jose.NewKeySet(victim.Public())
	v := accessVerifier(t, keys)
	var fetched atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fetched.Add(1) }))
	defer srv.Close()
	attJWK, _ := attacker.Public().MarshalJSON()
	attSign := ecdsaSigner(attacker.CryptoSigner().(*ecdsa.PrivateKey), crypto.SHA256)
	cases := []struct {
		name, header string
		want         error
	}{
		{"embedded jwk", `{"alg":"ES256","kid":"victim","typ":"at+jwt","jwk":` + string(attJWK) + `}`, jose.ErrBadSignature},
		{"jku", `{"alg":"ES256","kid":"victim","typ":"at+jwt","jku":"` + srv.URL + `/jwks"}`, jose.ErrBadSignature},
		{"x5u", `{"alg":"ES256","kid":"victim","typ":"at+jwt","x5u":"` + srv.URL + `/cert"}`, jose.ErrBadSignature},
		{"x5c", `{"alg":"ES256","kid":"victim","typ":"at+jwt","x5c":["MIIB"]}`, jose.ErrBadSignature},
		{"jku with unknown kid", `{"alg":"ES256","kid":"k2","typ":"at+jwt","jku":"` + srv.URL + `"}`, jose.ErrKeyNotFound},
		{"kid as a path", `{"alg":"ES256","kid":"../../../../dev/null","typ":"at+jwt"}`, jose.ErrKeyNotFound},
		{"kid as SQL", `{"alg":"ES256","kid":"x' UNION SELECT 'secret","typ":"at+jwt"}`, jose.ErrKeyNotFound},
		{"kid as URL", `{"alg":"ES256","kid":"` + srv.URL + `","typ":"at+jwt"}`, jose.ErrKeyNotFound},
		{"no kid, one-key set, wrong key", `{"alg":"ES256","typ":"at+jwt"}`, jose.ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { expectErr(t, v, rawToken(tc.header, payloadJSON(), attSign), tc.want) })
	}
	if n := fetched.Load(); n != 0 {
		t.Fatalf("the verifier made %d requests to URLs named in tokens", n)
	}
}

// Rule 3: unknown crit parameters and b64:false are refused.
func TestRule3CritAndB64(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	v := accessVerifier(t, keys)
	for _, header := range []string{
		`{"alg":"HS256","kid":"k","typ":"at+jwt","crit":["exp"],"exp":1}`,
		`{"alg":"HS256","kid":"k","typ":"at+jwt","crit":["b64"],"b64":false}`,
		`{"alg":"HS256","kid":"k","typ":"at+jwt","b64":false}`,
		`{"alg":"HS256","kid":"k","typ":"at+jwt","crit":[]}`,
	} {
		t.Run(header, func(t *testing.T) {
			secret := mustSecret(t, k)
			expectErr(t, v, rawToken(header, payloadJSON(), hmacSigner(crypto.SHA256, secret)), jose.ErrUnsupportedHeader)
		})
	}
}

func mustSecret(t *testing.T, k *jose.Key) []byte {
	t.Helper()
	j, _ := k.MarshalJSON()
	kk := strings.Split(strings.Split(string(j), `"k":"`)[1], `"`)[0]
	b, err := enc.DecodeString(kk)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
