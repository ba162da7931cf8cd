package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

// runCLI runs one command in-process against ts's database.
func (ts *testServer) runCLI(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	// Subcommand flags come after the action: signet user add EMAIL --db …
	if len(args) < 2 || args[1] != "decode" {
		args = append(args, ts.testArgs()...)
	}
	err := Run(context.Background(), env, args)
	return out.String(), errb.String(), err
}

func TestCLIUserLifecycle(t *testing.T) {
	ts := startServer(t)
	out, _, err := ts.runCLI(t, pw+"\n", "user", "add", "gina@example.com", "--name", "Gina", "--roles", "user,editor")
	if err != nil || !strings.Contains(out, "created user") {
		t.Fatalf("user add: %v %s", err, out)
	}
	tk := ts.login(t, "gina@example.com", pw)
	if out, _, err := ts.runCLI(t, "", "user", "list"); err != nil || !strings.Contains(out, "gina@example.com") || !strings.Contains(out, "editor") {
		t.Fatalf("user list: %v\n%s", err, out)
	}
	// Revoking from another process reaches the running server through the
	// database within seconds: the access token stops working.
	if _, _, err := ts.runCLI(t, "", "user", "revoke", "gina@example.com"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "revocation reaching the server", func() bool {
		return ts.call(t, "GET", "/v1/me", tk.AccessToken, nil, nil).StatusCode == 401
	})
	if _, r := ts.refresh(t, tk.RefreshToken); r.StatusCode != 400 && r.StatusCode != 401 {
		t.Fatalf("refresh after revoke: %d", r.StatusCode)
	}
	if out, _, err := ts.runCLI(t, "", "user", "set-roles", "gina@example.com", "admin,user"); err != nil || !strings.Contains(out, "admin,user") {
		t.Fatalf("set-roles: %v %s", err, out)
	}
	var me struct{ Roles []string }
	ts.call(t, "GET", "/v1/me", ts.login(t, "gina@example.com", pw).AccessToken, nil, &me)
	if strings.Join(me.Roles, ",") != "admin,user" {
		t.Fatalf("roles after set-roles: %v", me.Roles)
	}
	if _, _, err := ts.runCLI(t, "", "user", "disable", "gina@example.com"); err != nil {
		t.Fatal(err)
	}
	if r := ts.call(t, "POST", "/v1/login", "", map[string]string{"email": "gina@example.com", "password": pw}, nil); r.StatusCode != 401 {
		t.Fatalf("login of a disabled user: %d", r.StatusCode)
	}
	if _, _, err := ts.runCLI(t, "", "user", "enable", "gina@example.com"); err != nil {
		t.Fatal(err)
	}
	ts.login(t, "gina@example.com", pw)
}

func TestCLIErrors(t *testing.T) {
	ts := startServer(t)
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"add without password", "", []string{"user", "add", "h@example.com"}, "no password"},
		{"add with a weak password", "password\n", []string{"user", "add", "h@example.com"}, "password"},
		{"revoke unknown user", "", []string{"user", "revoke", "nobody@example.com"}, "no such user"},
		{"unknown action", "", []string{"user", "frobnicate"}, "unknown action"},
		{"mint without scope", "", []string{"token", "mint", "--client", "svc"}, "--scope"},
		{"mint too long", "", []string{"token", "mint", "--client", "svc", "--scope", "a", "--ttl", "48h"}, "--ttl"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ts.runCLI(t, tc.stdin, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestCLITokenCommands(t *testing.T) {
	ts := startServer(t)
	tok, _, err := ts.runCLI(t, "", "token", "mint", "--client", "posts-api", "--scope", "signet:revocations")
	if err != nil {
		t.Fatal(err)
	}
	tok = strings.TrimSpace(tok)
	var feed struct{ Cursor string }
	if r := ts.call(t, "GET", "/v1/revocations", tok, nil, &feed); r.StatusCode != 200 {
		t.Fatalf("minted token refused by the revocation feed: %d", r.StatusCode)
	}
	out, _, err := ts.runCLI(t, tok+"\n", "token", "verify")
	if err != nil || !strings.Contains(out, "signet:revocations") {
		t.Fatalf("token verify: %v %s", err, out)
	}
	out, stderr, err := ts.runCLI(t, tok+"\n", "token", "decode")
	if err != nil || !strings.Contains(out, `"client_id": "posts-api"`) || !strings.Contains(stderr, "NOT VERIFIED") {
		t.Fatalf("token decode: %v %s %s", err, out, stderr)
	}
	if _, _, err := ts.runCLI(t, tok[:len(tok)-3]+"AAA\n", "token", "verify"); err == nil {
		t.Fatal("token verify accepted a bad signature")
	}
}

func TestCLIKeys(t *testing.T) {
	ts := startServer(t)
	before, _, err := ts.runCLI(t, "", "keys", "list")
	if err != nil || strings.Count(before, "current") != 2 || strings.Count(before, "next") != 2 {
		t.Fatalf("keys list: %v\n%s", err, before)
	}
	after, _, err := ts.runCLI(t, "", "keys", "rotate")
	if err != nil || strings.Count(after, "retired") != 2 {
		t.Fatalf("keys rotate: %v\n%s", err, after)
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"user", "--help"}, {"user", "add", "--help"},
		{"keys", "rotate", "--help"}, {"token", "mint", "--help"}, {"token", "decode", "--help"}} {
		var errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &errb, Stderr: &errb, Getenv: func(string) string { return "" }}
		err := Run(context.Background(), env, args)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errb.String(), "Usage: signet") {
			t.Errorf("%v: err %v, output %q", args, err, errb.String())
		}
	}
}
