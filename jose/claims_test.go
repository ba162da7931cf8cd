package jose_test

import (
	"crypto"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

// verifyPayload signs payload, a literal JSON claims set, as an access token
// under a fresh HS256 key and verifies it at testNow.
func verifyPayload(t *testing.T, payload string, opts ...jose.Option) (*jose.Claims, error) {
	t.Helper()
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	tok := rawToken(`{"alg":"HS256","kid":"k","typ":"at+jwt"}`, payload, hmacSigner(crypto.SHA256, mustSecret(t, k)))
	return accessVerifier(t, keys, opts...).Verify(tok)
}

// claimsJSON is a valid claims set at testNow with extra members inserted.
func claimsJSON(extra string) string {
	return `{"iss":"` + testIssuer + `","exp":` + itoa(testNow.Unix()+900) + extra + `}`
}

// TestClaimsDecoding reads the registered claims in every form RFC 7519
// allows, and refuses the forms it does not, through the whole verifier.
func TestClaimsDecoding(t *testing.T) {
	aud := `,"aud":"` + testAudience + `"`
	cases := []struct {
		name  string
		extra string
		want  error
		check func(*jose.Claims) bool
	}{
		{"aud as a string", aud, nil, func(c *jose.Claims) bool { return len(c.Audience) == 1 && c.Audience[0] == testAudience }},
		{"aud as an array", `,"aud":["a","` + testAudience + `","b"]`, nil, func(c *jose.Claims) bool { return len(c.Audience) == 3 }},
		{"aud as a long array", `,"aud":["a","b","c","d","e","f","` + testAudience + `"]`, nil, func(c *jose.Claims) bool { return len(c.Audience) == 7 && c.Audience[6] == testAudience }},
		{"roles beyond inline storage", aud + `,"roles":["r1","r2","r3","r4","r5"]`, nil, func(c *jose.Claims) bool { return c.HasRole("r5") && len(c.Roles) == 5 }},
		{"aud array of one", `,"aud":["` + testAudience + `"]`, nil, func(c *jose.Claims) bool { return len(c.Audience) == 1 }},
		{"aud empty array", `,"aud":[]`, jose.ErrWrongAudience, nil},
		{"aud with a number", `,"aud":["` + testAudience + `",1]`, jose.ErrMalformed, nil},
		{"aud as an object", `,"aud":{"x":"` + testAudience + `"}`, jose.ErrMalformed, nil},
		{"NumericDate with a fraction is truncated", aud + `,"nbf":` + itoa(testNow.Unix()+30) + `.999`, nil, func(c *jose.Claims) bool { return int64(c.NotBefore) == testNow.Unix()+30 }},
		{"NumericDate with an exponent", aud + `,"iat":1.8e9`, nil, func(c *jose.Claims) bool { return c.IssuedAt == 1_800_000_000 }},
		{"negative NumericDate", aud + `,"nbf":-1`, jose.ErrMalformed, nil},
		{"NumericDate past year 9999", aud + `,"iat":253402300800`, jose.ErrMalformed, nil},
		{"NumericDate as a string", aud + `,"nbf":"` + itoa(testNow.Unix()) + `"`, jose.ErrMalformed, nil},
		{"escapes are resolved", aud + `,"sub":"caf\u00e9 \"x\"\n"`, nil, func(c *jose.Claims) bool { return c.Subject == "café \"x\"\n" }},
		{"UTF-8 kept", aud + `,"name":"Zoë 漢字 😀"`, nil, func(c *jose.Claims) bool { return c.Name == "Zoë 漢字 😀" }},
		{"OIDC claims", aud + `,"auth_time":1799999000,"azp":"app","nonce":"n-0S6","at_hash":"77QmUPtjPfzWtF2AnpK9RQ","email":"a@example.com","email_verified":true`, nil,
			func(c *jose.Claims) bool {
				return c.AuthTime == 1799999000 && c.AuthorizedParty == "app" && c.Nonce == "n-0S6" && c.AccessTokenHash != "" && c.EmailVerified && c.Has("email_verified")
			}},
		{"email_verified must be a bool", aud + `,"email_verified":"true"`, jose.ErrMalformed, nil},
		{"unknown claims of every kind are validated and kept", aud + `,"tenant":{"id":7,"tags":["a",{"b":null}]},"x":1.5,"y":false,"z":null`, nil,
			func(c *jose.Claims) bool { return strings.Contains(string(c.Raw()), `"tenant"`) && !c.Has("tenant") }},
		{"duplicate inside an unknown claim", aud + `,"tenant":{"id":7,"id":8}`, jose.ErrMalformed, nil},
		{"invalid UTF-8 inside an unknown claim", aud + ",\"tenant\":[\"\xc3\"]", jose.ErrMalformed, nil},
		{"claims with whitespace", " {\n \"iss\" : \"" + testIssuer + "\" ,\t\"exp\":" + itoa(testNow.Unix()+900) + " , \"aud\" :\"" + testAudience + "\" } ", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			payload := claimsJSON(tc.extra)
			if strings.HasPrefix(tc.extra, " ") {
				payload = tc.extra
			}
			c, err := verifyPayload(t, payload)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err != nil && c != nil {
				t.Fatal("claims returned with an error")
			}
			if err == nil && tc.check != nil && !tc.check(c) {
				t.Fatalf("claims read back wrong: %+v", c)
			}
		})
	}
}

