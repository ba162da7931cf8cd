package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/password"
	"github.com/signet-dev/signet/sqlite"
)

// Config is every setting of `signet serve` and of the admin commands that
// open the same database. Each setting has a flag and an environment twin
// (SIGNET_ + the flag name in upper case with _ for -); an optional config
// file holds the same NAME=value lines as the environment. Precedence: flag,
// then environment, then file, then default.
type Config struct {
	Addr           string
	Issuer         string
	DatabaseURL    string
	MasterKeyFile  string
	Production     bool
	BehindTLSProxy bool
	TLSCert        string
	TLSKey         string

	SigningAlg   string
	RotateEvery  time.Duration
	AccessTTL    time.Duration
	IDTokenTTL   time.Duration
	RefreshIdle  time.Duration
	RefreshMax   time.Duration
	RefreshGrace time.Duration
	Audiences    string // comma-separated; default: the issuer
	ClientID     string
	RoleScopes   string // "role=scope scope;role2=scope"
	DefaultRoles string // comma-separated

	TrustedProxies string // comma-separated CIDRs
	CORSOrigins    string // comma-separated
	SQLiteDurable  bool
	SQLiteCacheKiB int
	SkipMigrations bool
	LogLevel       string
	LogFormat      string
	ConfigFile     string

	Argon2Memory      uint // KiB
	Argon2Iterations  uint
	Argon2Parallelism uint

	Throttle throttleFlags

	// now is the clock of every component; tests set it, nil means time.Now.
	now func() time.Time
}

// register declares the flags of c on fs; defaults live here, in one place.
func (c *Config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.Issuer, "issuer", "http://localhost:8080", "issuer URL: the iss of every token and the base of discovery")
	fs.StringVar(&c.DatabaseURL, "db", "sqlite:signet.db", "database: sqlite:PATH (embedded default) or postgres://…")
	fs.StringVar(&c.MasterKeyFile, "master-key-file", "signet-master.key", "development only: file holding the master key, created 0600 when missing (SIGNET_MASTER_KEY wins)")
	fs.BoolVar(&c.Production, "production", false, "production mode: require SIGNET_MASTER_KEY and TLS (or --behind-tls-proxy) on non-loopback addresses")
	fs.BoolVar(&c.BehindTLSProxy, "behind-tls-proxy", false, "plain HTTP is acceptable: a TLS-terminating proxy sits in front")
	fs.StringVar(&c.TLSCert, "tls-cert", "", "TLS certificate file (PEM) to serve HTTPS")
	fs.StringVar(&c.TLSKey, "tls-key", "", "TLS private key file (PEM)")
	fs.StringVar(&c.SigningAlg, "signing-alg", "ES256", "access token algorithm: ES256 (default), ES384, ES512, RS256…, PS256…, EdDSA, or HS256/384/512 (single service holding the secret)")
	fs.DurationVar(&c.RotateEvery, "key-rotate-every", 30*24*time.Hour, "signing key rotation interval")
	fs.DurationVar(&c.AccessTTL, "access-ttl", 15*time.Minute, "access token lifetime")
	fs.DurationVar(&c.IDTokenTTL, "id-token-ttl", time.Hour, "ID token lifetime")
	fs.DurationVar(&c.RefreshIdle, "refresh-idle-ttl", 14*24*time.Hour, "a session ends after this long without a refresh")
	fs.DurationVar(&c.RefreshMax, "refresh-absolute-ttl", 30*24*time.Hour, "a session ends this long after login, whatever its use")
	fs.DurationVar(&c.RefreshGrace, "refresh-grace", 10*time.Second, "window in which a just-rotated refresh token may be presented again (concurrent refreshes)")
	fs.StringVar(&c.Audiences, "audiences", "", "comma-separated aud of first-party access tokens (default: the issuer)")
	fs.StringVar(&c.ClientID, "client-id", "signet", "client id of the built-in first-party client")
	fs.StringVar(&c.RoleScopes, "role-scopes", "user=openid profile email", `scopes each role grants, e.g. "user=posts:read;editor=posts:read posts:write"`)
	fs.StringVar(&c.DefaultRoles, "default-roles", "user", "comma-separated roles of a new account")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", "comma-separated CIDRs whose X-Forwarded-For / Forwarded headers are believed")
	fs.StringVar(&c.CORSOrigins, "cors-origins", "", "comma-separated origins allowed by CORS (off when empty)")
	fs.BoolVar(&c.SQLiteDurable, "sqlite-durable", false, "SQLite: make every commit durable across power loss (synchronous=FULL); slower writes")
	fs.IntVar(&c.SQLiteCacheKiB, "sqlite-cache-kib", sqlite.DefaultCacheKiB, "SQLite: page cache of each of the 5 connections, KiB (bounds the server's memory)")
	fs.BoolVar(&c.SkipMigrations, "skip-migrations", false, "PostgreSQL: do not migrate the schema at start, refuse to run unless it is this version (run 'signet migrate' as a deployment step); SQLite always migrates")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", "text", "text or json")
	fs.StringVar(&c.ConfigFile, "config", "", "optional file of SIGNET_NAME=value lines")
	fs.UintVar(&c.Argon2Memory, "argon2-memory", uint(password.DefaultParams.Memory), "argon2id memory per password hash, KiB (OWASP minimum 19456)")
	fs.UintVar(&c.Argon2Iterations, "argon2-iterations", uint(password.DefaultParams.Iterations), "argon2id passes (OWASP minimum 2)")
	fs.UintVar(&c.Argon2Parallelism, "argon2-parallelism", uint(password.DefaultParams.Parallelism), "argon2id lanes")
	c.Throttle.register(fs)
}

