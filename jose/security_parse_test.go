package jose_test

import (
	"crypto"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// Rule 4: strict parsing before any cryptography.
func TestRule4StrictParsing(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	v := accessVerifier(t, keys)
	secret := mustSecret(t, k)
	sign := hmacSigner(crypto.SHA256, secret)
	hdr := `{"alg":"HS256","kid":"k","typ":"at+jwt"}`
	good := rawToken(hdr, payloadJSON(), sign)
	if _, err := v.Verify(good); err != nil {
		t.Fatalf("good token refused: %v", err)
	}
	p := strings.Split(good, ".")
	// A header whose last base64url character carries non-zero padding bits
	// decodes to the same bytes as the canonical one.
	nonCanonical := func(s string) string {
		last := s[len(s)-1]
		alpha := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		i := strings.IndexByte(alpha, last)
		return s[:len(s)-1] + string(alpha[i+1])
	}
	cases := []struct{ name, tok string }{
		{"two parts", p[0] + "." + p[1]},
		{"four parts", good + ".x"},
		{"five parts (JWE)", p[0] + "." + p[1] + "." + p[2] + ".a.b"},
		{"empty", ""},
		{"padding", p[0] + "=." + p[1] + "." + p[2]},
		{"standard alphabet +", strings.Replace(good, "-", "+", 1) + "+"},
		{"character outside the alphabet", p[0] + "." + p[1] + "!." + p[2]},
		{"line break in signature", p[0] + "." + p[1] + "." + p[2][:10] + "\n" + p[2][10:]},
		{"CR in payload", p[0] + "." + p[1][:4] + "\r" + p[1][4:] + "." + p[2]},
		{"space", " " + good},
		{"non-canonical header encoding", nonCanonical(p[0]) + "." + p[1] + "." + p[2]},
		{"duplicate alg", rawToken(`{"alg":"HS256","alg":"HS256","kid":"k","typ":"at+jwt"}`, payloadJSON(), sign)},
		{"duplicate alg via escape", rawToken(`{"alg":"HS256","\u0061lg":"none","kid":"k","typ":"at+jwt"}`, payloadJSON(), sign)},
		{"duplicate claim", rawToken(hdr, strings.Replace(payloadJSON(), `"sub":"u_123"`, `"sub":"u_123","sub":"admin"`, 1), sign)},
		{"header is an array", rawToken(`["HS256"]`, payloadJSON(), sign)},
		{"header has no alg", rawToken(`{"kid":"k","typ":"at+jwt"}`, payloadJSON(), sign)},
		{"header has an empty alg", rawToken(`{"alg":"","kid":"k","typ":"at+jwt"}`, payloadJSON(), sign)},
		{"payload is an array", rawToken(hdr, `[1,2]`, sign)},
		{"payload is not JSON", rawToken(hdr, `hello`, sign)},
		{"payload has trailing data", rawToken(hdr, payloadJSON()+`{}`, sign)},
		{"payload has invalid UTF-8", rawToken(hdr, strings.Replace(payloadJSON(), "u_123", "u_\xff", 1), sign)},
		{"exp is a string", rawToken(hdr, strings.Replace(payloadJSON(), `"exp":`, `"exp":"1"`+`,"x":`, 1), sign)},
		{"aud is a number", rawToken(hdr, strings.Replace(payloadJSON(), `"aud":"`+testAudience+`"`, `"aud":7`, 1), sign)},
		{"roles is a string", rawToken(hdr, strings.Replace(payloadJSON(), `"sub"`, `"roles":"admin","sub"`, 1), sign)},
		{"negative exp", rawToken(hdr, strings.Replace(payloadJSON(), `"exp":`, `"exp":-1,"x":`, 1), sign)},
		{"too large", rawToken(hdr, strings.Replace(payloadJSON(), `"sub"`, `"pad":"`+strings.Repeat("a", 9000)+`","sub"`, 1), sign)},
		{"signature has wrong length", p[0] + "." + p[1] + "." + p[2] + "AAAA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { expectErr(t, v, tc.tok, jose.ErrMalformed) })
	}
}

// Rule 4's size limit is configurable and applies before decoding.
func TestRule4SizeLimitConfigurable(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	tok := signAccess(t, k, goodClaims())
	small := accessVerifier(t, keys, jose.WithMaxTokenSize(len(tok)-1))
	expectErr(t, small, tok, jose.ErrMalformed)
	exact := accessVerifier(t, keys, jose.WithMaxTokenSize(len(tok)))
	if _, err := exact.Verify(tok); err != nil {
		t.Fatal(err)
	}
}
