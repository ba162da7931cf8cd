package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"errors"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// Rule 7: nothing secret goes into a payload and encrypted tokens are not
// taken. The core offers no JWE at all, so every form of one is refused:
// the five-part compact JWE, a JWS header naming password-based key
// wrapping or direct encryption, and the JWE members "zip" (compression,
// the classic decompression bomb) and "enc", even on a validly signed JWS.
func TestRule7NoEncryptedOrCompressedTokens(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	v := accessVerifier(t, keys)
	sign := hmacSigner(crypto.SHA256, mustSecret(t, k))
	jwe := enc.EncodeToString([]byte(`{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","zip":"DEF","p2s":"c2FsdA","p2c":1000}`)) +
		".ZW5jcnlwdGVka2V5.aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFn"
	cases := []struct {
		name string
		tok  string
		want error
	}{
		{"compact JWE with PBES2 and zip", jwe, jose.ErrMalformed},
		{"PBES2 as a JWS algorithm", rawToken(`{"alg":"PBES2-HS256+A128KW","kid":"k","typ":"at+jwt"}`, payloadJSON(), sign), jose.ErrUnsupportedAlgorithm},
		{"dir as a JWS algorithm", rawToken(`{"alg":"dir","kid":"k","typ":"at+jwt"}`, payloadJSON(), sign), jose.ErrUnsupportedAlgorithm},
		{"zip on a signed token", rawToken(`{"alg":"HS256","kid":"k","typ":"at+jwt","zip":"DEF"}`, payloadJSON(), sign), jose.ErrUnsupportedHeader},
		{"enc on a signed token", rawToken(`{"alg":"HS256","kid":"k","typ":"at+jwt","enc":"A256GCM"}`, payloadJSON(), sign), jose.ErrUnsupportedHeader},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { expectErr(t, v, tc.tok, tc.want) })
	}
	t.Run("the debugging decoder refuses them too", func(t *testing.T) {
		for _, tok := range []string{jwe, cases[3].tok} {
			if _, err := jose.UnsafeParseWithoutVerification(tok); err == nil {
				t.Errorf("UnsafeParseWithoutVerification accepted %.40s…", tok)
			}
		}
	})
	t.Run("what a Signer puts in the payload is the claims and nothing else", func(t *testing.T) {
		s, _ := jose.NewSigner(k, jose.WithType(jose.TypeAccessToken))
		tok, err := s.Sign(goodClaims())
		if err != nil {
			t.Fatal(err)
		}
		payload, err := enc.DecodeString(strings.Split(tok, ".")[1])
		if err != nil {
			t.Fatal(err)
		}
		header, _ := enc.DecodeString(strings.Split(tok, ".")[0])
		for _, secret := range []string{enc.EncodeToString(mustSecret(t, k)), string(mustSecret(t, k))} {
			if strings.Contains(string(payload)+string(header), secret) {
				t.Fatal("the token carries the signing secret")
			}
		}
		if string(header) != `{"alg":"HS256","kid":"k","typ":"at+jwt"}` {
			t.Fatalf("header = %s", header)
		}
	})
}

// Rule 5: a MAC is compared in full (with crypto/hmac.Equal, which takes
// the same time wherever the MACs differ): changing any one byte of a valid
// MAC, or cutting it, fails.
func TestRule5MACComparedInFull(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	v := accessVerifier(t, keys)
	tok := signAccess(t, k, goodClaims())
	i := strings.LastIndexByte(tok, '.')
	mac, _ := enc.DecodeString(tok[i+1:])
	for j := range mac {
		bad := append([]byte(nil), mac...)
		bad[j] ^= 0x01
		expectErr(t, v, tok[:i+1]+enc.EncodeToString(bad), jose.ErrBadSignature)
	}
	expectErr(t, v, tok[:i+1]+enc.EncodeToString(mac[:16]), jose.ErrMalformed)
}

// VerifyJWS takes the same path as Verify up to the signature: every header,
// key and signature rule holds for it, only the claims are not read.
func TestVerifyJWSSharesTheChecks(t *testing.T) {
	k := mustKey(t, jose.ES256, "k")
	keys, _ := jose.NewKeySet(k.Public())
	signES := ecdsaSigner(k.CryptoSigner().(*ecdsa.PrivateKey), crypto.SHA256)
	cases := []struct {
		name string
		tok  string
		want error
	}{
		{"none", enc.EncodeToString([]byte(`{"alg":"none"}`)) + ".eyJ4IjoxfQ.", jose.ErrMalformed},
		{"alg other than the key's", rawToken(`{"alg":"HS256","kid":"k"}`, `{}`, hmacSigner(crypto.SHA256, []byte("k"))), jose.ErrUnsupportedAlgorithm},
		{"unknown kid", rawToken(`{"alg":"ES256","kid":"x"}`, `{}`, signES), jose.ErrKeyNotFound},
		{"crit", rawToken(`{"alg":"ES256","kid":"k","crit":["y"],"y":1}`, `{}`, signES), jose.ErrUnsupportedHeader},
		{"duplicate header member", rawToken(`{"alg":"ES256","kid":"k","kid":"k"}`, `{}`, signES), jose.ErrMalformed},
		{"bad signature", rawToken(`{"alg":"ES256","kid":"k"}`, `{}`, ecdsaSigner(mustKey(t, jose.ES256, "k").CryptoSigner().(*ecdsa.PrivateKey), crypto.SHA256)), jose.ErrBadSignature},
		{"too large", rawToken(`{"alg":"ES256","kid":"k"}`, strings.Repeat("x", jose.DefaultMaxTokenSize), signES), jose.ErrMalformed},
		{"non-canonical payload", func() string {
			p := strings.Split(rawToken(`{"alg":"ES256","kid":"k"}`, "ab", signES), ".")
			return p[0] + ".YWJ." + p[2] // "YWI" is the canonical spelling of "ab"
		}(), jose.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, payload, err := jose.VerifyJWS(tc.tok, keys)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if payload != nil || h != (jose.Header{}) {
				t.Fatal("a refused JWS returned its header or payload")
			}
		})
	}
	// A payload that is not a JWT, and an expired JWT, both pass: VerifyJWS
	// reads no claims.
	for _, payload := range []string{"\x00\xffbinary", `{"exp":1}`} {
		if _, got, err := jose.VerifyJWS(rawToken(`{"alg":"ES256","kid":"k","cty":"x"}`, payload, signES), keys); err != nil || string(got) != payload {
			t.Fatalf("VerifyJWS(%q) = %q, %v", payload, got, err)
		}
	}
}
