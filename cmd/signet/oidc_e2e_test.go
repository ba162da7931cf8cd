package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// TestOIDCWithStandardClients drives signet with client libraries no one
// here wrote: golang.org/x/oauth2 (authorization code with PKCE, refresh,
// client credentials) and github.com/coreos/go-oidc/v3 (discovery, ID
// token verification, userinfo).
func TestOIDCWithStandardClients(t *testing.T) {
	const callback = "http://127.0.0.1:9/callback" // never dialled: the test reads the redirect
	o := startOIDC(t, "127.0.0.1", callback)
	ctx := oidc.ClientContext(context.Background(), http.DefaultClient)
	provider, err := oidc.NewProvider(ctx, o.issuer)
	must(t, err)
	cfg := oauth2.Config{ClientID: oidcClient, ClientSecret: o.secret, Endpoint: provider.Endpoint(),
		RedirectURL: callback, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	if cfg.Endpoint.AuthStyle != oauth2.AuthStyleAutoDetect || cfg.Endpoint.TokenURL != o.issuer+"/oauth2/token" {
		t.Fatalf("discovered endpoint %+v", cfg.Endpoint)
	}

	verifier, state, nonce := oauth2.GenerateVerifier(), randomState(), randomState()
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
	browser := browserless(t)
	back := o.signInAndConsent(t, browser, authURL)
	if back.Query().Get("state") != state || back.Query().Get("iss") != o.issuer {
		t.Fatalf("redirect %s: want the state and the issuer", back)
	}
	tok, err := cfg.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	must(t, err)
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: oidcClient}).Verify(ctx, rawID)
	must(t, err)
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Nonce string `json:"nonce"`
	}
	must(t, idt.Claims(&claims))
	if idt.Nonce != nonce || claims.Email != oidcUser || claims.Name != "Test" || idt.Issuer != o.issuer {
		t.Fatalf("ID token: nonce %q, claims %+v", idt.Nonce, claims)
	}
	must(t, idt.VerifyAccessToken(tok.AccessToken))

	info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	must(t, err)
	if info.Email != oidcUser || info.Subject != idt.Subject {
		t.Fatalf("userinfo %+v", info)
	}

	// Refresh through the library's token source: a new, rotated pair.
	tok.Expiry = time.Now().Add(-time.Minute)
	fresh, err := cfg.TokenSource(ctx, tok).Token()
	must(t, err)
	if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == tok.RefreshToken || fresh.RefreshToken == "" {
		t.Fatal("refresh did not rotate the tokens")
	}
	if _, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(fresh)); err != nil {
		t.Fatalf("userinfo with the refreshed token: %v", err)
	}
	// The old refresh token, presented after the grace window, is reuse:
	// the session dies, the fresh access token with it.
	o.advance(time.Minute)
	if _, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err == nil {
		t.Fatal("a rotated refresh token was accepted after the grace window")
	}
	eventually(t, 5*time.Second, "reuse revoking the session", func() bool {
		_, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(fresh))
		return err != nil
	})

	// Client credentials: a service token that reads the revocation feed.
	cc := clientcredentials.Config{ClientID: oidcClient, ClientSecret: o.secret, TokenURL: provider.Endpoint().TokenURL,
		Scopes: []string{"signet:revocations"}}
	svc, err := cc.Token(ctx)
	must(t, err)
	if r := o.call(t, "GET", "/v1/revocations", svc.AccessToken, nil, nil); r.StatusCode != 200 {
		t.Fatalf("revocation feed with a client-credentials token: %d", r.StatusCode)
	}

	// Single sign-on: a second authorization goes straight back with a code.
	again := fetch(t, browser, "GET", cfg.AuthCodeURL("s2", oauth2.S256ChallengeOption(verifier)), nil)
	if code := redirectOf(t, again, callback).Query().Get("code"); code == "" {
		t.Fatal("no code on the second authorization")
	}
	// No secret reached the log.
	logs := o.logs.String()
	for name, secret := range map[string]string{"client secret": o.secret, "access token": tok.AccessToken,
		"refresh token": tok.RefreshToken, "code": back.Query().Get("code"), "password": pw} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the %s", name)
		}
	}
}
