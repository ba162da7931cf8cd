package oauth2_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/oauth2"
)

// TestAuthorizeRefused: errors before the client and its redirect URI are
// known good are shown to the user (never redirected: no open redirect);
// after, they go back to the client with the state.
func TestAuthorizeRefused(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name     string
		edit     func(url.Values)
		code     string
		redirect bool
	}{
		{"no client", func(q url.Values) { q.Del("client_id") }, "invalid_request", false},
		{"unknown client", func(q url.Values) { q.Set("client_id", "evil") }, "invalid_request", false},
		{"no redirect URI", func(q url.Values) { q.Del("redirect_uri") }, "invalid_request", false},
		{"redirect one char longer", func(q url.Values) { q.Set("redirect_uri", redirect+"/") }, "invalid_request", false},
		{"redirect one char different", func(q url.Values) { q.Set("redirect_uri", strings.Replace(redirect, "callback", "callbacc", 1)) }, "invalid_request", false},
		{"open redirect to another host", func(q url.Values) { q.Set("redirect_uri", "https://evil.example/callback") }, "invalid_request", false},
		{"open redirect by userinfo", func(q url.Values) { q.Set("redirect_uri", "https://app.example@evil.example/callback") }, "invalid_request", false},
		{"redirect with another query", func(q url.Values) { q.Set("redirect_uri", redirect+"?next=https://evil.example") }, "invalid_request", false},
		{"two redirect URIs", func(q url.Values) { q["redirect_uri"] = []string{redirect, "https://evil.example/"} }, "invalid_request", false},
		{"missing state", func(q url.Values) { q.Del("state") }, "invalid_request", true},
		{"token response type", func(q url.Values) { q.Set("response_type", "token") }, "unsupported_response_type", true},
		{"no PKCE", func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, "invalid_request", true},
		{"plain PKCE", func(q url.Values) { q.Set("code_challenge_method", "plain") }, "invalid_request", true},
		{"short challenge", func(q url.Values) { q.Set("code_challenge", "abc") }, "invalid_request", true},
		{"scope not allowed", func(q url.Values) { q.Set("scope", "openid admin") }, "invalid_scope", true},
		{"bad prompt", func(q url.Values) { q.Set("prompt", "select_account") }, "invalid_request", true},
		{"prompt none and login", func(q url.Values) { q.Set("prompt", "none login") }, "invalid_request", true},
		{"bad max_age", func(q url.Values) { q.Set("max_age", "-1") }, "invalid_request", true},
		{"fragment response mode", func(q url.Values) { q.Set("response_mode", "fragment") }, "invalid_request", true},
		{"request object", func(q url.Values) { q.Set("request", "eyJ...") }, "request_not_supported", true},
		{"repeated scope", func(q url.Values) { q["scope"] = []string{"openid", "email"} }, "invalid_request", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.p.ParseAuthorize(t.Context(), params(tt.edit))
			var ae *oauth2.AuthorizeError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v, want an *AuthorizeError", err)
			}
			if ae.Err.Code != tt.code || ae.Redirect != tt.redirect {
				t.Fatalf("got %s (redirect %v), want %s (redirect %v)", ae.Err.Code, ae.Redirect, tt.code, tt.redirect)
			}
			if !tt.redirect {
				return
			}
			u, err := url.Parse(ae.RedirectURL)
			must(t, err)
			q := u.Query()
			if !strings.HasPrefix(ae.RedirectURL, redirect+"?") || q.Get("error") != tt.code || q.Get("iss") != issuer {
				t.Fatalf("redirect %s", ae.RedirectURL)
			}
			if params(tt.edit).Has("state") && q.Get("state") != "xyz" {
				t.Fatalf("redirect %s lost the state", ae.RedirectURL)
			}
		})
	}
}

