package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
)

const (
	testIssuer   = "https://id.example"
	testAudience = "https://posts.example"
)

// issuer is an in-test token issuer: an ES256 signer and its JWKS, served
// on loopback the way signet serves /.well-known/jwks.json.
type issuer struct {
	signer *jose.Signer
	jwks   *httptest.Server
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := jose.GenerateKey(jose.ES256, "")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := jose.NewSigner(key, jose.WithType(jose.TypeAccessToken))
	set, _ := jose.NewKeySet(key.Public())
	body, _ := json.Marshal(set)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return &issuer{signer: signer, jwks: srv}
}

func (iss *issuer) token(t *testing.T, sub, scope string, roles ...string) string {
	t.Helper()
	now := time.Now()
	tok, err := iss.signer.Sign(&jose.Claims{Issuer: testIssuer, Subject: sub, Audience: jose.Audience{testAudience},
		IssuedAt: jose.NewNumericDate(now), ExpiresAt: jose.NewNumericDate(now.Add(15 * time.Minute)),
		Scope: scope, Roles: roles, ID: sub + "-jti"})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// newAPI serves the posts API over loopback, verifying tokens with the keys
// of iss's JWKS.
func newAPI(t *testing.T, iss *issuer) *httptest.Server {
	t.Helper()
	v, err := verify.New(context.Background(), testIssuer, verify.WithAudience(testAudience), verify.WithJWKSURL(iss.jwks.URL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	api := httptest.NewServer(NewHandler(v, &Store{}))
	t.Cleanup(api.Close)
	return api
}

func do(t *testing.T, method, url, token, body string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestPostsAPI(t *testing.T) {
	iss := newIssuer(t)
	api := newAPI(t, iss)
	reader := iss.token(t, "u_reader", "posts:read", "user")
	writer := iss.token(t, "u_writer", "posts:read posts:write", "user")
	admin := iss.token(t, "u_admin", "posts:read posts:write", "user", "admin")
	otherAud, _ := iss.signer.Sign(&jose.Claims{Issuer: testIssuer, Subject: "x", Audience: jose.Audience{"https://other.example"},
		ExpiresAt: jose.NewNumericDate(time.Now().Add(time.Minute)), Scope: "posts:read"})

	steps := []struct {
		name, method, path, token, body string
		status                          int
		challenge                       string // a substring of WWW-Authenticate
		want                            string // a substring of the body
	}{
		{"no token", "GET", "/posts", "", "", 401, "Bearer", ""},
		{"forged token", "GET", "/posts", reader[:len(reader)-4] + "AAAA", "", 401, `error="invalid_token"`, ""},
		{"token for another API", "GET", "/posts", otherAud, "", 401, `error="invalid_token"`, "not meant for this service"},
		{"empty list", "GET", "/posts", reader, "", 200, "", `{"posts":[]}`},
		{"reader cannot write", "POST", "/posts", reader, `{"title":"hi"}`, 403, `scope="posts:write"`, "insufficient_scope"},
		{"writer writes", "POST", "/posts", writer, `{"title":"hello","body":"world"}`, 201, "", `"author":"u_writer"`},
		{"bad body", "POST", "/posts", writer, `{"tilte":"typo"}`, 400, "", "title"},
		{"reader reads it", "GET", "/posts", reader, "", 200, "", `"title":"hello"`},
		{"writer is no admin", "DELETE", "/posts/1", writer, "", 403, `error="insufficient_scope"`, "role admin"},
		{"admin deletes", "DELETE", "/posts/1", admin, "", 204, "", ""},
		{"gone", "DELETE", "/posts/1", admin, "", 404, "", "no such post"},
		{"empty again", "GET", "/posts", reader, "", 200, "", `{"posts":[]}`},
	}
	for _, s := range steps {
		status, hdr, body := do(t, s.method, api.URL+s.path, s.token, s.body)
		if status != s.status || !strings.Contains(hdr.Get("WWW-Authenticate"), s.challenge) || !strings.Contains(body, s.want) {
			t.Fatalf("%s: %s %s = %d %q %q; want %d, challenge with %q, body with %q",
				s.name, s.method, s.path, status, hdr.Get("WWW-Authenticate"), body, s.status, s.challenge, s.want)
		}
	}
}
