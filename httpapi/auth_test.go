package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// TestBearer checks how the Authorization header is read (RFC 6750 section
// 2.1) and what a refused request is told (section 3.1).
func TestBearer(t *testing.T) {
	cases := []struct {
		name      string
		header    []string // Authorization lines
		query     string
		status    int
		slug      string
		challenge string // the exact WWW-Authenticate, or a prefix ending in "…"
	}{
		{name: "valid", header: []string{"Bearer " + userToken}, status: 200},
		{name: "scheme in lower case", header: []string{"bearer " + userToken}, status: 200},
		{name: "scheme in upper case, several spaces", header: []string{"BEARER   " + userToken}, status: 200},
		{name: "padded token", header: []string{"Bearer " + "abc=="}, status: 401, slug: "invalid-token",
			challenge: `Bearer error="invalid_token", error_description="the access token is not valid"`},
		{name: "no header", status: 401, slug: "authentication-required", challenge: "Bearer"},
		{name: "another scheme", header: []string{"Basic YWxhZGRpbjpvcGVuc2VzYW1l"}, status: 401, slug: "authentication-required", challenge: "Bearer"},
		{name: "scheme without token", header: []string{"Bearer"}, status: 400, slug: "malformed-request", challenge: `Bearer error="invalid_request"…`},
		{name: "scheme and a space", header: []string{"Bearer "}, status: 400, slug: "malformed-request", challenge: `Bearer error="invalid_request"…`},
		{name: "two tokens", header: []string{"Bearer " + userToken + " " + userToken}, status: 400, slug: "malformed-request", challenge: `Bearer error="invalid_request"…`},
		{name: "two headers", header: []string{"Bearer " + userToken, "Bearer " + userToken}, status: 400, slug: "malformed-request", challenge: `Bearer error="invalid_request"…`},
		{name: "characters outside b64token", header: []string{"Bearer abc$def"}, status: 400, slug: "malformed-request", challenge: `Bearer error="invalid_request"…`},
		{name: "token in the query", query: "?access_token=" + userToken, status: 400, slug: "malformed-request", challenge: `Bearer error="invalid_request"…`},
		{name: "token in the query and the header", header: []string{"Bearer " + userToken}, query: "?access_token=" + userToken, status: 400, slug: "malformed-request"},
		{name: "unknown token", header: []string{"Bearer nope"}, status: 401, slug: "invalid-token",
			challenge: `Bearer error="invalid_token", error_description="the access token is not valid"`},
		{name: "expired token", header: []string{"Bearer " + expiredToken}, status: 401, slug: "invalid-token",
			challenge: `Bearer error="invalid_token", error_description="the access token has expired"`},
		{name: "revoked token", header: []string{"Bearer " + revokedToken}, status: 401, slug: "invalid-token",
			challenge: `Bearer error="invalid_token", error_description="the access token has been revoked"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r, _ := http.NewRequestWithContext(t.Context(), "GET", e.ts.URL+"/v1/me"+tc.query, nil)
			for _, h := range tc.header {
				r.Header.Add("Authorization", h)
			}
			res := send(t, e, r)
			if tc.status == 200 {
				wantJSON(t, res, 200)
				return
			}
			wantProblem(t, res, tc.status, tc.slug)
			got := res.header.Get("WWW-Authenticate")
			if prefix, ok := strings.CutSuffix(tc.challenge, "…"); ok {
				if !strings.HasPrefix(got, prefix) {
					t.Errorf("WWW-Authenticate = %q, want %s…", got, prefix)
				}
			} else if tc.challenge != "" && got != tc.challenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tc.challenge)
			}
			if e.api.called("Me") {
				t.Error("a refused request reached the handler")
			}
			if strings.Contains(string(res.body), userToken) {
				t.Error("the token was echoed")
			}
		})
	}
}

// TestEveryBearerRouteNeedsAToken checks each protected route without one.
func TestEveryBearerRouteNeedsAToken(t *testing.T) {
	e := newEnv(t)
	for _, q := range []req{
		{method: "POST", path: "/v1/logout"}, {method: "GET", path: "/v1/me"}, {method: "GET", path: "/v1/sessions"},
		{method: "DELETE", path: "/v1/sessions/s_1"}, {method: "POST", path: "/v1/password", body: `{}`},
		{method: "GET", path: "/v1/revocations"}, {method: "GET", path: "/v1/revocations/stream"},
	} {
		t.Run(q.method+" "+q.path, func(t *testing.T) {
			res := e.do(t, q)
			wantProblem(t, res, 401, "authentication-required")
			if res.header.Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("WWW-Authenticate = %q", res.header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestClaimsFrom(t *testing.T) {
	if _, ok := ClaimsFrom(context.Background()); ok {
		t.Error("claims in an empty context")
	}
	c := &jose.Claims{Subject: "u"}
	got, ok := ClaimsFrom(context.WithValue(context.Background(), claimsKey{}, c))
	if !ok || got != c {
		t.Error("claims not found")
	}
}

func TestIsB64Token(t *testing.T) {
	for s, want := range map[string]bool{
		"abc": true, "a.b.c": true, "A-Z_0~9+/": true, "abc==": true, "": false, "==": false,
		"a=b": false, "a b": false, "a\tb": false, "ä": false, `a"b`: false,
	} {
		if got := isB64Token(s); got != want {
			t.Errorf("isB64Token(%q) = %v, want %v", s, got, want)
		}
	}
}
