package verify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

func newTestVerifier(t *testing.T, iss *fakeIssuer, opts ...Option) *Verifier {
	t.Helper()
	v, err := New(context.Background(), iss.URL, append([]Option{WithAudience(testAudience)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func TestVerifierChecks(t *testing.T) {
	iss := newFakeIssuer(t)
	var offset atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	v := newTestVerifier(t, iss, WithClock(clock))
	idSigner, _ := jose.NewSigner(iss.keys[0]) // typ JWT, as an ID token
	mod := func(f func(c *jose.Claims)) string {
		c := iss.claims("u1")
		f(c)
		return iss.token(c)
	}
	idToken, _ := idSigner.Sign(iss.claims("u1"))
	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"good", iss.token(iss.claims("u1")), nil},
		{"expired", mod(func(c *jose.Claims) { c.ExpiresAt = jose.NewNumericDate(time.Now().Add(-time.Minute)) }), jose.ErrExpired},
		{"not yet valid", mod(func(c *jose.Claims) { c.NotBefore = jose.NewNumericDate(time.Now().Add(time.Hour)) }), jose.ErrNotYetValid},
		{"wrong issuer", mod(func(c *jose.Claims) { c.Issuer = "https://other.example" }), jose.ErrWrongIssuer},
		{"wrong audience", mod(func(c *jose.Claims) { c.Audience = jose.Audience{"https://other-api.example"} }), jose.ErrWrongAudience},
		{"ID token as access token", idToken, jose.ErrWrongType},
		{"garbage", "a.b.c", jose.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // the second time through the cache, if it caches
				c, err := v.Verify(tc.token)
				if !errors.Is(err, tc.want) || (err == nil) != (c != nil) {
					t.Fatalf("Verify = %v, %v; want %v", c, err, tc.want)
				}
			}
		})
	}
	t.Run("expiry reaches cached tokens", func(t *testing.T) {
		tok := iss.token(iss.claims("u2"))
		if _, err := v.Verify(tok); err != nil {
			t.Fatal(err)
		}
		offset.Store(int64(16 * time.Minute))
		defer offset.Store(0)
		if _, err := v.Verify(tok); !errors.Is(err, jose.ErrExpired) {
			t.Fatalf("after expiry: %v", err)
		}
	})
}

func TestVerifierAlgorithmsAndType(t *testing.T) {
	iss := newFakeIssuer(t)
	tok := iss.token(iss.claims("u1"))
	rsOnly := newTestVerifier(t, iss, WithAlgorithms(jose.RS256))
	if _, err := rsOnly.Verify(tok); !errors.Is(err, jose.ErrUnsupportedAlgorithm) {
		t.Fatalf("an ES256 token for an RS256-only verifier: %v", err)
	}
	plain := newTestVerifier(t, iss, WithTokenType(jose.TypeJWT))
	if _, err := plain.Verify(tok); !errors.Is(err, jose.ErrWrongType) {
		t.Fatalf("an at+jwt token for a JWT verifier: %v", err)
	}
}

func TestVerifierRequiredClaims(t *testing.T) {
	iss := newFakeIssuer(t)
	v := newTestVerifier(t, iss, WithRequiredClaims("jti", "sid"))
	c := iss.claims("u1")
	c.ID, c.SessionID = "j1", "s1"
	if _, err := v.Verify(iss.token(c)); err != nil {
		t.Fatalf("a token with jti and sid: %v", err)
	}
	c.SessionID = ""
	if _, err := v.Verify(iss.token(c)); !errors.Is(err, jose.ErrMissingClaim) {
		t.Fatalf("a token without sid: %v, want ErrMissingClaim", err)
	}
	if _, err := New(context.Background(), iss.URL, WithAudience(testAudience), WithRequiredClaims("no-such-claim")); err == nil {
		t.Fatal("requiring an unknown claim succeeded")
	}
}

func TestNewNeedsIssuerAndAudience(t *testing.T) {
	keys, _ := jose.NewKeySet()
	if _, err := New(context.Background(), "https://id.example", WithKeys(keys)); err == nil {
		t.Fatal("New without audience succeeded")
	}
	if _, err := New(context.Background(), "", WithKeys(keys), WithAudience("a")); err == nil {
		t.Fatal("New without issuer succeeded")
	}
}

