package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	signetkeys "github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/oauth2"
	"github.com/signet-dev/signet/password"
	"github.com/signet-dev/signet/sqlite"
)

// oidcEnv is a server with a real OpenID provider on a SQLite store.
type oidcEnv struct {
	srv    *Server
	ts     *httptest.Server
	p      *oauth2.Provider
	secret string
}

func newOIDCEnv(t testing.TB) *oidcEnv {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "signet.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }
	mk, _, _ := signetkeys.GenerateMasterKey()
	ring, _ := signetkeys.NewKeyring(mk)
	km, err := signetkeys.NewManager(st, ring, signetkeys.ManagerConfig{Logger: log, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := km.Ensure(t.Context()); err != nil {
		t.Fatal(err)
	}
	h, _ := password.NewHasher(password.Config{UnsafeWeakParams: true,
		Params: password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}})
	svc, err := account.NewService(t.Context(), st, km, h, account.Config{Issuer: "https://id.example", Logger: log, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	p, err := oauth2.New(st, svc, km, ring, oauth2.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := p.AddClient(t.Context(), oauth2.NewClient{ID: "web", RedirectURIs: []string{"https://app.example/cb"},
		GrantTypes: []string{signet.GrantAuthorizationCode, signet.GrantClientCredentials}, Scopes: []string{"openid", "posts:read"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Issuer: "https://id.example", Logger: log, Provider: p}, svc, nil)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &oidcEnv{srv: srv, ts: ts, p: p, secret: secret}
}

// TestDiscoveryGoldenOIDC pins the discovery document of a server with the
// OpenID provider: every endpoint it names exists, and answers.
func TestDiscoveryGoldenOIDC(t *testing.T) {
	e := newOIDCEnv(t)
	resp, err := http.Get(e.ts.URL + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, "discovery.oidc.golden.json", pretty.Bytes())
	var doc map[string]any
	json.Unmarshal(body, &doc)
	for _, name := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "introspection_endpoint",
		"revocation_endpoint", "end_session_endpoint"} {
		u, _ := doc[name].(string)
		path := strings.TrimPrefix(u, "https://id.example")
		resp, err := http.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 404 {
			t.Errorf("%s names %s, which does not exist", name, path)
		}
	}
}

// TestOAuthErrorsGolden pins the RFC 6749 error bodies of the JSON
// endpoints, with their statuses and challenges.
func TestOAuthErrorsGolden(t *testing.T) {
	e := newOIDCEnv(t)
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name, method, path, ctype, body string
		basic                           [2]string
		bearer                          string
	}{
		{"token: no client authentication", "POST", "/oauth2/token", form, "grant_type=client_credentials", [2]string{}, ""},
		{"token: wrong secret", "POST", "/oauth2/token", form, "grant_type=client_credentials", [2]string{"web", "wrong-secret"}, ""},
		{"token: unsupported grant", "POST", "/oauth2/token", form, "grant_type=password", [2]string{"web", e.secret}, ""},
		{"token: no grant type", "POST", "/oauth2/token", form, "", [2]string{"web", e.secret}, ""},
		{"token: JSON body", "POST", "/oauth2/token", "application/json", `{"grant_type":"client_credentials"}`, [2]string{"web", e.secret}, ""},
		{"token: repeated parameter", "POST", "/oauth2/token", form, "scope=a&scope=b&grant_type=client_credentials", [2]string{"web", e.secret}, ""},
		{"token: scope not allowed", "POST", "/oauth2/token", form, "grant_type=client_credentials&scope=admin", [2]string{"web", e.secret}, ""},
		{"token: grant not registered", "POST", "/oauth2/token", form, "grant_type=refresh_token&refresh_token=x", [2]string{"web", e.secret}, ""},
		{"token: bad code", "POST", "/oauth2/token", form, "grant_type=authorization_code&code=nope&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=" + strings.Repeat("v", 43), [2]string{"web", e.secret}, ""},
		{"introspect: inactive", "POST", "/oauth2/introspect", form, "token=not-a-token", [2]string{"web", e.secret}, ""},
		{"introspect: no token", "POST", "/oauth2/introspect", form, "", [2]string{"web", e.secret}, ""},
		{"revoke: unknown token", "POST", "/oauth2/revoke", form, "token=not-a-token", [2]string{"web", e.secret}, ""},
		{"userinfo: no token", "GET", "/oauth2/userinfo", "", "", [2]string{}, ""},
		{"userinfo: bad token", "GET", "/oauth2/userinfo", "", "", [2]string{}, "not.a.token"},
	}
	var out bytes.Buffer
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, e.ts.URL+tc.path, strings.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		if tc.basic[0] != "" {
			req.SetBasicAuth(tc.basic[0], tc.basic[1])
		}
		if tc.bearer != "" {
			req.Header.Set("Authorization", "Bearer "+tc.bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", tc.name, cc)
		}
		fmt.Fprintf(&out, "# %s\n%d %s\nWWW-Authenticate: %s\n%s\n", tc.name, resp.StatusCode,
			resp.Header.Get("Content-Type"), resp.Header.Get("WWW-Authenticate"), bytes.TrimSpace(body))
	}
	golden(t, "oauth-errors.golden.txt", out.Bytes())
}

// TestPagesHeadersAndCookies: the login page of an https issuer sets its
// CSRF cookie HttpOnly, Secure, SameSite=Lax with the __Host- prefix, sends
// a strict CSP that lets forms reach only signet and the client's redirect
// origin, and holds no script.
func TestPagesHeadersAndCookies(t *testing.T) {
	e := newOIDCEnv(t)
	q := "response_type=code&client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid&state=s" +
		"&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
	resp, err := http.Get(e.ts.URL + "/oauth2/authorize?" + q)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("login page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "form-action 'self' https://app.example;", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") || strings.Contains(string(body), "<script") {
		t.Errorf("the page allows or holds script: %q", csp)
	}
	if resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", resp.Header)
	}
	var csrf *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-signet_csrf" {
			csrf = c
		}
	}
	if csrf == nil || !csrf.HttpOnly || !csrf.Secure || csrf.SameSite != http.SameSiteLaxMode || csrf.Path != "/" || csrf.Domain != "" {
		t.Fatalf("CSRF cookie %+v (all: %v)", csrf, resp.Header.Values("Set-Cookie"))
	}
	for _, want := range []string{`<html lang="en">`, `<label for="email">`, `autocomplete="current-password"`, `name="csrf_token"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the login page lacks %s", want)
		}
	}
	css, err := http.Get(e.ts.URL + "/oauth2/static/style.css")
	if err != nil || css.StatusCode != 200 || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %v %v", err, css)
	}
	css.Body.Close()
}

func TestCookiesSecureOutsideLoopback(t *testing.T) {
	for iss, want := range map[string]bool{"http://localhost:8080": false, "http://127.0.0.1:9": false,
		"https://localhost": true, "https://id.example": true, "http://id.example": true} {
		s := &Server{cfg: Config{Issuer: iss}}
		if got := s.secureCookies(); got != want {
			t.Errorf("%s: secure = %v, want %v", iss, got, want)
		}
	}
}

func FuzzBasicCredentials(f *testing.F) {
	for _, s := range []string{"Basic d2ViOnNlY3JldA==", "Basic " + "JTNBOiUzQQ==", "basic !!!", "Basic Og==", "Bearer x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		r, _ := http.NewRequest("POST", "/", nil)
		r.Header.Set("Authorization", h)
		id, secret, ok := basicCredentials(r)
		if ok && id == "" {
			t.Fatalf("ok with an empty id (secret %q)", secret)
		}
	})
}
