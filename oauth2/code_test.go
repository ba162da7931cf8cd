package oauth2_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/oauth2"
)

// TestCodeFlow: login, consent, code, exchange; the ID token carries the
// nonce, at_hash and auth_time, signed ES256 by default and RS256 for a
// client registered for it; the access token works on signet's endpoints.
func TestCodeFlow(t *testing.T) {
	e := newEnv(t)
	ar, err := e.p.ParseAuthorize(t.Context(), params())
	must(t, err)
	out, err := e.p.Authorize(t.Context(), ar, nil, oauth2.Decision{})
	must(t, err)
	if out.Step != oauth2.StepLogin {
		t.Fatalf("no browser session: step %v, want login", out.Step)
	}
	b := e.signIn(t)
	out, err = e.p.Authorize(t.Context(), ar, b, oauth2.Decision{Fresh: true})
	must(t, err)
	if out.Step != oauth2.StepConsent || strings.Join(out.Scopes, " ") != "openid email" {
		t.Fatalf("after login: %+v, want consent for openid email", out)
	}
	out, err = e.p.Authorize(t.Context(), ar, b, oauth2.Decision{Consented: true})
	must(t, err)
	u, _ := url.Parse(out.RedirectURL)
	if out.Step != oauth2.StepRedirect || !strings.HasPrefix(out.RedirectURL, redirect+"?") || u.Query().Get("state") != "xyz" {
		t.Fatalf("after consent: %+v", out)
	}
	e.clock.Advance(5 * time.Second)
	tr, err := e.exchange(t, u.Query().Get("code"))
	must(t, err)
	if tr.TokenType != "Bearer" || tr.RefreshToken == "" || tr.IDToken == "" || tr.Scope != "openid email" || tr.ExpiresIn != 900 {
		t.Fatalf("token response %+v", tr)
	}
	id, err := e.idVerifier(t, "web").Verify(tr.IDToken)
	must(t, err)
	if id.Nonce != "n-0S6" || id.Subject != e.user.ID || id.Email != "alice@example.com" || id.AccessTokenHash == "" ||
		!id.AuthTime.Time().Equal(b.Session.AuthTime.Truncate(time.Second)) || id.SessionID == "" {
		t.Fatalf("ID token claims %+v", id)
	}
	if !strings.Contains(header(tr.IDToken), `"ES256"`) {
		t.Fatalf("default ID token header %s, want ES256", header(tr.IDToken))
	}
	c, err := e.svc.Authenticate(t.Context(), tr.AccessToken)
	must(t, err)
	if c.ClientID != "web" || c.SessionID != id.SessionID || c.Scope != "openid email" {
		t.Fatalf("access token claims %+v", c)
	}
	info, err := e.p.UserInfo(t.Context(), c)
	must(t, err)
	if info.Sub != e.user.ID || info.Email != "alice@example.com" || info.Name != "" {
		t.Fatalf("userinfo %+v: want sub and email, no name (no profile scope)", info)
	}
	// Single sign-on and remembered consent: the next request goes straight
	// to the client.
	out, err = e.p.Authorize(t.Context(), ar, b, oauth2.Decision{})
	must(t, err)
	if out.Step != oauth2.StepRedirect || !strings.Contains(out.RedirectURL, "code=") {
		t.Fatalf("second request: %+v, want a code at once", out)
	}
}

// TestRS256Client: a client registered for RS256 gets RS256 ID tokens.
func TestRS256Client(t *testing.T) {
	e := newEnv(t)
	q := params(func(q url.Values) {
		q.Set("client_id", "spa")
		q.Set("redirect_uri", "http://127.0.0.1:5173/cb")
	})
	code := e.code(t, q)
	tr, err := e.p.Token(t.Context(), oauth2.TokenRequest{Client: oauth2.ClientAuth{Method: oauth2.AuthNone, ID: "spa"},
		GrantType: "authorization_code", Code: code, RedirectURI: "http://127.0.0.1:5173/cb", CodeVerifier: verifier})
	must(t, err)
	if !strings.Contains(header(tr.IDToken), `"RS256"`) {
		t.Fatalf("ID token header %s, want RS256", header(tr.IDToken))
	}
	if _, err := e.idVerifier(t, "spa").Verify(tr.IDToken); err != nil {
		t.Fatal(err)
	}
}

