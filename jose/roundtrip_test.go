package jose_test

import (
	"crypto"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

func TestSignVerifyEveryAlgorithm(t *testing.T) {
	for _, alg := range jose.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			k := mustKey(t, alg, "")
			if k.KeyID() == "" || k.Algorithm() != alg {
				t.Fatalf("generated key: kid %q alg %s", k.KeyID(), k.Algorithm())
			}
			verifyKey := k.Public()
			if k.IsSymmetric() {
				verifyKey = k
			}
			keys, err := jose.NewKeySet(verifyKey)
			if err != nil {
				t.Fatal(err)
			}
			tok := signAccess(t, k, goodClaims())
			got, err := accessVerifier(t, keys).Verify(tok)
			if err != nil {
				t.Fatal(err)
			}
			want := goodClaims()
			if got.Subject != want.Subject || !reflect.DeepEqual(got.Roles, want.Roles) || got.ExpiresAt != want.ExpiresAt ||
				got.Scope != want.Scope || got.SessionID != want.SessionID || !reflect.DeepEqual(got.Audience, want.Audience) {
				t.Fatalf("claims differ: got %+v", got)
			}
			// Any single changed byte of the signature is refused.
			p := strings.Split(tok, ".")
			sig, _ := enc.DecodeString(p[2])
			sig[len(sig)/2] ^= 1
			expectErr(t, accessVerifier(t, keys), replacePart(tok, 2, enc.EncodeToString(sig)), jose.ErrBadSignature)
			// So is a payload with one changed claim (the tampered-role token).
			payload, _ := enc.DecodeString(p[1])
			forged := strings.Replace(string(payload), `"roles":["user"]`, `"roles":["admin"]`, 1)
			if forged == string(payload) {
				t.Fatal("payload did not contain the roles claim")
			}
			expectErr(t, accessVerifier(t, keys), replacePart(tok, 1, enc.EncodeToString([]byte(forged))), jose.ErrBadSignature)
		})
	}
}

// The hand-written claims encoder must agree with encoding/json.
func TestClaimsEncodingMatchesEncodingJSON(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	cases := []*jose.Claims{
		goodClaims(),
		{Issuer: "a\"b<c>&\u2028", Audience: jose.Audience{"x", "y"}, ExpiresAt: 1, EmailVerified: true, Email: "ü@example.com"},
		{},
	}
	for i, c := range cases {
		s, _ := jose.NewSigner(k)
		tok, err := s.Sign(c)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := enc.DecodeString(strings.Split(tok, ".")[1])
		want, _ := json.Marshal(c)
		if string(got) != string(want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func TestCustomClaims(t *testing.T) {
	k := mustKey(t, jose.EdDSA, "k")
	keys, _ := jose.NewKeySet(k.Public())
	tok := signAccess(t, k, &tenantToken{Claims: *goodClaims(), Tenant: "acme"})
	var dst tenantClaims
	if err := accessVerifier(t, keys).VerifyInto(tok, &dst); err != nil {
		t.Fatal(err)
	}
	if dst.Tenant != `"acme"` || dst.calls != 1 || dst.Subject != "u_123" {
		t.Fatalf("custom claims: %+v", dst)
	}
	var viaDecode tenantToken
	if err := dst.Decode(&viaDecode); err != nil || viaDecode.Tenant != "acme" || viaDecode.Subject != "u_123" {
		t.Fatalf("Decode: %v %+v", err, viaDecode)
	}
}

func TestJWKRoundTrip(t *testing.T) {
	for _, alg := range jose.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			k := mustKey(t, alg, "kid-1")
			j, err := k.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			back, err := jose.ParseJWK(j)
			if err != nil {
				t.Fatalf("ParseJWK(%s): %v", j, err)
			}
			t1, _ := k.Thumbprint(crypto.SHA256)
			t2, _ := back.Thumbprint(crypto.SHA256)
			if string(t1) != string(t2) || back.KeyID() != "kid-1" || back.Algorithm() != alg || !back.IsPrivate() {
				t.Fatalf("round trip changed the key: %s", j)
			}
			if k.IsSymmetric() {
				return
			}
			pj, _ := k.Public().MarshalJSON()
			if strings.Contains(string(pj), `"d"`) || strings.Contains(string(pj), `"p"`) {
				t.Fatalf("public JWK leaks private members: %s", pj)
			}
			pub, err := jose.ParseJWK(pj)
			if err != nil || pub.IsPrivate() {
				t.Fatalf("public JWK: %v", err)
			}
			if _, err := jose.NewSigner(pub); !errors.Is(err, jose.ErrInvalidKey) {
				t.Fatalf("a public key made a signer: %v", err)
			}
		})
	}
}

func TestKeySetJWKSIsPublic(t *testing.T) {
	keys, _ := jose.NewKeySet(mustKey(t, jose.ES256, "a"), mustKey(t, jose.RS256, "b"), mustKey(t, jose.EdDSA, "c"))
	doc, err := json.Marshal(keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{`"d"`, `"p"`, `"q"`, `"dp"`, `"k"`} {
		if strings.Contains(string(doc), m) {
			t.Fatalf("JWKS contains private member %s: %s", m, doc)
		}
	}
	back, err := jose.ParseJWKS(doc)
	if err != nil || back.Len() != 3 {
		t.Fatalf("ParseJWKS: %v", err)
	}
	hs, _ := jose.NewKeySet(mustKey(t, jose.HS256, "h"))
	if _, err := json.Marshal(hs); err == nil {
		t.Fatal("a set of secrets was published")
	}
}

func TestUnsafeParseWithoutVerification(t *testing.T) {
	k := mustKey(t, jose.ES256, "k")
	tok := signAccess(t, k, goodClaims())
	u, err := jose.UnsafeParseWithoutVerification(tok)
	if err != nil {
		t.Fatal(err)
	}
	if u.Header.Algorithm != jose.ES256 || u.Header.KeyID != "k" || u.Header.Type != "at+jwt" || u.Claims == nil || u.Claims.Subject != "u_123" {
		t.Fatalf("decoded: %+v", u)
	}
	if _, err := jose.UnsafeParseWithoutVerification("a.b"); !errors.Is(err, jose.ErrMalformed) {
		t.Fatalf("malformed token: %v", err)
	}
}

func TestVerifyJWSArbitraryPayload(t *testing.T) {
	k := mustKey(t, jose.HS384, "k")
	s, _ := jose.NewSigner(k, jose.WithType(""))
	tok, err := s.SignPayload([]byte("not json at all"))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := jose.NewKeySet(k)
	h, payload, err := jose.VerifyJWS(tok, keys)
	if err != nil || string(payload) != "not json at all" || h.Algorithm != jose.HS384 {
		t.Fatalf("VerifyJWS: %v %q %+v", err, payload, h)
	}
}