func TestSecrets(t *testing.T) {
	a, b := oauth2.NewSecret(), oauth2.NewSecret()
	if len(a) != 43 || a == b {
		t.Fatalf("secrets %q %q", a, b)
	}
	tests := []struct {
		secret string
		ok     bool
	}{
		{a, true},
		{"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true}, // 64 hex: 256 bits
		{a[:40], false},
		{"0123456789abcdef0123456789abcdef", false}, // 128 bits of hex
		{strings.Repeat("ab", 40), false},           // long but few distinct characters
		{a + " ", false},
		{a + "é", false},
		{strings.Repeat(a, 13), false}, // longer than 512
	}
	for _, tt := range tests {
		err := oauth2.CheckSecret(tt.secret)
		if (err == nil) != tt.ok {
			t.Errorf("CheckSecret(%.20q…) = %v, want ok %v", tt.secret, err, tt.ok)
		}
		if err != nil && !errors.Is(err, signet.ErrInvalid) {
			t.Errorf("error %v does not match ErrInvalid", err)
		}
	}
	e := newEnv(t)
	_, _, err := e.p.AddClient(t.Context(), oauth2.NewClient{ID: "weak", RedirectURIs: []string{redirect}, Secret: "hunter2"})
	wantErr(t, err, signet.ErrInvalid)
	_, secret, err := e.p.AddClient(t.Context(), oauth2.NewClient{ID: "strong", RedirectURIs: []string{redirect}, Secret: a,
		GrantTypes: []string{signet.GrantClientCredentials}, Scopes: []string{"x"}})
	must(t, err)
	if secret != a {
		t.Fatal("a supplied secret was not used")
	}
	stored, _ := e.store.Client(t.Context(), "strong")
	if strings.Contains(string(stored.SecretHash), a) || len(stored.SecretHash) != 32 {
		t.Fatal("the secret is stored in clear")
	}
	if _, err := e.p.Token(t.Context(), oauth2.TokenRequest{Client: oauth2.ClientAuth{Method: oauth2.AuthPost, ID: "strong", Secret: a},
		GrantType: "client_credentials"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.p.RotateSecret(t.Context(), "spa", "")
	wantErr(t, err, signet.ErrInvalid)
	// The first-party client's id is taken: its refresh tokens must never
	// be a registered client's.
	_, _, err = e.p.AddClient(t.Context(), oauth2.NewClient{ID: "signet", RedirectURIs: []string{redirect}})
	wantErr(t, err, signet.ErrConflict)
}

// TestRemoveClientAndConsent: removing a client, or the user revoking
// their consent, ends its sessions and access tokens.
func TestRemoveClientAndConsent(t *testing.T) {
	e := newEnv(t)
	tr, err := e.exchange(t, e.code(t, params()))
	must(t, err)
	list, err := e.p.Consents(t.Context(), e.user.ID)
	must(t, err)
	if len(list) != 1 || list[0].ClientID != "web" || list[0].ClientName != "Web App" {
		t.Fatalf("consents %+v", list)
	}
	must(t, e.p.RevokeConsent(t.Context(), e.user.ID, "web"))
	if _, err := e.svc.Authenticate(t.Context(), tr.AccessToken); err == nil {
		t.Fatal("revoking the consent left the access token alive")
	}
	wantErr(t, e.p.RevokeConsent(t.Context(), e.user.ID, "web"), signet.ErrNotFound)

	tr, err = e.exchange(t, e.code(t, params()))
	must(t, err)
	must(t, e.p.RemoveClient(t.Context(), "web"))
	if _, err := e.svc.Authenticate(t.Context(), tr.AccessToken); err == nil {
		t.Fatal("removing the client left its access token alive")
	}
	wantErr(t, e.p.RemoveClient(t.Context(), "web"), signet.ErrNotFound)
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	cookie, _, err := e.p.SignIn(t.Context(), "", "alice@example.com", goodPW, meta)
	must(t, err)
	ar, _ := e.p.ParseAuthorize(t.Context(), params())
	b, err := e.p.BrowserUser(t.Context(), cookie)
	must(t, err)
	out, _ := e.p.Authorize(t.Context(), ar, b, oauth2.Decision{Consented: true})
	u, _ := url.Parse(out.RedirectURL)
	tr, err := e.exchange(t, u.Query().Get("code"))
	must(t, err)

	_, err = e.p.ParseLogout(t.Context(), url.Values{"post_logout_redirect_uri": {"https://app.example/bye"}})
	wantErr(t, err, oauth2.ErrInvalidRequest)
	_, err = e.p.ParseLogout(t.Context(), url.Values{"client_id": {"web"}, "post_logout_redirect_uri": {"https://evil.example/bye"}})
	wantErr(t, err, oauth2.ErrInvalidRequest)
	_, err = e.p.ParseLogout(t.Context(), url.Values{"id_token_hint": {tr.AccessToken}})
	wantErr(t, err, oauth2.ErrInvalidRequest)
	lr, err := e.p.ParseLogout(t.Context(), url.Values{"id_token_hint": {tr.IDToken},
		"post_logout_redirect_uri": {"https://app.example/bye"}, "state": {"s1"}})
	must(t, err)
	if lr.RedirectURL != "https://app.example/bye?state=s1" || lr.Hint == nil {
		t.Fatalf("logout request %+v", lr)
	}
	must(t, e.p.Logout(t.Context(), lr, cookie))
	_, err = e.p.BrowserUser(t.Context(), cookie)
	wantErr(t, err, oauth2.ErrNoBrowserSession)
	if _, err := e.svc.Authenticate(t.Context(), tr.AccessToken); err == nil {
		t.Fatal("logout with a hint left the hinted session alive")
	}
}
