package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

var enc = base64.RawURLEncoding

const (
	testIssuer   = "https://id.example"
	testAudience = "https://api.example"
)

// testNow is the fixed clock of the tests.
var testNow = time.Unix(1_800_000_000, 0)

func mustKey(t testing.TB, alg jose.Algorithm, kid string) *jose.Key {
	t.Helper()
	k, err := jose.GenerateKey(alg, kid)
	if err != nil {
		t.Fatalf("GenerateKey(%s): %v", alg, err)
	}
	return k
}

// goodClaims is a valid access token's claims at testNow.
func goodClaims() *jose.Claims {
	return &jose.Claims{
		Issuer: testIssuer, Subject: "u_123", Audience: jose.Audience{testAudience},
		ExpiresAt: jose.NumericDate(testNow.Unix() + 900), IssuedAt: jose.NumericDate(testNow.Unix()),
		NotBefore: jose.NumericDate(testNow.Unix()), ID: "jti-1", ClientID: "signet",
		Scope: "posts:read posts:write", SessionID: "s_1", Roles: []string{"user"},
	}
}

func accessVerifier(t testing.TB, keys jose.KeySource, opts ...jose.Option) *jose.Verifier {
	t.Helper()
	base := []jose.Option{jose.WithIssuer(testIssuer), jose.WithAudience(testAudience),
		jose.WithTokenType(jose.TypeAccessToken), jose.WithClock(func() time.Time { return testNow })}
	v, err := jose.NewVerifier(keys, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func signAccess(t testing.TB, k *jose.Key, c any) string {
	t.Helper()
	s, err := jose.NewSigner(k, jose.WithType(jose.TypeAccessToken))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// rawToken builds a compact token from literal header and payload JSON and
// signs it with sign, bypassing every check of the library, as an attacker
// would.
func rawToken(header, payload string, sign func(input []byte) []byte) string {
	in := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	return in + "." + enc.EncodeToString(sign([]byte(in)))
}

func hmacSigner(h crypto.Hash, secret []byte) func([]byte) []byte {
	return func(in []byte) []byte {
		m := hmac.New(h.New, secret)
		m.Write(in)
		return m.Sum(nil)
	}
}

func ecdsaSigner(priv *ecdsa.PrivateKey, h crypto.Hash) func([]byte) []byte {
	return func(in []byte) []byte {
		d := h.New()
		d.Write(in)
		r, s, err := ecdsa.Sign(rand.Reader, priv, d.Sum(nil))
		if err != nil {
			panic(err)
		}
		size := (priv.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		r.FillBytes(out[:size])
		s.FillBytes(out[size:])
		return out
	}
}

func rsaSigner(priv *rsa.PrivateKey, h crypto.Hash, pss *rsa.PSSOptions) func([]byte) []byte {
	return func(in []byte) []byte {
		d := h.New()
		d.Write(in)
		var sig []byte
		var err error
		if pss != nil {
			sig, err = rsa.SignPSS(rand.Reader, priv, h, d.Sum(nil), pss)
		} else {
			sig, err = rsa.SignPKCS1v15(nil, priv, h, d.Sum(nil))
		}
		if err != nil {
			panic(err)
		}
		return sig
	}
}

func edSigner(priv ed25519.PrivateKey) func([]byte) []byte {
	return func(in []byte) []byte { return ed25519.Sign(priv, in) }
}

// payloadJSON is a valid access-token payload at testNow.
func payloadJSON() string {
	return `{"iss":"` + testIssuer + `","sub":"u_123","aud":"` + testAudience + `","exp":` +
		itoa(testNow.Unix()+900) + `,"iat":` + itoa(testNow.Unix()) + `}`
}

func itoa(n int64) string { return big.NewInt(n).String() }

func replacePart(tok string, i int, part string) string {
	p := strings.Split(tok, ".")
	p[i] = part
	return strings.Join(p, ".")
}
