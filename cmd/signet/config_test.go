package main

import (
	"flag"
	"github.com/signet-dev/signet/throttle"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func parseTest(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := &Config{}
	c.register(fs)
	err := parseConfig(fs, c, args, func(k string) string { return env[k] })
	return c, err
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "signet.env")
	os.WriteFile(file, []byte("# comment\nSIGNET_ADDR=127.0.0.1:9000\nSIGNET_ACCESS_TTL=5m\nSIGNET_ISSUER=\"https://file.example\"\n"), 0o600)
	c, err := parseTest(t, []string{"--config", file, "--issuer", "https://flag.example"},
		map[string]string{"SIGNET_ADDR": "127.0.0.1:7000", "SIGNET_DATABASE_URL": "sqlite:/tmp/x.db"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer != "https://flag.example" {
		t.Errorf("flag lost to lower precedence: issuer %q", c.Issuer)
	}
	if c.Addr != "127.0.0.1:7000" {
		t.Errorf("environment lost to file: addr %q", c.Addr)
	}
	if c.AccessTTL != 5*time.Minute {
		t.Errorf("file value not used: access ttl %v", c.AccessTTL)
	}
	if c.DatabaseURL != "sqlite:/tmp/x.db" {
		t.Errorf("SIGNET_DATABASE_URL not used for --db: %q", c.DatabaseURL)
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := parseTest(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Issuer != "http://localhost:8080" || c.DatabaseURL != "sqlite:signet.db" ||
		c.SigningAlg != "ES256" || c.AccessTTL != 15*time.Minute || c.ClientID != "signet" {
		t.Fatalf("defaults: %+v", c)
	}
	if err := c.validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.env")
	os.WriteFile(bad, []byte("ADDR=1\n"), 0o600)
	secret := filepath.Join(dir, "secret.env")
	os.WriteFile(secret, []byte("SIGNET_MASTER_KEY=abc\n"), 0o600)
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad duration in env", nil, map[string]string{"SIGNET_ACCESS_TTL": "soon"}, "SIGNET_ACCESS_TTL"},
		{"unknown algorithm", []string{"--signing-alg", "none"}, nil, "--signing-alg"},
		{"issuer not a URL", []string{"--issuer", "localhost"}, nil, "--issuer"},
		{"bad proxy", []string{"--trusted-proxies", "10.0.0.0/99"}, nil, "--trusted-proxies"},
		{"bad role scopes", []string{"--role-scopes", "=x"}, nil, "--role-scopes"},
		{"idle longer than absolute", []string{"--refresh-idle-ttl", "48h", "--refresh-absolute-ttl", "24h"}, nil, "refresh-idle-ttl"},
		{"config line without SIGNET_", []string{"--config", bad}, nil, "want SIGNET_NAME=value"},
		{"master key in config file", []string{"--config", secret}, nil, "never read from the config file"},
		{"missing config file", []string{"--config", filepath.Join(dir, "nope")}, nil, "config file"},
		{"throttle without window", []string{"--throttle-account", "5"}, nil, "--throttle-account"},
		{"throttle of zero", nil, map[string]string{"SIGNET_THROTTLE_ADDRESS": "0/1m"}, "--throttle-address"},
		{"throttle max lock below lock", []string{"--throttle-lock", "10m", "--throttle-max-lock", "1m"}, nil, "--throttle-max-lock"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseTest(t, tc.args, tc.env)
			if err == nil {
				err = c.validate()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "abc") {
				t.Fatal("error repeats a secret value")
			}
		})
	}
}

func TestRoleScopes(t *testing.T) {
	c := &Config{RoleScopes: "user=posts:read; editor=posts:read posts:write;"}
	m, err := c.roleScopes()
	if err != nil || len(m["editor"]) != 2 || m["user"][0] != "posts:read" {
		t.Fatalf("%v %v", m, err)
	}
}

func TestThrottleFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		acc     throttle.Limits
		addrOff bool
		addrMax int
		addrWin time.Duration
		lock    time.Duration
		maxLock time.Duration
	}{
		{"defaults", nil, throttle.Limits{MaxFailures: 5, Window: 15 * time.Minute}, false, 50, 15 * time.Minute, time.Minute, time.Hour},
		{"custom", []string{"--throttle-account", "3/2m", "--throttle-address", "off", "--throttle-lock", "30s", "--throttle-max-lock", "10m"},
			throttle.Limits{MaxFailures: 3, Window: 2 * time.Minute}, true, 0, 0, 30 * time.Second, 10 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseTest(t, tc.args, nil)
			if err != nil {
				t.Fatal(err)
			}
			l, err := c.Throttle.limits()
			if err != nil {
				t.Fatal(err)
			}
			if l.Account.MaxFailures != tc.acc.MaxFailures || l.Account.Window != tc.acc.Window ||
				l.Account.Lock != tc.lock || l.Account.MaxLock != tc.maxLock {
				t.Errorf("account limits %+v", l.Account)
			}
			if off := l.Address.MaxFailures < 0; off != tc.addrOff || (!off && (l.Address.MaxFailures != tc.addrMax || l.Address.Window != tc.addrWin)) {
				t.Errorf("address limits %+v", l.Address)
			}
		})
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{15 * time.Minute: "15m", 10 * time.Minute: "10m", time.Hour: "1h",
		90 * time.Minute: "1h30m", 90 * time.Second: "1m30s", 30 * time.Second: "30s"} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
