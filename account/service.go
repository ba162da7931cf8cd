package account

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
	"github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/password"
	"github.com/signet-dev/signet/throttle"
)

// Service implements API and the administration the CLI needs. It is safe
// for concurrent use. Its in-memory revocation set is guarded by its own
// lock; feedMu guards the store cursor the set has read up to.
type Service struct {
	cfg     Config
	store   signet.Store
	keys    *keys.Manager
	hasher  *password.Hasher
	limiter *throttle.Limiter
	access  *verify.Verifier
	users   profileCache
	log     *slog.Logger

	revoked verify.RevocationSet
	notify  broadcast // signalled when new revocation entries exist

	feedMu sync.Mutex // guards cursor and serialises Sync
	cursor int64      // the store cursor of the last entry read into revoked
}

var _ API = (*Service)(nil)

// NewService returns a Service over store, signing with the key Manager km
// (which must be loaded: keys.Manager.Ensure) and hashing with h. c's unset
// settings take their defaults. It loads the live revocation entries, so
// Authenticate refuses revoked tokens from the start; call Run to keep them
// current. It returns an error for an inconsistent configuration, such as
// token lifetimes longer than km keeps retired keys for.
func NewService(ctx context.Context, store signet.Store, km *keys.Manager, h *password.Hasher, c Config) (*Service, error) {
	realClock := c.Now == nil
	c = c.Defaults()
	if err := c.check(); err != nil {
		return nil, err
	}
	if longest := max(c.AccessTTL, c.IDTokenTTL); km.TokenLifetime() < longest {
		return nil, fmt.Errorf("%w: tokens live up to %v but retired keys are kept for %v", errConfig, longest, km.TokenLifetime())
	}
	s := &Service{cfg: c, store: store, keys: km, hasher: h, log: c.Logger,
		users: profileCache{ttl: c.PollEvery, max: maxCachedProfiles}}
	var err error
	s.limiter, err = throttle.New(store, throttle.Config{Account: c.Throttle.Account, Address: c.Throttle.Address, Now: c.Now})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errConfig, err)
	}
	if s.access, err = s.newVerifier(ctx, km, realClock); err != nil {
		return nil, fmt.Errorf("%w: %v", errConfig, err)
	}
	if err := s.resync(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// newVerifier accepts first-party access tokens: this issuer, typ at+jwt,
// an audience that is the issuer or a configured one, the access keys, and
// none that the revocation set covers. It is the verification library's
// Verifier, as every API that imports it gets, verified-token cache
// included: a repeat of a token costs a hash, not a signature check. With
// the real clock, the library reads it through its coarse clock.
func (s *Service) newVerifier(ctx context.Context, km *keys.Manager, realClock bool) (*verify.Verifier, error) {
	opts := []verify.Option{
		verify.WithKeys(km.AccessKeys()),
		verify.WithAudience(append([]string{s.cfg.Issuer}, s.cfg.Audiences...)...),
		verify.WithTokenType(jose.TypeAccessToken),
		verify.WithLeeway(s.cfg.Leeway),
		verify.WithRevocations(&s.revoked),
		verify.WithRequiredClaims("sub", "iat", "jti"),
	}
	if !realClock {
		opts = append(opts, verify.WithClock(s.cfg.Now))
	}
	return verify.New(ctx, s.cfg.Issuer, opts...)
}

// now returns the injected clock's time in the form stores keep.
func (s *Service) now() time.Time { return signet.Truncate(s.cfg.Now()) }

// feedUntil is when a revocation entry written at now may expire: after the
// last access token issued before it has expired, leeway included.
func (s *Service) feedUntil(now time.Time) time.Time {
	return now.Add(s.cfg.AccessTTL + s.cfg.Leeway)
}

// JWKS returns the key Manager's published key set.
func (s *Service) JWKS(ctx context.Context) ([]byte, time.Duration, error) {
	doc, maxAge := s.keys.JWKS()
	return doc, maxAge, nil
}