// TestCodeRefused: each binding of a code is checked, a failed attempt
// does not burn the code, and a replay revokes what the code issued.
func TestCodeRefused(t *testing.T) {
	e := newEnv(t)
	code := e.code(t, params())
	req := func(edit func(*oauth2.TokenRequest)) error {
		r := oauth2.TokenRequest{Client: e.webAuth(), GrantType: "authorization_code", Code: code,
			RedirectURI: redirect, CodeVerifier: verifier}
		edit(&r)
		_, err := e.p.Token(t.Context(), r)
		return err
	}
	tests := []struct {
		name string
		edit func(*oauth2.TokenRequest)
		want error
	}{
		{"wrong verifier", func(r *oauth2.TokenRequest) { r.CodeVerifier = strings.Repeat("a", 43) }, oauth2.ErrInvalidGrant},
		{"malformed verifier", func(r *oauth2.TokenRequest) { r.CodeVerifier = "short" }, oauth2.ErrInvalidRequest},
		{"no verifier", func(r *oauth2.TokenRequest) { r.CodeVerifier = "" }, oauth2.ErrInvalidRequest},
		{"redirect one char off", func(r *oauth2.TokenRequest) { r.RedirectURI = redirect + "x" }, oauth2.ErrInvalidGrant},
		{"another client", func(r *oauth2.TokenRequest) {
			r.Client = oauth2.ClientAuth{Method: oauth2.AuthNone, ID: "spa"}
		}, oauth2.ErrInvalidGrant},
		{"wrong secret", func(r *oauth2.TokenRequest) { r.Client.Secret = flipLast(e.secret) }, oauth2.ErrInvalidClient},
		{"unknown code", func(r *oauth2.TokenRequest) { r.Code = strings.Repeat("A", 43) }, oauth2.ErrInvalidGrant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErr(t, req(tt.edit), tt.want) })
	}
	tr, err := e.exchange(t, code)
	must(t, err)
	if _, err := e.svc.Authenticate(t.Context(), tr.AccessToken); err != nil {
		t.Fatal(err)
	}
	// Replay: refused, and the tokens the code issued die.
	_, err = e.exchange(t, code)
	wantErr(t, err, oauth2.ErrInvalidGrant)
	if _, err := e.svc.Authenticate(t.Context(), tr.AccessToken); err == nil {
		t.Fatal("the access token of a replayed code still works")
	}
	_, err = e.p.Token(t.Context(), oauth2.TokenRequest{Client: e.webAuth(), GrantType: "refresh_token", RefreshToken: tr.RefreshToken})
	wantErr(t, err, oauth2.ErrInvalidGrant)
	// An expired code is refused.
	late := e.code(t, params())
	e.clock.Advance(time.Minute)
	_, err = e.exchange(t, late)
	wantErr(t, err, oauth2.ErrInvalidGrant)
}

func TestRefreshGrant(t *testing.T) {
	e := newEnv(t)
	tr, err := e.exchange(t, e.code(t, params(func(q url.Values) { q.Set("scope", "openid email profile") })))
	must(t, err)
	refresh := func(rt, scope string) (oauth2.TokenResponse, error) {
		return e.p.Token(t.Context(), oauth2.TokenRequest{Client: e.webAuth(), GrantType: "refresh_token", RefreshToken: rt, Scope: scope})
	}
	next, err := refresh(tr.RefreshToken, "openid email")
	must(t, err)
	if next.RefreshToken == tr.RefreshToken || next.Scope != "openid email" || next.IDToken == "" {
		t.Fatalf("refreshed: %+v", next)
	}
	_, err = refresh(next.RefreshToken, "openid posts:read")
	wantErr(t, err, oauth2.ErrInvalidScope)
	// Another client cannot use it.
	_, err = e.p.Token(t.Context(), oauth2.TokenRequest{Client: oauth2.ClientAuth{Method: oauth2.AuthNone, ID: "spa"},
		GrantType: "refresh_token", RefreshToken: next.RefreshToken})
	wantErr(t, err, oauth2.ErrInvalidGrant)
}

func TestReuseRevokesSession(t *testing.T) {
	e := newEnv(t)
	tr, err := e.exchange(t, e.code(t, params()))
	must(t, err)
	r := oauth2.TokenRequest{Client: e.webAuth(), GrantType: "refresh_token", RefreshToken: tr.RefreshToken}
	next, err := e.p.Token(t.Context(), r)
	must(t, err)
	e.clock.Advance(time.Minute) // past the grace window
	_, err = e.p.Token(t.Context(), r)
	wantErr(t, err, oauth2.ErrInvalidGrant)
	if _, err := e.svc.Authenticate(t.Context(), next.AccessToken); err == nil {
		t.Fatal("reuse did not revoke the session's access tokens")
	}
}

