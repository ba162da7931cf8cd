package main

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestCLIClients: list shows no secret; rotate-secret replaces the secret
// at once (generated, or from standard input, checked for strength);
// remove ends the client's tokens; a secret is never accepted in a flag.
func TestCLIClients(t *testing.T) {
	o := startOIDC(t, "127.0.0.1", "http://127.0.0.1:9/callback")
	cc := url.Values{"grant_type": {"client_credentials"}}
	works := func(secret string) bool {
		st, _, _ := o.tokenCallWith(t, cc, oidcClient, secret)
		return st == 200
	}
	if !works(o.secret) {
		t.Fatal("the printed secret does not work")
	}
	out, _, err := o.runCLI(t, "", "client", "list")
	if err != nil || !strings.Contains(out, "web") || !strings.Contains(out, "confidential") || strings.Contains(out, o.secret) {
		t.Fatalf("client list: %v\n%s", err, out)
	}
	// The CLI is another process: the server reads the change from the
	// database once its client cache (1 s) has expired.
	out, _, err = o.runCLI(t, "", "client", "rotate-secret", oidcClient)
	rotated := strings.TrimSpace(out)
	if err != nil || len(rotated) != 43 {
		t.Fatalf("rotate-secret: %v %q", err, out)
	}
	eventually(t, 5*time.Second, "the new secret reaching the server", func() bool { return works(rotated) })
	if works(o.secret) {
		t.Fatal("the old secret still works")
	}
	supplied := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	out, _, err = o.runCLI(t, supplied+"\n", "client", "rotate-secret", oidcClient, "--secret-stdin")
	if err != nil || out != "" {
		t.Fatalf("rotate-secret --secret-stdin: %v %q", err, out)
	}
	eventually(t, 5*time.Second, "the supplied secret reaching the server", func() bool { return works(supplied) })
	if _, _, err := o.runCLI(t, "hunter2\n", "client", "rotate-secret", oidcClient, "--secret-stdin"); err == nil || !strings.Contains(err.Error(), "too weak") {
		t.Fatalf("a weak supplied secret: %v", err)
	}
	if _, _, err := o.runCLI(t, "", "client", "add", "x", "--secret", supplied); err == nil {
		t.Fatal("a secret was accepted in a flag")
	}
	if out, _, err := o.runCLI(t, "", "client", "add", "spa", "--public", "--redirect-uri", "http://127.0.0.1:5173/cb"); err != nil || out != "" {
		t.Fatalf("public client: %v %q", err, out)
	}
	if _, _, err := o.runCLI(t, "", "client", "add", "bad", "--redirect-uri", "http://evil.example/cb"); err == nil {
		t.Fatal("a plain-http, non-loopback redirect URI was accepted")
	}
	tok := o.ccToken(t, supplied)
	if _, _, err := o.runCLI(t, "", "client", "remove", oidcClient); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the removal reaching the server", func() bool {
		return o.call(t, "GET", "/v1/revocations", tok, nil, nil).StatusCode == 401
	})
	eventually(t, 5*time.Second, "the removed client failing to authenticate", func() bool { return !works(supplied) })
}
