package jose_test

import (
	"crypto"
	"errors"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// TestSentinelsAreDistinct makes each refusal the issue names and checks
// that the error matches its own sentinel with errors.Is and no other, that
// its message names no key material and not the token, and that no claims
// come back.
func TestSentinelsAreDistinct(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	v := accessVerifier(t, keys)
	secret := mustSecret(t, k)
	sign := hmacSigner(crypto.SHA256, secret)
	hdr := `{"alg":"HS256","kid":"k","typ":"at+jwt"}`
	with := func(old, repl string) string { return strings.Replace(payloadJSON(), old, repl, 1) }
	now := itoa(testNow.Unix())
	good := rawToken(hdr, payloadJSON(), sign)
	cases := []struct {
		name string
		tok  string
		want error
	}{
		{"malformed", "not.a.token", jose.ErrMalformed},
		{"unsupported algorithm", rawToken(`{"alg":"HS384","kid":"k","typ":"at+jwt"}`, payloadJSON(), sign), jose.ErrUnsupportedAlgorithm},
		{"unsupported header", rawToken(`{"alg":"HS256","kid":"k","typ":"at+jwt","crit":["x"],"x":1}`, payloadJSON(), sign), jose.ErrUnsupportedHeader},
		{"key not found", rawToken(`{"alg":"HS256","kid":"other","typ":"at+jwt"}`, payloadJSON(), sign), jose.ErrKeyNotFound},
		{"bad signature", good[:len(good)-2] + "AA", jose.ErrBadSignature},
		{"expired", rawToken(hdr, with(`"exp":`+itoa(testNow.Unix()+900), `"exp":`+itoa(testNow.Unix()-3600)), sign), jose.ErrExpired},
		{"not yet valid", rawToken(hdr, with(`"iat":`+now, `"iat":`+now+`,"nbf":`+itoa(testNow.Unix()+3600)), sign), jose.ErrNotYetValid},
		{"wrong issuer", rawToken(hdr, with(testIssuer, "https://evil.example"), sign), jose.ErrWrongIssuer},
		{"wrong audience", rawToken(hdr, with(testAudience, "https://other.example"), sign), jose.ErrWrongAudience},
		{"wrong type", rawToken(`{"alg":"HS256","kid":"k","typ":"JWT"}`, payloadJSON(), sign), jose.ErrWrongType},
		{"missing claim", rawToken(hdr, with(`,"exp":`+itoa(testNow.Unix()+900), ``), sign), jose.ErrMissingClaim},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := v.Verify(tc.tok)
			if c != nil {
				t.Fatal("claims returned with an error")
			}
			for _, s := range knownErrors {
				if errors.Is(err, s) != (s == tc.want) {
					t.Fatalf("error %q: errors.Is(err, %v) = %v", err, s, !(s == tc.want))
				}
			}
			msg := err.Error()
			if strings.Contains(msg, tc.tok) || strings.Contains(msg, enc.EncodeToString(secret)) {
				t.Fatalf("error message carries the token or the secret: %s", msg)
			}
		})
	}
}