func TestClientCredentials(t *testing.T) {
	e := newEnv(t)
	cc := func(a oauth2.ClientAuth, scope string) (oauth2.TokenResponse, error) {
		return e.p.Token(t.Context(), oauth2.TokenRequest{Client: a, GrantType: "client_credentials", Scope: scope})
	}
	tr, err := cc(e.webAuth(), "signet:revocations")
	must(t, err)
	c, err := e.svc.Authenticate(t.Context(), tr.AccessToken)
	must(t, err)
	if c.Subject != "web" || c.ClientID != "web" || c.Scope != "signet:revocations" || tr.RefreshToken != "" || tr.IDToken != "" {
		t.Fatalf("claims %+v, response %+v", c, tr)
	}
	all, err := cc(oauth2.ClientAuth{Method: oauth2.AuthPost, ID: "web", Secret: e.secret}, "")
	must(t, err)
	if all.Scope != "posts:read signet:revocations" {
		t.Fatalf("default scope %q: want the client's scopes that need no user", all.Scope)
	}
	_, err = cc(e.webAuth(), "admin")
	wantErr(t, err, oauth2.ErrInvalidScope)
	_, err = cc(e.webAuth(), "openid")
	wantErr(t, err, oauth2.ErrInvalidScope)
	_, err = cc(oauth2.ClientAuth{Method: oauth2.AuthNone, ID: "spa"}, "")
	wantErr(t, err, oauth2.ErrUnauthorizedClient)
	_, err = cc(oauth2.ClientAuth{Method: oauth2.AuthNone, ID: "web"}, "")
	wantErr(t, err, oauth2.ErrInvalidClient)
	_, err = cc(oauth2.ClientAuth{Method: oauth2.AuthBasic, ID: "nobody", Secret: e.secret}, "")
	wantErr(t, err, oauth2.ErrInvalidClient)
	_, err = e.p.Token(t.Context(), oauth2.TokenRequest{Client: e.webAuth(), GrantType: "password"})
	wantErr(t, err, oauth2.ErrUnsupportedGrantType)
	// A rotated secret replaces the old one at once.
	secret, err := e.p.RotateSecret(t.Context(), "web", "")
	must(t, err)
	_, err = cc(e.webAuth(), "")
	wantErr(t, err, oauth2.ErrInvalidClient)
	_, err = cc(oauth2.ClientAuth{Method: oauth2.AuthBasic, ID: "web", Secret: secret}, "")
	must(t, err)
}

func TestIntrospectAndRevoke(t *testing.T) {
	e := newEnv(t)
	tr, err := e.exchange(t, e.code(t, params()))
	must(t, err)
	in, err := e.p.Introspect(t.Context(), e.webAuth(), tr.AccessToken)
	must(t, err)
	if !in.Active || in.Sub != e.user.ID || in.ClientID != "web" || in.TokenType != "Bearer" || in.Exp == 0 {
		t.Fatalf("introspection %+v", in)
	}
	rin, err := e.p.Introspect(t.Context(), e.webAuth(), tr.RefreshToken)
	must(t, err)
	if !rin.Active || rin.TokenType != "refresh_token" || rin.Sub != e.user.ID {
		t.Fatalf("refresh introspection %+v", rin)
	}
	for _, junk := range []string{"garbage", tr.AccessToken + "x", tr.IDToken} {
		if in, err := e.p.Introspect(t.Context(), e.webAuth(), junk); err != nil || in.Active {
			t.Fatalf("introspecting junk: %+v, %v", in, err)
		}
	}
	_, err = e.p.Introspect(t.Context(), oauth2.ClientAuth{Method: oauth2.AuthNone, ID: "spa"}, tr.AccessToken)
	wantErr(t, err, oauth2.ErrInvalidClient)
	// Another client's revocation does nothing; the owner's ends the session.
	must(t, e.p.Revoke(t.Context(), oauth2.ClientAuth{Method: oauth2.AuthNone, ID: "spa"}, tr.RefreshToken))
	if in, _ := e.p.Introspect(t.Context(), e.webAuth(), tr.AccessToken); !in.Active {
		t.Fatal("another client revoked the token")
	}
	must(t, e.p.Revoke(t.Context(), e.webAuth(), tr.RefreshToken))
	for _, tok := range []string{tr.AccessToken, tr.RefreshToken} {
		if in, _ := e.p.Introspect(t.Context(), e.webAuth(), tok); in.Active {
			t.Fatal("a revoked token is still active")
		}
	}
	// An access token alone.
	cc, err := e.p.Token(t.Context(), oauth2.TokenRequest{Client: e.webAuth(), GrantType: "client_credentials"})
	must(t, err)
	must(t, e.p.Revoke(t.Context(), e.webAuth(), cc.AccessToken))
	if in, _ := e.p.Introspect(t.Context(), e.webAuth(), cc.AccessToken); in.Active {
		t.Fatal("a revoked access token is still active")
	}
}

