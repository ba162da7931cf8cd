package httpapi

import (
	"net/http"
	"slices"
	"testing"
)

// TestRoutes checks every route's success: status, Content-Type and the
// members of its body, and that the service got what the client sent.
func TestRoutes(t *testing.T) {
	e := newEnv(t)
	e.api.addEntries(2)
	cases := []struct {
		name     string
		req      req
		status   int
		keys     []string // members of the JSON body; nil: no JSON body checked
		noBody   bool
		check    func(t *testing.T, res result)
		cacheCtl string
	}{
		{name: "signup", req: req{method: "POST", path: "/v1/signup", body: `{"email":"ann@example.com","password":"correct horse","name":"Ann"}`},
			status: 201, keys: []string{"email", "id", "name"}, check: func(t *testing.T, res result) {
				if e.api.signup.Email != "ann@example.com" || e.api.signup.Password != "correct horse" || e.api.signup.Name != "Ann" {
					t.Errorf("service got %+v", e.api.signup)
				}
			}},
		{name: "login", req: req{method: "POST", path: "/v1/login", body: `{"email":"ann@example.com","password":"pw","scope":"openid"}`},
			status: 200, keys: []string{"access_token", "expires_in", "id_token", "refresh_token", "scope", "token_type"}, check: func(t *testing.T, res result) {
				if e.api.login.Scope != "openid" || e.api.login.Password != "pw" {
					t.Errorf("service got %+v", e.api.login)
				}
				if res.header.Get("Pragma") != "no-cache" {
					t.Errorf("Pragma = %q, want no-cache", res.header.Get("Pragma"))
				}
			}},
		{name: "refresh", req: req{method: "POST", path: "/v1/refresh", body: `{"refresh_token":"rt-1"}`},
			status: 200, keys: []string{"access_token", "expires_in", "id_token", "refresh_token", "scope", "token_type"}, check: func(t *testing.T, res result) {
				if e.api.refresh != "rt-1" {
					t.Errorf("service got %q", e.api.refresh)
				}
			}},
		{name: "logout without body", req: req{method: "POST", path: "/v1/logout", token: userToken}, status: 204, noBody: true,
			check: func(t *testing.T, res result) {
				if e.api.logout == nil || *e.api.logout {
					t.Errorf("Logout(all) = %v, want false", e.api.logout)
				}
			}},
		{name: "logout all", req: req{method: "POST", path: "/v1/logout", token: userToken, body: `{"all":true}`}, status: 204, noBody: true,
			check: func(t *testing.T, res result) {
				if e.api.logout == nil || !*e.api.logout {
					t.Errorf("Logout(all) = %v, want true", e.api.logout)
				}
			}},
		{name: "me", req: req{method: "GET", path: "/v1/me", token: userToken}, status: 200,
			keys: []string{"created_at", "email", "name", "roles", "scope", "sid", "sub"}},
		{name: "sessions", req: req{method: "GET", path: "/v1/sessions", token: userToken}, status: 200, keys: []string{"sessions"}},
		{name: "revoke session", req: req{method: "DELETE", path: "/v1/sessions/s_42", token: userToken}, status: 204, noBody: true,
			check: func(t *testing.T, res result) {
				if e.api.revoked != "s_42" {
					t.Errorf("RevokeSession(%q), want s_42", e.api.revoked)
				}
			}},
		{name: "change password", req: req{method: "POST", path: "/v1/password", token: userToken, body: `{"current_password":"old pw","new_password":"new pw"}`},
			status: 204, noBody: true, check: func(t *testing.T, res result) {
				if e.api.password != [2]string{"old pw", "new pw"} {
					t.Errorf("ChangePassword%q", e.api.password)
				}
			}},
		{name: "revocations", req: req{method: "GET", path: "/v1/revocations", token: feedToken}, status: 200, keys: []string{"cursor", "entries"}},
		{name: "revocations after", req: req{method: "GET", path: "/v1/revocations?after=0001", token: feedToken}, status: 200, keys: []string{"cursor", "entries"},
			check: func(t *testing.T, res result) {
				m := wantJSON(t, res, 200)
				if n := len(m["entries"].([]any)); n != 1 || m["cursor"] != "0002" {
					t.Errorf("got %d entries, cursor %v; want 1 and 0002", n, m["cursor"])
				}
			}},
		{name: "healthz", req: req{method: "GET", path: "/healthz"}, status: 200, keys: []string{"status"}},
		{name: "readyz", req: req{method: "GET", path: "/readyz"}, status: 200, keys: []string{"status"}},
		{name: "openid configuration", req: req{method: "GET", path: "/.well-known/openid-configuration"}, status: 200, cacheCtl: "public, max-age=300",
			keys: []string{"id_token_signing_alg_values_supported", "issuer", "jwks_uri", "response_types_supported",
				"signet_revocations_endpoint", "signet_revocations_stream", "subject_types_supported"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, tc.req)
			if res.status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", res.status, tc.status, res.body)
			}
			want := "no-store"
			if tc.cacheCtl != "" {
				want = tc.cacheCtl
			}
			if cc := res.header.Get("Cache-Control"); cc != want {
				t.Errorf("Cache-Control = %q, want %q", cc, want)
			}
			switch {
			case tc.noBody && len(res.body) != 0:
				t.Errorf("body %q, want none", res.body)
			case tc.keys != nil:
				if got := keys(wantJSON(t, res, tc.status)); !slices.Equal(got, tc.keys) {
					t.Errorf("members %q, want %q", got, tc.keys)
				}
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

// TestUnmatched checks that unknown paths and methods are problems too.
func TestUnmatched(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, req{method: "GET", path: "/v1/nope"})
	wantProblem(t, res, http.StatusNotFound, "not-found")
	res = e.do(t, req{method: "PUT", path: "/v1/login"})
	wantProblem(t, res, http.StatusMethodNotAllowed, "method-not-allowed")
	if allow := res.header.Get("Allow"); allow != "POST" {
		t.Errorf("Allow = %q, want POST", allow)
	}
}
