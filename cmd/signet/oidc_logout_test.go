package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOIDCLogoutAndConsents: RP-initiated logout asks for confirmation,
// ends the browser session and the hinted session, and returns to the
// registered URI with the state; the user's consents are listed and
// revocable through /v1/consents, which ends the client's sessions.
func TestOIDCLogoutAndConsents(t *testing.T) {
	const callback = "http://127.0.0.1:9/callback"
	o := startOIDC(t, "127.0.0.1", callback)
	browser := browserless(t)
	code := o.signInAndConsent(t, browser, o.issuer+"/oauth2/authorize?"+o.authParams(testVerifier).Encode()).Query().Get("code")
	st, _, tok := o.tokenCall(t, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {callback}, "code_verifier": {testVerifier}}, true)
	if st != 200 {
		t.Fatalf("exchange: %d %v", st, tok)
	}
	at, idt := tok["access_token"].(string), tok["id_token"].(string)

	// Consents: listed, with the client's name.
	var list struct {
		Consents []struct {
			ClientID   string   `json:"client_id"`
			ClientName string   `json:"client_name"`
			Scopes     []string `json:"scopes"`
		} `json:"consents"`
	}
	if r := o.call(t, "GET", "/v1/consents", at, nil, &list); r.StatusCode != 200 || len(list.Consents) != 1 ||
		list.Consents[0].ClientID != oidcClient || list.Consents[0].ClientName != "Web App" {
		t.Fatalf("consents: %d %+v", r.StatusCode, list)
	}

	// Logout: a GET only asks.
	q := url.Values{"id_token_hint": {idt}, "post_logout_redirect_uri": {callback + "/bye"}, "state": {"bye-1"}}
	confirm := fetch(t, browser, "GET", o.issuer+"/oauth2/logout?"+q.Encode(), nil)
	if confirm.status != 200 || !strings.Contains(confirm.body, `action="/oauth2/logout"`) || !strings.Contains(confirm.body, "Web App") {
		t.Fatalf("logout page: %d\n%s", confirm.status, confirm.body)
	}
	if r := o.call(t, "GET", "/oauth2/userinfo", at, nil, nil); r.StatusCode != 200 {
		t.Fatal("showing the logout page signed the user out")
	}
	evil := url.Values{"id_token_hint": {idt}, "post_logout_redirect_uri": {"http://evil.example/"}}
	if p := fetch(t, browser, "GET", o.issuer+"/oauth2/logout?"+evil.Encode(), nil); p.status != 400 || p.header.Get("Location") != "" {
		t.Fatalf("an unregistered post-logout URI: %d %q", p.status, p.header.Get("Location"))
	}
	form := confirm.hidden()
	noCSRF := url.Values{"request": form["request"]}
	if p := fetch(t, browser, "POST", o.issuer+"/oauth2/logout", noCSRF); p.status != 403 {
		t.Fatalf("logout without the CSRF token: %d", p.status)
	}
	done := fetch(t, browser, "POST", o.issuer+"/oauth2/logout", form)
	if u := redirectOf(t, done, callback+"/bye"); u.Query().Get("state") != "bye-1" {
		t.Fatalf("after logout: %s", u)
	}
	if !strings.Contains(done.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("the session cookie was not cleared: %q", done.header.Get("Set-Cookie"))
	}
	r := o.call(t, "GET", "/oauth2/userinfo", at, nil, nil)
	if r.StatusCode != 401 {
		t.Fatalf("the hinted session survived the logout: %d", r.StatusCode)
	}
	if p := fetch(t, browser, "GET", o.issuer+"/oauth2/authorize?"+o.authParams(testVerifier).Encode(), nil); !strings.Contains(p.body, `action="/oauth2/login"`) {
		t.Fatal("still signed in after logout")
	}

	// Revoking the consent (with a fresh session's token) ends the client's
	// sessions; the next authorization asks for consent again.
	code = o.signInAndConsent(t, browser, o.issuer+"/oauth2/authorize?"+o.authParams(testVerifier).Encode()).Query().Get("code")
	_, _, tok = o.tokenCall(t, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {callback}, "code_verifier": {testVerifier}}, true)
	at = tok["access_token"].(string)
	if r := o.call(t, "DELETE", "/v1/consents/"+oidcClient, at, nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("revoking the consent: %d", r.StatusCode)
	}
	if r := o.call(t, "GET", "/oauth2/userinfo", at, nil, nil); r.StatusCode != 401 {
		t.Fatalf("the client's token survived the revoked consent: %d", r.StatusCode)
	}
	if r := o.call(t, "DELETE", "/v1/consents/"+oidcClient, o.login(t, oidcUser, pw).AccessToken, nil, nil); r.StatusCode != 404 {
		t.Fatalf("revoking it again: %d", r.StatusCode)
	}
	p := fetch(t, browser, "GET", o.issuer+"/oauth2/authorize?"+o.authParams(testVerifier).Encode(), nil)
	if !strings.Contains(p.body, `action="/oauth2/consent"`) {
		t.Fatalf("consent was not asked again: %d\n%s", p.status, p.body)
	}
}