func TestPrompts(t *testing.T) {
	e := newEnv(t)
	parse := func(edit func(url.Values)) *oauth2.AuthRequest {
		ar, err := e.p.ParseAuthorize(t.Context(), params(edit))
		must(t, err)
		return ar
	}
	none := parse(func(q url.Values) { q.Set("prompt", "none") })
	out, err := e.p.Authorize(t.Context(), none, nil, oauth2.Decision{})
	must(t, err)
	if !strings.Contains(out.RedirectURL, "error=login_required") || !strings.Contains(out.RedirectURL, "state=xyz") {
		t.Fatalf("prompt=none without a session: %s", out.RedirectURL)
	}
	b := e.signIn(t)
	out, _ = e.p.Authorize(t.Context(), none, b, oauth2.Decision{})
	if !strings.Contains(out.RedirectURL, "error=consent_required") {
		t.Fatalf("prompt=none without consent: %s", out.RedirectURL)
	}
	e.code(t, params()) // consents
	out, _ = e.p.Authorize(t.Context(), parse(func(q url.Values) { q.Set("prompt", "login") }), b, oauth2.Decision{})
	if out.Step != oauth2.StepLogin {
		t.Fatalf("prompt=login: %+v", out)
	}
	out, _ = e.p.Authorize(t.Context(), parse(func(q url.Values) { q.Set("prompt", "consent") }), b, oauth2.Decision{})
	if out.Step != oauth2.StepConsent {
		t.Fatalf("prompt=consent: %+v", out)
	}
	out, _ = e.p.Authorize(t.Context(), parse(func(q url.Values) { q.Set("scope", "openid profile") }), b, oauth2.Decision{})
	if out.Step != oauth2.StepConsent || strings.Join(out.Scopes, " ") != "openid profile" {
		t.Fatalf("a wider scope: %+v, want consent again", out)
	}
	e.clock.Advance(2 * time.Minute)
	out, _ = e.p.Authorize(t.Context(), parse(func(q url.Values) { q.Set("max_age", "60") }), b, oauth2.Decision{})
	if out.Step != oauth2.StepLogin {
		t.Fatalf("max_age exceeded: %+v", out)
	}
	out, _ = e.p.Authorize(t.Context(), parse(func(q url.Values) { q.Set("max_age", "600") }), b, oauth2.Decision{})
	if out.Step != oauth2.StepRedirect {
		t.Fatalf("max_age not exceeded: %+v", out)
	}
	out, _ = e.p.Authorize(t.Context(), parse(nil), b, oauth2.Decision{Denied: true})
	if !strings.Contains(out.RedirectURL, "error=access_denied") {
		t.Fatalf("denied: %s", out.RedirectURL)
	}
	// A scope the user's roles do not grant is dropped, not refused.
	ar := parse(func(q url.Values) { q.Set("scope", "openid posts:read") })
	out, _ = e.p.Authorize(t.Context(), ar, b, oauth2.Decision{})
	if out.Step != oauth2.StepRedirect {
		t.Fatalf("posts:read without the role: %+v", out)
	}
}

// flipLast changes the last character of s.
func flipLast(s string) string {
	if s[len(s)-1] == 'A' {
		return s[:len(s)-1] + "B"
	}
	return s[:len(s)-1] + "A"
}

// TestRefreshKeepsOpenIDScopes: a refresh keeps the OpenID scopes the user
// consented to even when no role grants them, and drops a role's scope
// once the role is gone.
func TestRefreshKeepsOpenIDScopes(t *testing.T) {
	e := newEnv(t)
	_, err := e.store.UpdateUser(t.Context(), e.user.ID, func(u signet.User) (signet.UserUpdate, error) {
		u.Roles = []string{"editor"} // grants posts:read only
		return signet.UserUpdate{User: u}, nil
	})
	must(t, err)
	tr, err := e.exchange(t, e.code(t, params(func(q url.Values) { q.Set("scope", "openid email posts:read") })))
	must(t, err)
	if tr.Scope != "openid email posts:read" {
		t.Fatalf("granted %q", tr.Scope)
	}
	_, err = e.store.UpdateUser(t.Context(), e.user.ID, func(u signet.User) (signet.UserUpdate, error) {
		u.Roles = nil
		return signet.UserUpdate{User: u}, nil
	})
	must(t, err)
	next, err := e.p.Token(t.Context(), oauth2.TokenRequest{Client: e.webAuth(), GrantType: "refresh_token", RefreshToken: tr.RefreshToken})
	must(t, err)
	if next.Scope != "openid email" || next.IDToken == "" {
		t.Fatalf("after the role went: scope %q", next.Scope)
	}
}