// envName is the environment twin of a flag: --key-rotate-every is
// SIGNET_KEY_ROTATE_EVERY; --db is SIGNET_DATABASE_URL, as scripts expect.
func envName(flagName string) string {
	if flagName == "db" {
		return "SIGNET_DATABASE_URL"
	}
	return "SIGNET_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseConfig parses args, then fills every flag not given on the command
// line from the environment, then from the config file.
func parseConfig(fs *flag.FlagSet, c *Config, args []string, getenv func(string) string) error {
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["config"] && getenv(envName("config")) != "" {
		c.ConfigFile = getenv(envName("config"))
	}
	file := map[string]string{}
	if c.ConfigFile != "" {
		var err error
		if file, err = readConfigFile(c.ConfigFile); err != nil {
			return err
		}
	}
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || f.Name == "config" {
			return
		}
		name := envName(f.Name)
		v, from := getenv(name), "environment variable "+name
		if v == "" {
			v, from = file[name], name+" in "+c.ConfigFile
		}
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", from, err))
		}
	})
	return errors.Join(errs...)
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments ("user add EMAIL --roles admin"), as people type them; "--" ends
// the flags. The positional arguments are then fs.Args().
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

// readConfigFile reads NAME=value lines; blank lines and # comments are
// skipped. Only SIGNET_ names are accepted, so a typo is reported.
func readConfigFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !strings.HasPrefix(k, "SIGNET_") {
			return nil, fmt.Errorf("%s:%d: want SIGNET_NAME=value", path, n)
		}
		if k == "SIGNET_MASTER_KEY" {
			return nil, fmt.Errorf("%s:%d: the master key is never read from the config file; set SIGNET_MASTER_KEY in the environment", path, n)
		}
		out[k] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return out, sc.Err()
}

// validate checks values that flag parsing cannot, with messages a person can
// act on.
func (c *Config) validate() error {
	var errs []error
	if _, ok := algorithmByName(c.SigningAlg); !ok {
		errs = append(errs, fmt.Errorf("--signing-alg %q: want one of %v", c.SigningAlg, jose.Algorithms()))
	}
	if !strings.HasPrefix(c.Issuer, "http://") && !strings.HasPrefix(c.Issuer, "https://") {
		errs = append(errs, fmt.Errorf("--issuer %q: must be an http(s) URL", c.Issuer))
	}
	if _, err := c.trustedProxies(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.roleScopes(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.Throttle.limits(); err != nil {
		errs = append(errs, err)
	}
	for name, d := range map[string]time.Duration{"access-ttl": c.AccessTTL, "id-token-ttl": c.IDTokenTTL,
		"refresh-idle-ttl": c.RefreshIdle, "refresh-absolute-ttl": c.RefreshMax, "key-rotate-every": c.RotateEvery} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("--%s must be positive", name))
		}
	}
	if c.RefreshIdle > c.RefreshMax {
		errs = append(errs, errors.New("--refresh-idle-ttl cannot exceed --refresh-absolute-ttl"))
	}
	if c.Argon2Memory > 1<<22 || c.Argon2Iterations > 64 || c.Argon2Parallelism > 255 || c.Argon2Parallelism == 0 {
		errs = append(errs, errors.New("--argon2-*: memory at most 4 GiB, at most 64 passes, 1 to 255 lanes"))
	}
	if c.SQLiteCacheKiB < 64 || c.SQLiteCacheKiB > 1<<20 {
		errs = append(errs, errors.New("--sqlite-cache-kib: between 64 KiB and 1 GiB"))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	return errors.Join(errs...)
}

func algorithmByName(s string) (jose.Algorithm, bool) {
	for _, a := range jose.Algorithms() {
		if string(a) == s {
			return a, true
		}
	}
	return "", false
}

func (c *Config) trustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range splitList(c.TrustedProxies) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			if a, aerr := netip.ParseAddr(s); aerr == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				return nil, fmt.Errorf("--trusted-proxies: %q is not a CIDR or address", s)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// roleScopes parses "role=scope scope;role2=scope".
func (c *Config) roleScopes() (map[string][]string, error) {
	out := map[string][]string{}
	for _, part := range strings.Split(c.RoleScopes, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		role, scopes, ok := strings.Cut(part, "=")
		role = strings.TrimSpace(role)
		if !ok || role == "" {
			return nil, fmt.Errorf("--role-scopes: %q is not role=scopes", part)
		}
		out[role] = strings.Fields(scopes)
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
