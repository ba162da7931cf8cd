package verify

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/signet-dev/signet/jose"
)

// Verifier checks an issuer's access tokens for one API: a jose.Verifier
// (signature with keys bound to their algorithms, "typ", "exp", "nbf",
// "iat", issuer, audience) over the issuer's key set, plus the revocation
// set, plus a cache of tokens already verified. Make one with New and
// Close it when done. It is safe for concurrent use.
type Verifier struct {
	cfg      *config
	issuer   string
	jv       *jose.Verifier
	keys     jose.KeySource
	remote   *RemoteKeySet // nil when the caller gave the keys
	cache    *tokenCache   // nil when off
	revs     *RevocationSet
	follower *Follower    // nil without a feed
	leeway   int64        // seconds, as the jose.Verifier counts it
	clock    *coarseClock // nil unless the clocks are the system's
	base     time.Time    // origin of the real-clock durations of clockRead

	stop     context.CancelFunc
	done     chan struct{}
	lastWarn atomic.Int64 // real-clock Unix seconds of the last fail-open warning
}

// New returns a verifier of issuer's access tokens. It needs WithAudience.
//
// Keys come from WithKeys, else from WithJWKSURL, else from the "jwks_uri"
// of the issuer's discovery document, fetched now with ctx (OpenID Connect
// Discovery; the document must name the same issuer). A remote key set is
// fetched once now too; if that fails New still succeeds, tokens are
// refused with ErrKeysUnavailable, and the fetch is retried in the
// background.
//
// With WithRevocationFeed, New starts a Follower of the issuer's revocation
// feed (URLs from WithRevocationURLs or discovery) in the background;
// tokens are accepted once it has synced, and while it is no staler than
// WithMaxStaleness. Close stops it.
//
// The other defaults: type "at+jwt", leeway 30 s, the algorithms of the
// issuer's keys, a 16 MiB verified-token cache.
func New(ctx context.Context, issuer string, opts ...Option) (*Verifier, error) {
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if issuer == "" {
		return nil, errors.New("verify: New needs the issuer")
	}
	if len(c.audiences) == 0 && !c.anyAudience {
		return nil, errors.New("verify: New needs WithAudience: a token meant for another service must not pass")
	}
	v := &Verifier{cfg: c, issuer: issuer, revs: c.revocations, leeway: int64(c.leeway / time.Second)}
	if v.revs == nil {
		v.revs = new(RevocationSet)
	}
	if c.realClocks {
		v.clock = newCoarseClock()
		v.base = v.clock.base
	} else {
		v.base = c.mono()
	}
	if err := v.setup(ctx); err != nil {
		v.Close()
		return nil, err
	}
	return v, nil
}

// setup finds the keys and the feed, and builds the jose verifier.
func (v *Verifier) setup(ctx context.Context) error {
	c := v.cfg
	var disc *Discovery
	discover := func() (*Discovery, error) {
		if disc == nil {
			d, err := c.discover(ctx, v.issuer)
			if err != nil {
				return nil, err
			}
			disc = d
		}
		return disc, nil
	}
	if err := v.setupKeys(ctx, discover); err != nil {
		return err
	}
	jopts := []jose.Option{jose.WithIssuer(v.issuer), jose.WithAudience(c.audiences...),
		jose.WithTokenType(c.tokenType), jose.WithLeeway(c.leeway), jose.WithClock(c.now),
		jose.WithMaxTokenSize(c.maxTokenSize)}
	if c.anyAudience {
		jopts = append(jopts, jose.UnsafeSkipAudienceCheck())
	}
	if len(c.algs) > 0 {
		jopts = append(jopts, jose.WithAlgorithms(c.algs...))
	}
	if len(c.required) > 0 {
		jopts = append(jopts, jose.WithRequiredClaims(c.required...))
	}
	var err error
	if v.jv, err = jose.NewVerifier(v.keys, jopts...); err != nil {
		return err
	}
	if c.cacheBytes > 0 {
		v.cache = newTokenCache(c.cacheBytes)
	}
	if c.feedToken != nil {
		return v.setupFeed(discover)
	}
	return nil
}

func (v *Verifier) setupKeys(ctx context.Context, discover func() (*Discovery, error)) error {
	if v.cfg.keys != nil {
		v.keys = v.cfg.keys
		return nil
	}
	u := v.cfg.jwksURL
	if u == "" {
		d, err := discover()
		if err != nil {
			return err
		}
		u = d.JWKSURI
	}
	r, err := newRemoteKeySet(v.cfg, u)
	if err != nil {
		return err
	}
	v.remote, v.keys = r, r
	if err := r.Refresh(ctx); err != nil {
		v.cfg.log.Warn("the issuer's key set is not available yet; retrying in the background", "err", err)
	}
	return nil
}

func (v *Verifier) setupFeed(discover func() (*Discovery, error)) error {
	list, stream := v.cfg.listURL, v.cfg.streamURL
	if list == "" || stream == "" {
		d, err := discover()
		if err != nil {
			return err
		}
		if d.RevocationsEndpoint == "" || d.RevocationsStream == "" {
			return fmt.Errorf("%w: issuer %q publishes no revocation feed; drop WithRevocationFeed or give WithRevocationURLs", ErrDiscovery, v.issuer)
		}
		list, stream = d.RevocationsEndpoint, d.RevocationsStream
	}
	f, err := newFollower(v.cfg, list, stream, v.cfg.feedToken, v.revs, v.base)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.follower, v.stop, v.done = f, cancel, make(chan struct{})
	go func() {
		defer close(v.done)
		f.Run(ctx)
	}()
	return nil
}

// Close stops the background work: the revocation follower and the key
// set's refreshes. Verify keeps working on what was last fetched, but with a
// feed it soon refuses tokens as stale.
func (v *Verifier) Close() error {
	if v.stop != nil {
		v.stop()
		<-v.done
	}
	if v.remote != nil {
		v.remote.Close()
	}
	return nil
}

// Ready waits until the verifier can accept tokens: its key set fetched and
// its revocation follower synced, or ctx ends. Use it in a readiness probe
// or before serving.
func (v *Verifier) Ready(ctx context.Context) error {
	if v.remote != nil && !v.remote.everFetched() {
		if err := v.remote.Refresh(ctx); err != nil {
			return err
		}
	}
	if v.follower != nil {
		return v.follower.WaitSynced(ctx)
	}
	return nil
}

// Revocations returns the revocation set the verifier consults.
func (v *Verifier) Revocations() *RevocationSet { return v.revs }

// Follower returns the verifier's revocation follower, or nil without a
// feed.
func (v *Verifier) Follower() *Follower { return v.follower }

// Keys returns where the verifier's keys come from: a *RemoteKeySet unless
// WithKeys gave another source.
func (v *Verifier) Keys() jose.KeySource { return v.keys }