// TestClaimsHelpers covers Has, HasScope, HasRole, NumericDate.Time and
// Decode.
func TestClaimsHelpers(t *testing.T) {
	c, err := verifyPayload(t, claimsJSON(`,"aud":"`+testAudience+`","scope":"a  b:c d","roles":["x"],"tenant":"acme"`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		got, want bool
		what      string
	}{
		{c.HasScope("b:c"), true, "HasScope(b:c)"},
		{c.HasScope("b"), false, "HasScope(b)"},
		{c.HasScope(""), false, "HasScope(\"\")"},
		{c.HasRole("x"), true, "HasRole(x)"},
		{c.HasRole("y"), false, "HasRole(y)"},
		{c.Has("scope"), true, "Has(scope)"},
		{c.Has("nbf"), false, "Has(nbf)"},
		{c.Has("tenant"), false, "Has(tenant), not a Claims field"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v", tc.what, tc.got)
		}
	}
	if got := c.ExpiresAt.Time(); !got.Equal(testNow.Add(900 * time.Second)) {
		t.Errorf("ExpiresAt.Time() = %v", got)
	}
	if !jose.NumericDate(0).Time().IsZero() || jose.NewNumericDate(testNow.Add(999*time.Millisecond)) != jose.NumericDate(testNow.Unix()) {
		t.Error("NumericDate zero value or truncation")
	}
	var custom struct{ Tenant string }
	if err := c.Decode(&custom); err != nil || custom.Tenant != "acme" {
		t.Errorf("Decode: %v %+v", err, custom)
	}
	if err := (&jose.Claims{}).Decode(&custom); !errors.Is(err, jose.ErrMalformed) {
		t.Errorf("Decode of hand-made claims: %v", err)
	}
}

// TestClockIsInjected shows that every time check uses the configured
// clock, with the one leeway, and never the machine's.
func TestClockIsInjected(t *testing.T) {
	k := mustKey(t, jose.EdDSA, "k")
	keys, _ := jose.NewKeySet(k.Public())
	tok := signAccess(t, k, goodClaims()) // iat = nbf = testNow, exp = testNow+900
	at := func(offset time.Duration) error {
		now := testNow.Add(offset)
		_, err := accessVerifier(t, keys, jose.WithClock(func() time.Time { return now })).Verify(tok)
		return err
	}
	for _, tc := range []struct {
		offset time.Duration
		want   error
	}{
		{0, nil},
		{-30 * time.Second, nil},                 // nbf and iat within the leeway
		{-31 * time.Second, jose.ErrNotYetValid}, // beyond it
		{929 * time.Second, nil},                 // exp passed, within the leeway
		{930 * time.Second, jose.ErrExpired},     // exp + leeway
		{-24 * 365 * time.Hour, jose.ErrNotYetValid},
	} {
		if err := at(tc.offset); !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
			t.Errorf("at testNow%+v: %v, want %v", tc.offset, err, tc.want)
		}
	}
}

// TestVerifyIntoClearsTheTarget reuses a target: what the earlier token or
// the caller left in it must not survive into the result.
func TestVerifyIntoClearsTheTarget(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	v := accessVerifier(t, keys)
	c := jose.Claims{Roles: []string{"admin"}, Email: "stale@example.com", Nonce: "x"}
	plain := goodClaims()
	plain.Roles = nil
	if err := v.VerifyInto(signAccess(t, k, plain), &c); err != nil {
		t.Fatal(err)
	}
	if c.Roles != nil || c.Email != "" || c.Nonce != "" || c.Subject != "u_123" {
		t.Fatalf("stale claims survived: %+v", c)
	}
}
