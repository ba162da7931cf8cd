package oauth2

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
	"github.com/signet-dev/signet/keys"
)

// Provider is signet's OpenID Provider. It is safe for concurrent use.
type Provider struct {
	cfg    Config
	acct   account.Config // the account service's settings: issuer, lifetimes
	store  signet.Store
	svc    *account.Service
	keys   *keys.Manager
	ring   *keys.Keyring
	log    *slog.Logger
	access *verify.Verifier // access tokens of any audience, for introspection and revocation
	csrf   []byte           // HMAC key of CSRF tokens

	clients *clientCache

	mu          sync.Mutex        // guards secretKeys
	secretKeys  map[string][]byte // client-secret HMAC keys by master key id
	secretKeyID string            // the master key id new secrets are hashed under
}

// New returns a Provider over store that issues tokens with the keys of km,
// under the rules and settings of the account service svc, and hashes client
// secrets and CSRF tokens with keys derived from ring's master keys.
func New(store signet.Store, svc *account.Service, km *keys.Manager, ring *keys.Keyring, c Config) (*Provider, error) {
	acct := svc.Settings()
	c, err := c.withDefaults(acct.Now, acct.Logger)
	if err != nil {
		return nil, err
	}
	p := &Provider{cfg: c, acct: acct, store: store, svc: svc, keys: km, ring: ring, log: c.Logger,
		secretKeys: map[string][]byte{}, secretKeyID: ring.CurrentID(),
		clients: &clientCache{ttl: c.ClientCacheTTL, m: map[string]cachedClient{}}}
	if p.csrf, err = ring.DeriveKey(ring.CurrentID(), "browser CSRF tokens"); err != nil {
		return nil, err
	}
	// Introspection reports the audience instead of checking it: the
	// resource server that asks decides whether the token is meant for it.
	// The verification library's Verifier caches verified tokens (a
	// resource server asks about the same token for each request it gets)
	// and refuses what the account service's revocation set covers.
	p.access, err = verify.New(context.Background(), acct.Issuer, verify.WithKeys(km.AccessKeys()),
		verify.UnsafeSkipAudienceCheck(), verify.WithTokenType(jose.TypeAccessToken),
		verify.WithClock(c.Now), verify.WithLeeway(acct.Leeway), verify.WithRevocations(svc.RevocationSet()),
		verify.WithRequiredClaims("sub", "iat", "jti", "client_id"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errConfig, err)
	}
	return p, nil
}

// Issuer returns the issuer URL.
func (p *Provider) Issuer() string { return p.acct.Issuer }

// now returns the clock's time in the form stores keep.
func (p *Provider) now() time.Time { return signet.Truncate(p.cfg.Now()) }

// IDTokenAlgorithms returns the algorithms ID tokens may be signed with:
// the default one and RS256.
func (p *Provider) IDTokenAlgorithms() []string {
	algs := []string{string(p.defaultIDAlg())}
	if algs[0] != string(jose.RS256) {
		algs = append(algs, string(jose.RS256))
	}
	return algs
}

// defaultIDAlg signs ID tokens of clients not registered for RS256: the
// access-token algorithm (ES256 by default), or RS256 in HMAC mode, where
// the client could not verify a token signed with the API's secret.
func (p *Provider) defaultIDAlg() jose.Algorithm {
	switch alg := p.keys.AccessAlgorithm(); alg {
	case jose.HS256, jose.HS384, jose.HS512:
		return jose.RS256
	default:
		return alg
	}
}

// event logs one security event, as the account service does: ids and
// addresses only, never a token, secret or password.
func (p *Provider) event(ctx context.Context, level slog.Level, name, msg string, attrs ...slog.Attr) {
	p.log.LogAttrs(ctx, level, msg, append([]slog.Attr{slog.String("event", name)}, attrs...)...)
}

// internal wraps a failure the client cannot fix; the HTTP layer logs it and
// answers server_error without its text.
func internal(what string, err error) error {
	return fmt.Errorf("oauth2: %s: %w", what, err)
}

// Run purges expired authorization codes and browser sessions every ten
// minutes until ctx ends, and returns ctx's error.
func (p *Provider) Run(ctx context.Context) error {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		now := p.cfg.Now()
		if _, err := p.store.PurgeAuthCodes(ctx, now.Add(-time.Hour)); err != nil && ctx.Err() == nil {
			p.log.Warn("purging authorization codes failed", "error", err.Error())
		}
		if _, err := p.store.PurgeBrowserSessions(ctx, now); err != nil && ctx.Err() == nil {
			p.log.Warn("purging browser sessions failed", "error", err.Error())
		}
	}
}

// BrowserSessionTTL is how long a browser session lasts, for its cookie.
func (p *Provider) BrowserSessionTTL() time.Duration { return p.cfg.BrowserSessionTTL }
