package httpapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update if the change is meant):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestDiscoveryGolden pins the discovery document: a wire format clients
// read. It names only endpoints that exist.
func TestDiscoveryGolden(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, req{method: "GET", path: "/.well-known/openid-configuration"})
	wantJSON(t, res, 200)
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, res.body, "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, "discovery.golden.json", pretty.Bytes())
	var doc map[string]any
	json.Unmarshal(res.body, &doc)
	for _, absent := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "token_endpoint_auth_methods_supported",
		"introspection_endpoint", "revocation_endpoint", "grant_types_supported"} {
		if _, ok := doc[absent]; ok {
			t.Errorf("%s is advertised but does not exist yet", absent)
		}
	}
}

// TestJWKS checks the key set's media type, caching and revalidation.
func TestJWKS(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, req{method: "GET", path: "/.well-known/jwks.json"})
	if res.status != 200 || !bytes.Equal(res.body, e.api.jwks) {
		t.Fatalf("status %d body %s", res.status, res.body)
	}
	for k, want := range map[string]string{
		"Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=300", "Pragma": "",
	} {
		if got := res.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	etag := res.header.Get("ETag")
	if len(etag) < 3 || etag[0] != '"' {
		t.Fatalf("ETag = %q", etag)
	}
	cases := []struct {
		name, ifNoneMatch string
		status            int
	}{
		{"same etag", etag, 304},
		{"weak form of the etag", "W/" + etag, 304},
		{"in a list", `"other", ` + etag, 304},
		{"star", "*", 304},
		{"another etag", `"other"`, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, req{method: "GET", path: "/.well-known/jwks.json", header: map[string]string{"If-None-Match": tc.ifNoneMatch}})
			if res.status != tc.status || res.header.Get("ETag") != etag {
				t.Errorf("status %d, ETag %q; want %d, %q", res.status, res.header.Get("ETag"), tc.status, etag)
			}
		})
	}
}

func TestSigningAlgs(t *testing.T) {
	got, err := signingAlgs([]byte(`{"keys":[{"alg":"RS256"},{"alg":"ES256","use":"sig"},{"alg":"RSA-OAEP","use":"enc"},{"alg":"ES256"},{"alg":"HS256"}]}`))
	if err != nil || len(got) != 2 || got[0] != "ES256" || got[1] != "RS256" {
		t.Errorf("signingAlgs = %q, %v", got, err)
	}
	if _, err := signingAlgs([]byte(`not json`)); err == nil {
		t.Error("a malformed key set was read")
	}
}
