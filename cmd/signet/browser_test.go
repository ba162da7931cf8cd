package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/signet-dev/signet/internal/testenv"
	"golang.org/x/oauth2"
)

const chromiumPath = "/usr/bin/chromium"

// needChromium skips the test outside CI when Debian's Chromium is missing
// (and fails it in CI, where .ci/run installs it).
func needChromium(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath(chromiumPath)
	if err != nil {
		err = fmt.Errorf("Chromium is not installed at %s", chromiumPath)
	}
	testenv.Need(t, err, "install Debian's package: apt-get install chromium (.ci/run does)")
}

// artifactDir is where the test's screenshots go: $SIGNET_ARTIFACTS/<test>
// when set (CI keeps them; the directory is gitignored), else the test's
// artifact directory (go test -artifacts keeps it).
func artifactDir(t *testing.T) string {
	if root := os.Getenv("SIGNET_ARTIFACTS"); root != "" {
		dir := filepath.Join(root, strings.ReplaceAll(t.Name(), "/", "_"))
		must(t, os.MkdirAll(dir, 0o755))
		return dir
	}
	return t.ArtifactDir()
}

// relyingParty is a client application on 127.0.0.1, a different site
// from signet on localhost: its callback page shows what it received.
type relyingParty struct {
	url   string
	mu    sync.Mutex
	codes []url.Values
}

func startRelyingParty(t *testing.T) *relyingParty {
	rp := &relyingParty{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	rp.url = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" { // the browser asks for /favicon.ico too
			http.NotFound(w, r)
			return
		}
		rp.mu.Lock()
		rp.codes = append(rp.codes, r.URL.Query())
		rp.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>Example app</title><h1 id=done>Signed in to the example app</h1><p>state %s</p>",
			url.QueryEscape(r.URL.Query().Get("state")))
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return rp
}

func (rp *relyingParty) received() []url.Values {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return append([]url.Values(nil), rp.codes...)
}

// TestBrowserLoginConsentSSO runs the authorization code flow in Debian's
// headless Chromium: the client on 127.0.0.1, signet on localhost (two
// sites, so SameSite=Lax is put to the test), the login page, the consent
// page, the redirect with a code; then single sign-on skips both the second
// time; last, the user's consents page. Each page is saved as a screenshot.
func TestBrowserLoginConsentSSO(t *testing.T) {
	needChromium(t)
	rp := startRelyingParty(t)
	callback := rp.url + "/callback"
	o := startOIDC(t, "localhost", callback)
	dir := artifactDir(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1000, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	cfg := oauth2.Config{ClientID: oidcClient, ClientSecret: o.secret, RedirectURL: callback,
		Endpoint: oauth2.Endpoint{AuthURL: o.issuer + "/oauth2/authorize", TokenURL: o.issuer + "/oauth2/token"},
		Scopes:   []string{"openid", "email", "profile"}}
	verifier := oauth2.GenerateVerifier()
	shot := func(name string) {
		t.Helper()
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(dir, name), buf, 0o644))
	}
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v (screenshots so far in %s)", what, err, dir)
		}
	}
	step("opening the authorization URL", chromedp.Navigate(cfg.AuthCodeURL("first", oauth2.S256ChallengeOption(verifier))),
		chromedp.WaitVisible("#email"))
	shot("1-login.png")
	step("signing in", chromedp.SendKeys("#email", oidcUser), chromedp.SendKeys("#password", pw),
		chromedp.Click("#sign-in"), chromedp.WaitVisible("#allow"))
	shot("2-consent.png")
	step("consenting", chromedp.Click("#allow"), chromedp.WaitVisible("#done"))
	shot("3-callback.png")
	got := rp.received()
	if len(got) != 1 || got[0].Get("state") != "first" || got[0].Get("code") == "" || got[0].Get("iss") != o.issuer {
		t.Fatalf("the client received %v", got)
	}
	tok, err := cfg.Exchange(context.Background(), got[0].Get("code"), oauth2.VerifierOption(verifier))
	if err != nil || tok.Extra("id_token") == nil {
		t.Fatalf("exchanging the browser's code: %v", err)
	}

	// Single sign-on: the browser session cookie (SameSite=Lax) goes along
	// on the top-level navigation from the client's site; consent is
	// remembered; no page of signet is shown.
	step("authorizing again", chromedp.Navigate(cfg.AuthCodeURL("second", oauth2.S256ChallengeOption(verifier))),
		chromedp.WaitVisible("#done"))
	landed, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	shot("4-sso-callback.png")
	got = rp.received()
	if len(got) != 2 || got[1].Get("state") != "second" || got[1].Get("code") == "" || !strings.HasPrefix(landed, callback) {
		t.Fatalf("SSO: the client received %v, the browser is at %s", got, landed)
	}
	if strings.Count(o.logs.String(), "login succeeded") != 1 {
		t.Fatal("the second authorization asked for the password again")
	}
	// The user's own page of consents, on signet's site.
	step("opening the consents page", chromedp.Navigate(o.issuer+"/oauth2/consents"), chromedp.WaitVisible(".consents button"))
	shot("5-consents.png")
	t.Logf("screenshots in %s", dir)
}
