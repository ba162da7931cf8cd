package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
)

// TestErrorKinds checks every kind of service error: status, problem type
// and the headers that go with it.
func TestErrorKinds(t *testing.T) {
	login := req{method: "POST", path: "/v1/login", body: `{"email":"a@example.com","password":"pw"}`}
	me := req{method: "GET", path: "/v1/me", token: userToken}
	cases := []struct {
		name   string
		method string // the fake's method that fails
		err    error
		req    req
		status int
		slug   string
		detail string            // when set, the exact detail
		header map[string]string // exact values
	}{
		{"invalid input", "Login", signet.Errorf(signet.EINVALID, "email must be an address"), login, 400, "invalid-input", "email must be an address", nil},
		{"conflict", "Signup", signet.Errorf(signet.ECONFLICT, "the email is taken"),
			req{method: "POST", path: "/v1/signup", body: `{"email":"a@example.com","password":"pw","name":"A"}`}, 409, "conflict", "the email is taken", nil},
		{"not found", "RevokeSession", signet.Errorf(signet.ENOTFOUND, "no such session"),
			req{method: "DELETE", path: "/v1/sessions/x", token: userToken}, 404, "not-found", "no such session", nil},
		{"invalid credentials", "Login", account.ErrInvalidCredentials, login, 401, "invalid-credentials", detailCredentials, nil},
		{"wrapped invalid credentials", "Login", fmt.Errorf("login: %w", account.ErrInvalidCredentials), login, 401, "invalid-credentials", detailCredentials, nil},
		{"invalid grant", "Refresh", account.ErrInvalidGrant,
			req{method: "POST", path: "/v1/refresh", body: `{"refresh_token":"rt"}`}, 400, "invalid-grant", detailGrant, nil},
		{"invalid token from a handler", "Me", account.ErrInvalidToken, me, 401, "invalid-token", detailBadToken,
			map[string]string{"WWW-Authenticate": `Bearer error="invalid_token", error_description="the access token is not valid"`}},
		{"revoked", "Me", fmt.Errorf("%w: %w", account.ErrInvalidToken, account.ErrRevoked), me, 401, "invalid-token", detailRevoked,
			map[string]string{"WWW-Authenticate": `Bearer error="invalid_token", error_description="the access token has been revoked"`}},
		{"bare jose error", "Authenticate", jose.ErrWrongAudience, me, 401, "invalid-token", detailBadToken, nil},
		{"scope not granted", "Login", account.ErrScope, login, 400, "invalid-scope", detailScope, nil},
		{"throttled", "Login", &account.ThrottledError{RetryAfter: 1500 * time.Millisecond}, login, 429, "throttled", detailThrottled,
			map[string]string{"Retry-After": "2"}},
		{"throttled under a second", "Signup", &account.ThrottledError{RetryAfter: time.Millisecond},
			req{method: "POST", path: "/v1/signup", body: `{"email":"a@example.com","password":"pw","name":"A"}`}, 429, "throttled", detailThrottled,
			map[string]string{"Retry-After": "1"}},
		{"cursor gone", "Revocations", account.ErrCursorGone,
			req{method: "GET", path: "/v1/revocations?after=0001", token: feedToken}, 410, "cursor-gone", detailCursorGone, nil},
		{"account disabled", "Me", account.ErrAccountDisabled, me, 403, "account-disabled", detailDisabled, nil},
		{"internal", "Me", errors.New("sql: connection refused at 10.0.0.5"), me, 500, "internal", detailInternal, nil},
		{"internal from jwks", "JWKS", errors.New("disk on fire"), req{method: "GET", path: "/.well-known/jwks.json"}, 500, "internal", detailInternal, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.api.setErr(tc.method, tc.err)
			res := e.do(t, tc.req)
			p := wantProblem(t, res, tc.status, tc.slug)
			if tc.detail != "" && p.Detail != tc.detail {
				t.Errorf("detail = %q, want %q", p.Detail, tc.detail)
			}
			for k, v := range tc.header {
				if got := res.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if res.status == 401 && tc.slug == "invalid-token" && res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 invalid-token without WWW-Authenticate")
			}
			if res.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", res.header.Get("Cache-Control"))
			}
		})
	}
}

// TestInternalErrorLogged checks that a 500 says nothing of its cause to the
// client and logs it once, with the request id and without the body.
func TestInternalErrorLogged(t *testing.T) {
	e := newEnv(t)
	e.api.setErr("Login", errors.New("sql: connection refused at 10.0.0.5"))
	res := e.do(t, req{method: "POST", path: "/v1/login", body: `{"email":"ann@example.com","password":"hunter2-secret"}`})
	wantProblem(t, res, 500, "internal")
	if strings.Contains(string(res.body), "10.0.0.5") {
		t.Errorf("the cause reached the client: %s", res.body)
	}
	id := res.header.Get("X-Request-Id")
	logs := e.log.String()
	var failed string
	for line := range strings.SplitSeq(logs, "\n") {
		if strings.Contains(line, `"msg":"request failed"`) {
			failed = line
		}
	}
	if !strings.Contains(failed, `"request_id":"`+id+`"`) || !strings.Contains(failed, "10.0.0.5") || !strings.Contains(failed, `"route":"/v1/login"`) {
		t.Errorf("error log line %q: want the request id %s, the cause and the route", failed, id)
	}
	for _, secret := range []string{"hunter2-secret", "ann@example.com"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
}

// TestPanicRecovered checks that a panic in the service is a 500 problem.
func TestPanicRecovered(t *testing.T) {
	e := newEnv(t)
	e.api.panics["Me"] = true
	res := e.do(t, req{method: "GET", path: "/v1/me", token: userToken})
	wantProblem(t, res, 500, "internal")
	if !strings.Contains(e.log.String(), "fake panic in Me") {
		t.Error("the panic was not logged")
	}
}

// TestInvalidCredentialsSameBody checks that every wrong login gets the
// same body.
func TestInvalidCredentialsSameBody(t *testing.T) {
	e := newEnv(t)
	e.api.setErr("Login", account.ErrInvalidCredentials)
	a := e.do(t, req{method: "POST", path: "/v1/login", body: `{"email":"nobody@example.com","password":"pw"}`})
	b := e.do(t, req{method: "POST", path: "/v1/login", body: `{"email":"ann@example.com","password":"wrong"}`})
	if a.status != http.StatusUnauthorized || string(a.body) != string(b.body) {
		t.Errorf("bodies differ:\n%s\n%s", a.body, b.body)
	}
}

// TestProblemsDocumented holds docs/problems.md to the kinds: one row per
// kind, with its anchor and status, and no row for a kind that is gone.
func TestProblemsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/problems.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for line := range strings.SplitSeq(string(doc), "\n") {
		if strings.HasPrefix(line, "| <a id=") {
			rows++
		}
	}
	if rows != len(kinds) {
		t.Errorf("docs/problems.md has %d rows, the code %d kinds", rows, len(kinds))
	}
	for _, k := range kinds {
		row := fmt.Sprintf("| <a id=%q></a>`%s` | %d |", k.slug, k.slug, k.status)
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/problems.md lacks the row %s", row)
		}
	}
}
