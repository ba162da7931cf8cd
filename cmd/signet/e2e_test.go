package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const pw = "correct horse battery staple"

func TestFlowEndToEnd(t *testing.T) {
	ts := startServer(t)
	var created map[string]any
	r := ts.call(t, "POST", "/v1/signup", "", map[string]string{"email": "  Alice@Example.COM ", "password": pw, "name": "Alice"}, &created)
	if r.StatusCode != 201 || created["email"] != "alice@example.com" || created["id"] == "" || created["id"] == created["email"] {
		t.Fatalf("signup: %d %v", r.StatusCode, created)
	}
	var p problem
	if r := ts.call(t, "POST", "/v1/signup", "", map[string]string{"email": "ALICE@example.com", "password": pw, "name": "A"}, &p); r.StatusCode != 409 ||
		r.Header.Get("Content-Type") != "application/problem+json" || p.Type == "" {
		t.Fatalf("duplicate signup: %d %+v", r.StatusCode, p)
	}
	tk := ts.login(t, "alice@example.com", pw)
	if tk.TokenType != "Bearer" || tk.ExpiresIn != 900 || tk.RefreshToken == "" || tk.IDToken == "" || tk.Scope == "" {
		t.Fatalf("token response: %+v", tk)
	}
	var me map[string]any
	if r := ts.call(t, "GET", "/v1/me", tk.AccessToken, nil, &me); r.StatusCode != 200 || me["sub"] != created["id"] || me["email"] != "alice@example.com" {
		t.Fatalf("me: %d %v", r.StatusCode, me)
	}
	var sessions struct{ Sessions []map[string]any }
	if r := ts.call(t, "GET", "/v1/sessions", tk.AccessToken, nil, &sessions); r.StatusCode != 200 || len(sessions.Sessions) != 1 || sessions.Sessions[0]["current"] != true {
		t.Fatalf("sessions: %d %+v", r.StatusCode, sessions)
	}
	next, r := ts.refresh(t, tk.RefreshToken)
	if r.StatusCode != 200 || next.RefreshToken == tk.RefreshToken || next.AccessToken == "" {
		t.Fatalf("refresh: %d", r.StatusCode)
	}
	if r := ts.call(t, "POST", "/v1/logout", next.AccessToken, nil, nil); r.StatusCode != 204 {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	for _, at := range []string{tk.AccessToken, next.AccessToken} {
		r := ts.call(t, "GET", "/v1/me", at, nil, &p)
		if r.StatusCode != 401 || !strings.Contains(r.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Fatalf("access token after logout: %d %q", r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
	}
	if _, r := ts.refresh(t, next.RefreshToken); r.StatusCode < 400 || r.StatusCode >= 500 {
		t.Fatalf("refresh after logout: %d", r.StatusCode)
	}
	// No token, refresh token or password ever reached the log.
	logs := ts.logs.String()
	for name, secret := range map[string]string{"password": pw, "access token": tk.AccessToken, "refresh token": tk.RefreshToken,
		"id token": tk.IDToken, "rotated refresh token": next.RefreshToken, "token signature": sigOf(next.AccessToken)} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the %s", name)
		}
	}
	if !strings.Contains(logs, "login.succeeded") {
		t.Error("the login security event is missing from the log")
	}
}

func sigOf(tok string) string { return tok[strings.LastIndexByte(tok, '.')+1:] }

// The classic attack on value tokens: change "roles":["user"] to ["admin"].
func TestTamperedRoleRefused(t *testing.T) {
	ts := startServer(t)
	ts.signup(t, "bob@example.com", pw)
	tk := ts.login(t, "bob@example.com", pw)
	parts := strings.Split(tk.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(payload), `"roles":["user"]`, `"roles":["admin"]`, 1)
	if forged == string(payload) {
		t.Fatalf("access token carries no roles claim: %s", payload)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	r := ts.call(t, "GET", "/v1/me", strings.Join(parts, "."), nil, nil)
	if r.StatusCode != 401 || !strings.Contains(r.Header.Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("tampered token: %d", r.StatusCode)
	}
}

func TestRefreshReuseRevokesFamily(t *testing.T) {
	ts := startServer(t)
	ts.signup(t, "carol@example.com", pw)
	tk := ts.login(t, "carol@example.com", pw)
	next, r := ts.refresh(t, tk.RefreshToken)
	if r.StatusCode != 200 {
		t.Fatalf("refresh: %d", r.StatusCode)
	}
	ts.advance(11 * time.Second) // past the 10 s grace window
	if _, r := ts.refresh(t, tk.RefreshToken); r.StatusCode != 400 && r.StatusCode != 401 {
		t.Fatalf("reuse of a rotated token: %d", r.StatusCode)
	}
	if _, r := ts.refresh(t, next.RefreshToken); r.StatusCode != 400 && r.StatusCode != 401 {
		t.Fatalf("the family's current token still works after reuse: %d", r.StatusCode)
	}
	if r := ts.call(t, "GET", "/v1/me", next.AccessToken, nil, nil); r.StatusCode != 401 {
		t.Fatalf("access token of a revoked family: %d", r.StatusCode)
	}
	if !strings.Contains(ts.logs.String(), "refresh") || !strings.Contains(ts.logs.String(), "reuse") {
		t.Error("no refresh-reuse security event in the log")
	}
}

func TestConcurrentRefreshes(t *testing.T) {
	ts := startServer(t)
	ts.signup(t, "dave@example.com", pw)
	tk := ts.login(t, "dave@example.com", pw)
	burst := func(rt string, n int) []*http.Response {
		var wg sync.WaitGroup
		out := make([]*http.Response, n)
		toks := make([]tokens, n)
		for i := range n {
			wg.Add(1)
			go func() { defer wg.Done(); toks[i], out[i] = ts.refresh(t, rt) }()
		}
		wg.Wait()
		for i := range toks {
			out[i].Header.Set("X-Test-Refresh", toks[i].RefreshToken)
		}
		return out
	}
	// Within the grace window every racer gets a sibling pair, and every
	// sibling stays valid.
	within := burst(tk.RefreshToken, 6)
	for i, r := range within {
		if r.StatusCode != 200 {
			t.Fatalf("racer %d within the grace window: %d", i, r.StatusCode)
		}
	}
	for i, r := range within {
		if _, rr := ts.refresh(t, r.Header.Get("X-Test-Refresh")); rr.StatusCode != 200 {
			t.Fatalf("sibling %d does not refresh: %d", i, rr.StatusCode)
		}
	}
	// After the window the same race is reuse: nobody gets a token, and the
	// session is gone.
	tk2 := ts.login(t, "dave@example.com", pw)
	if _, r := ts.refresh(t, tk2.RefreshToken); r.StatusCode != 200 {
		t.Fatal("first rotation failed")
	}
	ts.advance(11 * time.Second)
	for i, r := range burst(tk2.RefreshToken, 6) {
		if r.StatusCode != 400 && r.StatusCode != 401 {
			t.Fatalf("racer %d after the grace window: %d", i, r.StatusCode)
		}
	}
	if r := ts.call(t, "GET", "/v1/me", tk2.AccessToken, nil, nil); r.StatusCode != 401 {
		t.Fatalf("session survived reuse: %d", r.StatusCode)
	}
}

func TestLoginThrottled(t *testing.T) {
	ts := startServer(t)
	ts.signup(t, "erin@example.com", pw)
	var last *http.Response
	for range 5 {
		last = ts.call(t, "POST", "/v1/login", "", map[string]string{"email": "erin@example.com", "password": "wrong password!"}, nil)
		if last.StatusCode != 401 {
			t.Fatalf("wrong password: %d", last.StatusCode)
		}
	}
	r := ts.call(t, "POST", "/v1/login", "", map[string]string{"email": "erin@example.com", "password": pw}, nil)
	if r.StatusCode != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("6th attempt: %d Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	ts.advance(2 * time.Minute)
	ts.login(t, "erin@example.com", pw)
}

// TestLoginThrottleConfigured: the limits are the operator's to set; here two
// failures lock the account for ten minutes.
func TestLoginThrottleConfigured(t *testing.T) {
	ts := startServer(t, "--throttle-account", "2/1m", "--throttle-lock", "10m")
	ts.signup(t, "fern@example.com", pw)
	for range 2 {
		if r := ts.call(t, "POST", "/v1/login", "", map[string]string{"email": "fern@example.com", "password": "wrong password!"}, nil); r.StatusCode != 401 {
			t.Fatalf("wrong password: %d", r.StatusCode)
		}
	}
	if r := ts.call(t, "POST", "/v1/login", "", map[string]string{"email": "fern@example.com", "password": pw}, nil); r.StatusCode != 429 {
		t.Fatalf("3rd attempt: %d, want 429", r.StatusCode)
	}
	ts.advance(5 * time.Minute)
	if r := ts.call(t, "POST", "/v1/login", "", map[string]string{"email": "fern@example.com", "password": pw}, nil); r.StatusCode != 429 {
		t.Fatalf("5 minutes into a 10-minute lock: %d, want 429", r.StatusCode)
	}
	ts.advance(6 * time.Minute)
	ts.login(t, "fern@example.com", pw)
}

func TestBadInputChangesNothing(t *testing.T) {
	ts := startServer(t)
	ts.signup(t, "frank@example.com", pw)
	big := `{"email":"x@example.com","password":"` + strings.Repeat("a", 70<<10) + `","name":"x"}`
	cases := []struct {
		name, body, ctype string
		status            int
	}{
		{"not JSON", `{"email":`, "application/json", 400},
		{"unknown member", `{"email":"g@example.com","password":"` + pw + `","name":"g","admin":true}`, "application/json", 400},
		{"trailing data", `{"email":"g@example.com","password":"` + pw + `","name":"g"}{}`, "application/json", 400},
		{"array", `[]`, "application/json", 400},
		{"oversized", big, "application/json", 413},
		{"wrong content type", `{"email":"g@example.com","password":"` + pw + `","name":"g"}`, "text/plain", 415},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+"/v1/signup", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ctype)
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode != tc.status || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("status %d (%s), want %d problem+json", r.StatusCode, r.Header.Get("Content-Type"), tc.status)
			}
		})
	}
	users, err := ts.core.svc.ListUsers(context.Background(), "", 10)
	if err != nil || len(users) != 1 {
		t.Fatalf("bad requests changed the users: %d %v", len(users), err)
	}
}
