package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-dev/signet/keys"
)

// TestProductionTransport: SECURITY.md rule 19. Production mode refuses
// plain HTTP on a non-loopback address unless a TLS-terminating proxy is
// declared; development mode and loopback addresses are left alone.
func TestProductionTransport(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		refuse bool
	}{
		{"development, any address", []string{"--addr", "0.0.0.0:8080"}, false},
		{"production, loopback", []string{"--production", "--addr", "127.0.0.1:8080"}, false},
		{"production, localhost", []string{"--production", "--addr", "localhost:8080"}, false},
		{"production, IPv6 loopback", []string{"--production", "--addr", "[::1]:8080"}, false},
		{"production, all interfaces", []string{"--production", "--addr", "0.0.0.0:8080"}, true},
		{"production, empty host", []string{"--production", "--addr", ":8080"}, true},
		{"production, public address", []string{"--production", "--addr", "203.0.113.7:443"}, true},
		{"production, behind a TLS proxy", []string{"--production", "--addr", "0.0.0.0:8080", "--behind-tls-proxy"}, false},
		{"production, own TLS", []string{"--production", "--addr", "0.0.0.0:8443", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseTest(t, tc.args, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = checkTransport(c)
			if (err != nil) != tc.refuse {
				t.Fatalf("checkTransport = %v, want refused %v", err, tc.refuse)
			}
			if err != nil && !strings.Contains(err.Error(), "--behind-tls-proxy") {
				t.Fatalf("the refusal does not say what to do: %v", err)
			}
		})
	}
}

// TestProductionMasterKey: production mode never generates a master key
// file; it needs SIGNET_MASTER_KEY, and says how to make one. A malformed
// key is refused without being repeated.
func TestProductionMasterKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "master.key")
	log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	env := func(v string) *Env {
		return &Env{Getenv: func(k string) string { return map[string]string{"SIGNET_MASTER_KEY": v}[k] }}
	}

	c := &Config{Production: true, MasterKeyFile: file}
	if _, err := loadMasterKey(env(""), c, log); err == nil || !strings.Contains(err.Error(), "SIGNET_MASTER_KEY") {
		t.Fatalf("production without SIGNET_MASTER_KEY: %v", err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("production mode created a master key file: %v", err)
	}
	if _, err := loadMasterKey(env("not-a-key-ABCDEF"), c, log); err == nil || strings.Contains(err.Error(), "not-a-key-ABCDEF") {
		t.Fatalf("malformed key: %v", err)
	}
	_, encoded, err := keys.GenerateMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadMasterKey(env(encoded), c, log); err != nil {
		t.Fatalf("production with a good key: %v", err)
	}
	dev := &Config{MasterKeyFile: file}
	if _, err := loadMasterKey(env(""), dev, log); err != nil {
		t.Fatalf("development: %v", err)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("development master key file: %v, mode %v", err, fi.Mode())
	}
}