func TestDiscovery(t *testing.T) {
	iss := newFakeIssuer(t)
	d, err := Discover(context.Background(), iss.URL)
	if err != nil || d.JWKSURI != iss.URL+"/.well-known/jwks.json" || d.RevocationsStream == "" {
		t.Fatalf("Discover = %+v, %v", d, err)
	}
	// The document names another issuer: refused (OIDC Discovery 4.3).
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"issuer":"https://evil.example","jwks_uri":"https://evil.example/jwks"}`))
	}))
	defer other.Close()
	if _, err := New(context.Background(), other.URL, WithAudience(testAudience)); !errors.Is(err, ErrDiscovery) {
		t.Fatalf("foreign issuer: %v", err)
	}
	// A non-loopback plain-http issuer is refused before any request.
	if _, err := New(context.Background(), "http://id.example", WithAudience(testAudience)); !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("http issuer: %v", err)
	}
	// An issuer that is down: New fails, it cannot know the key set's URL.
	down := httptest.NewServer(http.NotFoundHandler())
	defer down.Close()
	if _, err := New(context.Background(), down.URL, WithAudience(testAudience)); !errors.Is(err, ErrFetch) {
		t.Fatalf("no discovery: %v", err)
	}
}

func TestCheckURL(t *testing.T) {
	cases := []struct {
		url       string
		allowHTTP bool
		ok        bool
	}{
		{"https://id.example/jwks", false, true},
		{"http://127.0.0.1:8080/jwks", false, true},
		{"http://[::1]:8080/jwks", false, true},
		{"http://localhost:8080/jwks", false, true},
		{"http://id.example/jwks", false, false},
		{"http://id.example/jwks", true, true},
		{"ftp://id.example/jwks", true, false},
		{"file:///etc/passwd", true, false},
		{"https://user:pw@id.example/jwks", false, false},
		{"/relative", false, false},
		{"https:opaque", false, false},
	}
	for _, tc := range cases {
		_, err := checkURL(tc.url, tc.allowHTTP)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInsecureURL)) {
			t.Errorf("checkURL(%q, %v) = %v, want ok=%v", tc.url, tc.allowHTTP, err, tc.ok)
		}
	}
}

// TestRedirectToHTTPRefused: an https URL that redirects to plain http on
// another host is not followed.
func TestRedirectToHTTPRefused(t *testing.T) {
	c := safeClient(nil, false)
	req, _ := http.NewRequest("GET", "http://id.example/jwks", nil)
	if err := c.CheckRedirect(req, []*http.Request{{}}); !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("redirect to http: %v", err)
	}
	req, _ = http.NewRequest("GET", "https://id.example/jwks", nil)
	if err := c.CheckRedirect(req, make([]*http.Request, maxRedirects)); err == nil {
		t.Fatal("too many redirects followed")
	}
}

// TestKeysUnavailable: when the issuer's key set could never be fetched,
// tokens are refused as "try later", not as invalid; once the issuer is
// back, they pass.
func TestKeysUnavailable(t *testing.T) {
	iss := newFakeIssuer(t)
	iss.setDown(true)
	v, err := New(context.Background(), iss.URL, WithAudience(testAudience),
		WithJWKSURL(iss.URL+"/.well-known/jwks.json"), WithMinRefreshInterval(time.Millisecond), fastBackoff)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	tok := iss.token(iss.claims("u1"))
	if _, err := v.Verify(tok); !errors.Is(err, ErrKeysUnavailable) || !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("issuer down: %v", err)
	}
	iss.setDown(false)
	eventually(t, 5*time.Second, "the key set fetched after the issuer came back", func() bool {
		_, err := v.Verify(tok)
		return err == nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := v.Ready(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestUnsafeSkipAudienceCheck: only with the option does New go without an
// audience, and then a token of any audience passes (introspection), while
// every other check still applies.
func TestUnsafeSkipAudienceCheck(t *testing.T) {
	iss := newFakeIssuer(t)
	v, err := New(context.Background(), iss.URL, UnsafeSkipAudienceCheck())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	c := iss.claims("u1")
	c.Audience = jose.Audience{"https://another-api.example"}
	if _, err := v.Verify(iss.token(c)); err != nil {
		t.Fatalf("a token of another audience: %v", err)
	}
	c.Issuer = "https://other-issuer.example"
	if _, err := v.Verify(iss.token(c)); !errors.Is(err, jose.ErrWrongIssuer) {
		t.Fatalf("wrong issuer without the audience check: %v", err)
	}
}
