package jose_test

import (
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

// Rule 6: exp required and checked; nbf and iat checked; one leeway; iss, aud
// and typ checked.
func TestRule6Claims(t *testing.T) {
	k := mustKey(t, jose.ES256, "k")
	keys, _ := jose.NewKeySet(k.Public())
	v := accessVerifier(t, keys)
	now := testNow.Unix()
	cases := []struct {
		name   string
		modify func(c *jose.Claims)
		want   error
	}{
		{"valid", func(c *jose.Claims) {}, nil},
		{"exp missing", func(c *jose.Claims) { c.ExpiresAt = 0 }, jose.ErrMissingClaim},
		{"expired beyond leeway", func(c *jose.Claims) { c.ExpiresAt = jose.NumericDate(now - 30) }, jose.ErrExpired},
		{"expired within leeway", func(c *jose.Claims) { c.ExpiresAt = jose.NumericDate(now - 29) }, nil},
		{"nbf beyond leeway", func(c *jose.Claims) { c.NotBefore = jose.NumericDate(now + 31) }, jose.ErrNotYetValid},
		{"nbf within leeway", func(c *jose.Claims) { c.NotBefore = jose.NumericDate(now + 30) }, nil},
		{"iat in the future", func(c *jose.Claims) { c.IssuedAt = jose.NumericDate(now + 31) }, jose.ErrNotYetValid},
		{"wrong issuer", func(c *jose.Claims) { c.Issuer = "https://evil.example" }, jose.ErrWrongIssuer},
		{"issuer differs by a slash", func(c *jose.Claims) { c.Issuer = testIssuer + "/" }, jose.ErrWrongIssuer},
		{"no issuer", func(c *jose.Claims) { c.Issuer = "" }, jose.ErrWrongIssuer},
		{"wrong audience", func(c *jose.Claims) { c.Audience = jose.Audience{"https://other.example"} }, jose.ErrWrongAudience},
		{"no audience", func(c *jose.Claims) { c.Audience = nil }, jose.ErrWrongAudience},
		{"audience among several", func(c *jose.Claims) { c.Audience = jose.Audience{"x", testAudience} }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := goodClaims()
			tc.modify(c)
			got, err := v.Verify(signAccess(t, k, c))
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && (got.Subject != "u_123" || !got.HasScope("posts:write") || !got.HasRole("user")) {
				t.Fatalf("claims not read back: %+v", got)
			}
		})
	}
	t.Run("leeway is configurable", func(t *testing.T) {
		c := goodClaims()
		c.ExpiresAt = jose.NumericDate(now - 5)
		strict := accessVerifier(t, keys, jose.WithLeeway(0))
		expectErr(t, strict, signAccess(t, k, c), jose.ErrExpired)
	})
	t.Run("required claims", func(t *testing.T) {
		c := goodClaims()
		c.ID = ""
		v := accessVerifier(t, keys, jose.WithRequiredClaims("jti", "sid"))
		expectErr(t, v, signAccess(t, k, c), jose.ErrMissingClaim)
	})
}

// Rule 6: typ tells token kinds apart; an ID token is never an access token,
// nor the reverse.
func TestRule6TokenTypes(t *testing.T) {
	k := mustKey(t, jose.ES256, "k")
	keys, _ := jose.NewKeySet(k.Public())
	clock := jose.WithClock(func() time.Time { return testNow })
	idVerifier, err := jose.NewVerifier(keys, jose.WithIssuer(testIssuer), jose.WithAudience(testAudience), clock)
	if err != nil {
		t.Fatal(err)
	}
	access := accessVerifier(t, keys)
	sign := func(typ string) string {
		s, _ := jose.NewSigner(k, jose.WithType(typ))
		tok, _ := s.Sign(goodClaims())
		return tok
	}
	cases := []struct {
		name string
		v    *jose.Verifier
		typ  string
		want error
	}{
		{"access token to access verifier", access, "at+jwt", nil},
		{"media type form", access, "application/at+jwt", nil},
		{"case-insensitive", access, "AT+JWT", nil},
		{"ID token to access verifier", access, "JWT", jose.ErrWrongType},
		{"no typ to access verifier", access, "", jose.ErrWrongType},
		{"access token to ID verifier", idVerifier, "at+jwt", jose.ErrWrongType},
		{"ID token to ID verifier", idVerifier, "JWT", nil},
		{"untyped JWT to ID verifier", idVerifier, "", nil},
		{"other type to ID verifier", idVerifier, "secevent+jwt", jose.ErrWrongType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.v.Verify(sign(tc.typ))
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// A verifier must be told its issuer and audience, or opt out by name.
func TestVerifierNeedsIssuerAndAudience(t *testing.T) {
	keys, _ := jose.NewKeySet(mustKey(t, jose.ES256, "k").Public())
	if _, err := jose.NewVerifier(keys, jose.WithAudience("a")); err == nil {
		t.Fatal("verifier without issuer was made")
	}
	if _, err := jose.NewVerifier(keys, jose.WithIssuer("i")); err == nil {
		t.Fatal("verifier without audience was made")
	}
	if _, err := jose.NewVerifier(keys, jose.UnsafeSkipIssuerCheck(), jose.UnsafeSkipAudienceCheck()); err != nil {
		t.Fatal(err)
	}
}

// Rule 7 at the core's level: a failed verification hands back nothing, and
// the custom-claims hook never sees a refused token.
func TestFailedVerifyLeavesNothing(t *testing.T) {
	k := mustKey(t, jose.ES256, "k")
	keys, _ := jose.NewKeySet(k.Public())
	v := accessVerifier(t, keys)
	c := goodClaims()
	c.ExpiresAt = jose.NumericDate(testNow.Unix() - 3600)
	var dst tenantClaims
	dst.Subject = "stale"
	err := v.VerifyInto(signAccess(t, k, &tenantToken{Claims: *c, Tenant: "acme"}), &dst)
	if !errors.Is(err, jose.ErrExpired) {
		t.Fatalf("err = %v", err)
	}
	if dst.Subject != "" || dst.Tenant != "" || dst.calls != 0 {
		t.Fatalf("refused token left claims behind: %+v", dst)
	}
}

type tenantToken struct {
	jose.Claims
	Tenant string `json:"tenant"`
}

type tenantClaims struct {
	jose.Claims
	Tenant string
	calls  int
}

func (c *tenantClaims) UnmarshalClaim(name string, value []byte) error {
	c.calls++
	if name == "tenant" {
		c.Tenant = string(value)
	}
	return nil
}
