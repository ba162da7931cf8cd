package token_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/token"
)

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

const issuer = "https://id.example"

func TestNewRefreshToken(t *testing.T) {
	t.Parallel()
	a, ha := token.NewRefreshToken()
	b, _ := token.NewRefreshToken()
	if len(a) != 43 || a == b {
		t.Fatalf("tokens %q and %q: want 43 distinct characters", a, b)
	}
	if string(ha) != string(signet.HashRefreshToken(a)) {
		t.Fatal("hash is not signet.HashRefreshToken(token)")
	}
	tests := []struct {
		in   string
		want bool
	}{
		{a, true},
		{a[:42], false},
		{a + "A", false},
		{strings.Repeat("+", 43), false},
		{"", false},
	}
	for _, tt := range tests {
		if got := token.LooksLikeRefreshToken(tt.in); got != tt.want {
			t.Errorf("LooksLikeRefreshToken(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestAccessTokenHashVector is the example of OpenID Connect Core
// appendix A.3 (RS256).
func TestAccessTokenHashVector(t *testing.T) {
	t.Parallel()
	got, err := token.AccessTokenHash(jose.RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")
	if err != nil || got != "77QmUPtjPfzWtF2AnpK9RQ" {
		t.Fatalf("at_hash = %q, %v; want 77QmUPtjPfzWtF2AnpK9RQ", got, err)
	}
	if _, err := token.AccessTokenHash("none", "x"); !errors.Is(err, token.ErrUnsupportedAlgorithm) {
		t.Fatalf("at_hash for none: %v", err)
	}
}

func signers(t *testing.T, alg jose.Algorithm) (access, id *jose.Signer, keys *jose.KeySet) {
	t.Helper()
	k, err := jose.GenerateKey(alg, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if access, err = jose.NewSigner(k, jose.WithType(jose.TypeAccessToken)); err != nil {
		t.Fatal(err)
	}
	if id, err = jose.NewSigner(k); err != nil {
		t.Fatal(err)
	}
	pub := k.Public()
	if pub == nil {
		pub = k
	}
	if keys, err = jose.NewKeySet(pub); err != nil {
		t.Fatal(err)
	}
	return access, id, keys
}

func verifier(t *testing.T, keys *jose.KeySet, aud, typ string) *jose.Verifier {
	t.Helper()
	v, err := jose.NewVerifier(keys, jose.WithIssuer(issuer), jose.WithAudience(aud),
		jose.WithTokenType(typ), jose.WithClock(func() time.Time { return t0.Add(time.Minute) }))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func access() token.Access {
	return token.Access{Issuer: issuer, Subject: "u1", Audience: []string{issuer}, ClientID: "signet",
		Scope: "openid email", SessionID: "s1", Roles: []string{"user"}, IssuedAt: t0, TTL: 15 * time.Minute}
}

func TestAccessToken(t *testing.T) {
	t.Parallel()
	for _, alg := range []jose.Algorithm{jose.ES256, jose.HS256, jose.EdDSA} {
		t.Run(string(alg), func(t *testing.T) {
			as, _, keys := signers(t, alg)
			tok, c, err := token.NewAccessToken(as, access())
			if err != nil {
				t.Fatal(err)
			}
			got, err := verifier(t, keys, issuer, jose.TypeAccessToken).Verify(tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Subject != "u1" || got.SessionID != "s1" || got.ClientID != "signet" || got.Scope != "openid email" ||
				!slices.Equal(got.Roles, []string{"user"}) || got.ID == "" || got.ID != c.ID ||
				got.ExpiresAt != jose.NewNumericDate(t0.Add(15*time.Minute)) || got.IssuedAt != jose.NewNumericDate(t0) {
				t.Fatalf("claims %+v", got)
			}
			if _, err := verifier(t, keys, issuer, jose.TypeJWT).Verify(tok); !errors.Is(err, jose.ErrWrongType) {
				t.Fatalf("access token accepted as a plain JWT: %v", err)
			}
			_, c2, _ := token.NewAccessToken(as, access())
			if c2.ID == c.ID {
				t.Fatal("two access tokens share a jti")
			}
		})
	}
}

func TestAccessTokenParams(t *testing.T) {
	t.Parallel()
	as, _, _ := signers(t, jose.ES256)
	tests := []struct {
		name string
		edit func(*token.Access)
	}{
		{"no issuer", func(a *token.Access) { a.Issuer = "" }},
		{"no subject", func(a *token.Access) { a.Subject = "" }},
		{"no audience", func(a *token.Access) { a.Audience = nil }},
		{"no client", func(a *token.Access) { a.ClientID = "" }},
		{"no lifetime", func(a *token.Access) { a.TTL = 0 }},
		{"no time", func(a *token.Access) { a.IssuedAt = time.Time{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := access()
			tt.edit(&a)
			if _, _, err := token.NewAccessToken(as, a); !errors.Is(err, token.ErrInvalidParams) {
				t.Fatalf("err = %v, want ErrInvalidParams", err)
			}
		})
	}
}

func TestIDToken(t *testing.T) {
	t.Parallel()
	as, ids, keys := signers(t, jose.RS256)
	at, _, err := token.NewAccessToken(as, access())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		id    token.ID
		check func(t *testing.T, payload map[string]any)
	}{
		{"profile and nonce", token.ID{Nonce: "n-0S6", Email: "a@example.com", Name: "Alice", AccessToken: at},
			func(t *testing.T, p map[string]any) {
				want, _ := token.AccessTokenHash(jose.RS256, at)
				if p["nonce"] != "n-0S6" || p["email"] != "a@example.com" || p["email_verified"] != false ||
					p["name"] != "Alice" || p["at_hash"] != want || p["auth_time"] != float64(t0.Unix()-60) {
					t.Fatalf("payload %v", p)
				}
			}},
		{"bare", token.ID{},
			func(t *testing.T, p map[string]any) {
				for _, k := range []string{"nonce", "email", "email_verified", "name", "at_hash"} {
					if _, ok := p[k]; ok {
						t.Fatalf("payload has %q: %v", k, p)
					}
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.id
			id.Issuer, id.Subject, id.ClientID, id.SessionID = issuer, "u1", "signet", "s1"
			id.AuthTime, id.IssuedAt, id.TTL = t0.Add(-time.Minute), t0, time.Hour
			tok, err := token.NewIDToken(ids, id)
			if err != nil {
				t.Fatal(err)
			}
			c, err := verifier(t, keys, "signet", jose.TypeJWT).Verify(tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if _, err := verifier(t, keys, "signet", jose.TypeAccessToken).Verify(tok); !errors.Is(err, jose.ErrWrongType) {
				t.Fatalf("ID token accepted as an access token: %v", err)
			}
			var p map[string]any
			if err := json.Unmarshal(c.Raw(), &p); err != nil {
				t.Fatal(err)
			}
			if p["aud"] != "signet" || p["sub"] != "u1" || p["sid"] != "s1" {
				t.Fatalf("payload %v", p)
			}
			tt.check(t, p)
		})
	}
}
