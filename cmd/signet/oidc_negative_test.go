package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// authParams is a valid authorization request of oidcClient with the
// verifier's S256 challenge.
func (o *oidcServer) authParams(verifier string, edit ...func(url.Values)) url.Values {
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {oidcClient}, "redirect_uri": {o.callback},
		"scope": {"openid email"}, "state": {"st-1"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}
	for _, f := range edit {
		f(q)
	}
	return q
}

// tokenCall posts a form to the token endpoint and decodes the answer.
func (o *oidcServer) tokenCall(t *testing.T, form url.Values, basic bool) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", o.issuer+"/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(oidcClient, o.secret)
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, resp.Header, body
}

const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// TestOIDCNegative: what must be refused is refused, over HTTP.
func TestOIDCNegative(t *testing.T) {
	const callback = "http://127.0.0.1:9/callback"
	o := startOIDC(t, "127.0.0.1", callback)
	auth := func(c *http.Client, q url.Values) page {
		return fetch(t, c, "GET", o.issuer+"/oauth2/authorize?"+q.Encode(), nil)
	}
	newCode := func(t *testing.T, c *http.Client) string {
		u := o.signInAndConsent(t, c, o.issuer+"/oauth2/authorize?"+o.authParams(testVerifier).Encode())
		return u.Query().Get("code")
	}
	exchange := func(t *testing.T, code, verifier, redirect string) (int, map[string]any) {
		st, _, body := o.tokenCall(t, url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {redirect}, "code_verifier": {verifier}}, true)
		return st, body
	}

	t.Run("redirect URIs that are not registered are never followed", func(t *testing.T) {
		for name, uri := range map[string]string{
			"one character off":  strings.TrimSuffix(callback, "k") + "c",
			"one character more": callback + "/",
			"another host":       "http://evil.example/callback",
			"userinfo trick":     "http://127.0.0.1:9@evil.example/callback",
			"encoded":            "http%3A%2F%2F127.0.0.1%3A9%2Fcallback",
			"protocol relative":  "//evil.example/callback",
			"extra query":        callback + "?next=http://evil.example",
			"javascript":         "javascript:alert(1)",
		} {
			p := auth(browserless(t), o.authParams(testVerifier, func(q url.Values) { q.Set("redirect_uri", uri) }))
			if p.status != 400 || p.header.Get("Location") != "" || !strings.Contains(p.body, "invalid_request") {
				t.Errorf("%s: %d, Location %q", name, p.status, p.header.Get("Location"))
			}
			if !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") || !strings.Contains(p.header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("%s: error page headers %v", name, p.header)
			}
		}
	})
	t.Run("missing state goes back as invalid_request", func(t *testing.T) {
		p := auth(browserless(t), o.authParams(testVerifier, func(q url.Values) { q.Del("state") }))
		u := redirectOf(t, p, callback)
		if u.Query().Get("error") != "invalid_request" || u.Query().Has("code") {
			t.Fatalf("redirect %s", u)
		}
	})
	t.Run("login form without its CSRF token changes nothing", func(t *testing.T) {
		c := browserless(t)
		login := auth(c, o.authParams(testVerifier))
		form := login.hidden()
		form.Del("csrf_token")
		form.Set("email", oidcUser)
		form.Set("password", pw)
		p := fetch(t, c, "POST", o.issuer+"/oauth2/login", form)
		if p.status != 403 || p.header.Get("Set-Cookie") != "" {
			t.Fatalf("no CSRF token: %d, Set-Cookie %q", p.status, p.header.Get("Set-Cookie"))
		}
		form.Set("csrf_token", strings.Repeat("A", 43))
		if p := fetch(t, c, "POST", o.issuer+"/oauth2/login", form); p.status != 403 {
			t.Fatalf("a forged CSRF token: %d", p.status)
		}
		// Still signed out: the next authorization shows the login page.
		if p := auth(c, o.authParams(testVerifier)); !strings.Contains(p.body, `action="/oauth2/login"`) {
			t.Fatal("a refused form signed the browser in")
		}
		// Another browser's valid token is no good either.
		other := browserless(t)
		oform := auth(other, o.authParams(testVerifier)).hidden()
		form.Set("csrf_token", oform.Get("csrf_token"))
		if p := fetch(t, c, "POST", o.issuer+"/oauth2/login", form); p.status != 403 {
			t.Fatalf("another browser's CSRF token: %d", p.status)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		c := browserless(t)
		form := auth(c, o.authParams(testVerifier)).hidden()
		form.Set("email", oidcUser)
		form.Set("password", "not the password at all")
		p := fetch(t, c, "POST", o.issuer+"/oauth2/login", form)
		if p.status != 401 || !strings.Contains(p.body, "The email or password is wrong.") || strings.Contains(p.header.Get("Set-Cookie"), "signet_session") {
			t.Fatalf("wrong password: %d %q", p.status, p.header.Get("Set-Cookie"))
		}
	})
	t.Run("denying consent goes back as access_denied", func(t *testing.T) {
		c := browserless(t)
		form := auth(c, o.authParams(testVerifier, func(q url.Values) { q.Set("scope", "openid profile") })).hidden()
		form.Set("email", oidcUser)
		form.Set("password", pw)
		consent := fetch(t, c, "POST", o.issuer+"/oauth2/login", form)
		form = consent.hidden()
		form.Set("decision", "deny")
		u := redirectOf(t, fetch(t, c, "POST", o.issuer+"/oauth2/consent", form), callback)
		if u.Query().Get("error") != "access_denied" || u.Query().Get("state") != "st-1" || u.Query().Has("code") {
			t.Fatalf("redirect %s", u)
		}
	})
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		code := newCode(t, browserless(t))
		st, body := exchange(t, code, strings.Repeat("x", 43), callback)
		if st != 400 || body["error"] != "invalid_grant" {
			t.Fatalf("%d %v", st, body)
		}
		if st, body := exchange(t, code, testVerifier, callback); st != 200 {
			t.Fatalf("a failed attempt burnt the code: %d %v", st, body)
		}
	})
	t.Run("redirect URI one character off at the token endpoint", func(t *testing.T) {
		st, body := exchange(t, newCode(t, browserless(t)), testVerifier, callback+"x")
		if st != 400 || body["error"] != "invalid_grant" {
			t.Fatalf("%d %v", st, body)
		}
	})
	t.Run("code replay revokes what the code issued", func(t *testing.T) {
		code := newCode(t, browserless(t))
		st, tok := exchange(t, code, testVerifier, callback)
		if st != 200 {
			t.Fatalf("first exchange: %d %v", st, tok)
		}
		at := tok["access_token"].(string)
		if r := o.call(t, "GET", "/oauth2/userinfo", at, nil, nil); r.StatusCode != 200 {
			t.Fatalf("userinfo: %d", r.StatusCode)
		}
		st, body := exchange(t, code, testVerifier, callback)
		if st != 400 || body["error"] != "invalid_grant" {
			t.Fatalf("replay: %d %v", st, body)
		}
		r := o.call(t, "GET", "/oauth2/userinfo", at, nil, nil)
		if r.StatusCode != 401 || !strings.Contains(r.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Fatalf("userinfo after the replay: %d %q", r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
		st, _, body = o.tokenCall(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}}, true)
		if st != 400 || body["error"] != "invalid_grant" {
			t.Fatalf("refresh after the replay: %d %v", st, body)
		}
	})
	t.Run("client authentication failures", func(t *testing.T) {
		cc := url.Values{"grant_type": {"client_credentials"}}
		cases := []struct {
			name   string
			form   url.Values
			basic  [2]string
			status int
			code   string
		}{
			{"wrong secret by Basic", cc, [2]string{oidcClient, strings.Repeat("A", 43)}, 401, "invalid_client"},
			{"unknown client", cc, [2]string{"nobody", o.secret}, 401, "invalid_client"},
			{"wrong secret in the form", merge(cc, "client_id", oidcClient, "client_secret", "nope"), [2]string{}, 401, "invalid_client"},
			{"no authentication", cc, [2]string{}, 401, "invalid_client"},
			{"confidential client without its secret", merge(cc, "client_id", oidcClient), [2]string{}, 401, "invalid_client"},
			{"two methods", merge(cc, "client_secret", o.secret), [2]string{oidcClient, o.secret}, 400, "invalid_request"},
		}
		for _, tc := range cases {
			req, _ := http.NewRequest("POST", o.issuer+"/oauth2/token", strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic[0] != "" {
				req.SetBasicAuth(tc.basic[0], tc.basic[1])
			}
			resp, err := http.DefaultClient.Do(req)
			must(t, err)
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || body["error"] != tc.code {
				t.Errorf("%s: %d %v, want %d %s", tc.name, resp.StatusCode, body, tc.status, tc.code)
			}
			if tc.basic[0] != "" && tc.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("%s: WWW-Authenticate %q", tc.name, resp.Header.Get("WWW-Authenticate"))
			}
		}
	})
	t.Run("a parameter given twice", func(t *testing.T) {
		req, _ := http.NewRequest("POST", o.issuer+"/oauth2/token", strings.NewReader("grant_type=client_credentials&grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(oidcClient, o.secret)
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
}

func merge(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}