// TestOIDCRevokeEndsSSO: `signet user revoke` (another process) ends the
// user's browser sessions too: single sign-on asks for the password again.
func TestOIDCRevokeEndsSSO(t *testing.T) {
	const callback = "http://127.0.0.1:9/callback"
	o := startOIDC(t, "127.0.0.1", callback)
	browser := browserless(t)
	o.signInAndConsent(t, browser, o.issuer+"/oauth2/authorize?"+o.authParams(testVerifier).Encode())
	authURL := o.issuer + "/oauth2/authorize?" + o.authParams(testVerifier).Encode()
	if p := fetch(t, browser, "GET", authURL, nil); p.status != 302 {
		t.Fatalf("single sign-on: %d", p.status)
	}
	if _, _, err := o.runCLI(t, "", "user", "revoke", oidcUser); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the revocation ending the browser session", func() bool {
		return strings.Contains(fetch(t, browser, "GET", authURL, nil).body, `action="/oauth2/login"`)
	})
}

// TestOIDCConsentsPage: the signed-in user withdraws a consent from signet's
// own page (CSRF-checked), which ends the client's tokens.
func TestOIDCConsentsPage(t *testing.T) {
	const callback = "http://127.0.0.1:9/callback"
	o := startOIDC(t, "127.0.0.1", callback)
	anon := browserless(t)
	if p := fetch(t, anon, "GET", o.issuer+"/oauth2/consents", nil); p.status != 401 {
		t.Fatalf("consents page without a session: %d", p.status)
	}
	browser := browserless(t)
	code := o.signInAndConsent(t, browser, o.issuer+"/oauth2/authorize?"+o.authParams(testVerifier).Encode()).Query().Get("code")
	_, _, tok := o.tokenCall(t, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {callback}, "code_verifier": {testVerifier}}, true)
	at := tok["access_token"].(string)
	page := fetch(t, browser, "GET", o.issuer+"/oauth2/consents", nil)
	if page.status != 200 || !strings.Contains(page.body, "Web App") || !strings.Contains(page.body, "Withdraw") {
		t.Fatalf("consents page: %d\n%s", page.status, page.body)
	}
	form := page.hidden()
	bad := url.Values{"client_id": {oidcClient}}
	if p := fetch(t, browser, "POST", o.issuer+"/oauth2/consents", bad); p.status != 403 {
		t.Fatalf("withdrawing without the CSRF token: %d", p.status)
	}
	done := fetch(t, browser, "POST", o.issuer+"/oauth2/consents", form)
	if done.status != 200 || !strings.Contains(done.body, "Access withdrawn") || strings.Contains(done.body, "Web App") {
		t.Fatalf("after withdrawing: %d\n%s", done.status, done.body)
	}
	if r := o.call(t, "GET", "/oauth2/userinfo", at, nil, nil); r.StatusCode != 401 {
		t.Fatalf("the client's token survived: %d", r.StatusCode)
	}
}
