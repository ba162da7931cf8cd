package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/oauth2"
	"github.com/signet-dev/signet/password"
)

// core is what every command that touches the database shares: the store,
// the key manager and the account service, configured from one Config so
// the CLI and the server always agree.
type core struct {
	cfg   *Config
	log   *slog.Logger
	store signet.Store
	keys  *keys.Manager
	svc   *account.Service
	oidc  *oauth2.Provider
}

// openCore opens the store, loads (or, on first run, creates) the signing
// keys and builds the account service. The caller closes it.
func openCore(ctx context.Context, env *Env, cfg *Config, log *slog.Logger) (*core, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &core{cfg: cfg, log: log}
	var err error
	if c.store, err = openStore(ctx, cfg, log); err != nil {
		return nil, err
	}
	if err = c.init(ctx, env); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *core) init(ctx context.Context, env *Env) error {
	ring, err := loadMasterKey(env, c.cfg, c.log)
	if err != nil {
		return err
	}
	alg, _ := algorithmByName(c.cfg.SigningAlg)
	c.keys, err = keys.NewManager(c.store, ring, keys.ManagerConfig{
		AccessAlgorithm: alg, RotateEvery: c.cfg.RotateEvery,
		TokenLifetime: max(c.cfg.AccessTTL, c.cfg.IDTokenTTL), Logger: c.log, Now: c.cfg.now,
	})
	if err != nil {
		return err
	}
	if err := c.keys.Ensure(ctx); err != nil {
		return fmt.Errorf("loading signing keys: %w", err)
	}
	params := password.DefaultParams
	params.Memory, params.Iterations, params.Parallelism = uint32(c.cfg.Argon2Memory), uint32(c.cfg.Argon2Iterations), uint8(c.cfg.Argon2Parallelism)
	hasher, err := password.NewHasher(password.Config{Params: params})
	if err != nil {
		return err
	}
	scopes, _ := c.cfg.roleScopes()
	limits, _ := c.cfg.Throttle.limits()
	c.svc, err = account.NewService(ctx, c.store, c.keys, hasher, account.Config{
		Issuer: c.cfg.Issuer, Audiences: splitList(c.cfg.Audiences), FirstPartyClientID: c.cfg.ClientID,
		AccessTTL: c.cfg.AccessTTL, IDTokenTTL: c.cfg.IDTokenTTL, RefreshIdleTTL: c.cfg.RefreshIdle,
		RefreshAbsoluteTTL: c.cfg.RefreshMax, RefreshGrace: c.cfg.RefreshGrace,
		DefaultRoles: splitList(c.cfg.DefaultRoles), RoleScopes: scopes, Throttle: limits, Logger: c.log, Now: c.cfg.now,
	})
	if err != nil {
		return err
	}
	c.oidc, err = oauth2.New(c.store, c.svc, c.keys, ring, oauth2.Config{})
	return err
}

// Close closes the store.
func (c *core) Close() error {
	if c.store == nil {
		return nil
	}
	return c.store.Close()
}

// newLogger returns the structured logger of --log-level and --log-format.
// Security events go through it; nothing secret is ever given to it.
func newLogger(w io.Writer, cfg *Config) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", cfg.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(cfg.LogFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", cfg.LogFormat)
}

// dbCommand parses the shared configuration flags plus extra ones and opens
// the core. It is how the admin commands reach the same database as serve.
func dbCommand(ctx context.Context, env *Env, name, synopsis, about string, args []string,
	extra func(fs *flag.FlagSet)) (*core, []string, error) {
	fs := newFlagSet(env, name, synopsis, about)
	cfg := &Config{}
	cfg.register(fs)
	if extra != nil {
		extra(fs)
	}
	if err := parseConfig(fs, cfg, args, env.Getenv); err != nil {
		return nil, nil, err
	}
	cfg.LogLevel = orDefault(env.Getenv("SIGNET_LOG_LEVEL"), "warn") // admin commands stay quiet
	log, err := newLogger(env.Stderr, cfg)
	if err != nil {
		return nil, nil, err
	}
	c, err := openCore(ctx, env, cfg, log)
	return c, fs.Args(), err
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

var errNoUser = errors.New("no such user")
