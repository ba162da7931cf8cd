package verify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/signet-dev/signet/jose"
)

// Defaults applied by New, NewRemoteKeySet and NewFollower.
const (
	// DefaultCacheBytes bounds the memory of the verified-token cache.
	DefaultCacheBytes = 16 << 20
	// DefaultMaxStaleness is how long tokens are still accepted while the
	// revocation feed cannot be heard from; after it they are refused with
	// ErrRevocationsUnavailable (see WithMaxStaleness for why).
	DefaultMaxStaleness = 2 * time.Minute
	// DefaultMinRefreshInterval is the least time between two fetches of a
	// key set caused by unknown "kid"s, and between background refreshes.
	DefaultMinRefreshInterval = 30 * time.Second
	// DefaultKeySetTTL is how long a key set is fresh when its response
	// says nothing with Cache-Control max-age.
	DefaultKeySetTTL = 5 * time.Minute
	// DefaultFetchTimeout bounds each fetch of a discovery document, key
	// set or revocation list, and the wait for a stream's response headers.
	DefaultFetchTimeout = 10 * time.Second
	// DefaultMaxResponseSize bounds a discovery document or key set.
	DefaultMaxResponseSize = 512 << 10
	// DefaultStreamIdleTimeout is how long a revocation stream may stay
	// silent (signet sends a comment every 15 s) before it is taken for dead
	// and reconnected.
	DefaultStreamIdleTimeout = 45 * time.Second
)

// maxListSize bounds the full revocation list (GET /v1/revocations): a
// million entries fit.
const maxListSize = 256 << 20

// maxKeySetTTL caps a key set's freshness, whatever max-age says, so that a
// removed key is noticed within a day.
const maxKeySetTTL = 24 * time.Hour

// Option configures New, NewRemoteKeySet or NewFollower. Each option's
// documentation says which of them it applies to; the others ignore it.
type Option func(*config) error

// TokenSource returns the bearer token the revocation follower presents. It
// is called before every connection, so it may hand out a fresh token each
// time (from a client_credentials grant, say); an error postpones the
// connection with back-off.
type TokenSource func(ctx context.Context) (string, error)

// StaticToken returns a TokenSource that always returns tok, such as a token
// from `signet token mint --client NAME --scope signet:revocations`.
func StaticToken(tok string) TokenSource {
	return func(context.Context) (string, error) { return tok, nil }
}

// config holds every setting; defaults are applied in one place, newConfig.
type config struct {
	audiences    []string
	anyAudience  bool
	tokenType    string
	leeway       time.Duration
	algs         []jose.Algorithm
	required     []string
	now          func() time.Time
	maxTokenSize int

	jwksURL string
	keys    jose.KeySource

	client       *http.Client
	allowHTTP    bool
	fetchTimeout time.Duration
	maxResponse  int64
	minRefresh   time.Duration

	cacheBytes int

	revocations  *RevocationSet
	feedToken    TokenSource
	listURL      string
	streamURL    string
	maxStale     time.Duration
	failOpen     bool
	idleTimeout  time.Duration
	backoffMin   time.Duration
	backoffMax   time.Duration
	errorHandler func(http.ResponseWriter, *http.Request, error)
	realm        string
	log          *slog.Logger

	mono func() time.Time // the real clock of network schedules; tests replace it

	// realClocks is true while now and mono are the system's clocks, which
	// the hot path may then read through a coarseClock.
	realClocks bool
}

func newConfig(opts []Option) (*config, error) {
	c := &config{
		tokenType: jose.TypeAccessToken, leeway: jose.DefaultLeeway, now: time.Now,
		maxTokenSize: jose.DefaultMaxTokenSize, fetchTimeout: DefaultFetchTimeout,
		maxResponse: DefaultMaxResponseSize, minRefresh: DefaultMinRefreshInterval,
		cacheBytes: DefaultCacheBytes, maxStale: DefaultMaxStaleness,
		idleTimeout: DefaultStreamIdleTimeout, backoffMin: 500 * time.Millisecond, backoffMax: 30 * time.Second,
		log: slog.New(slog.DiscardHandler), mono: time.Now, realClocks: true,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	c.client = safeClient(c.client, c.allowHTTP)
	return c, nil
}

func positive(name string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("verify: %s must be positive, not %v", name, d)
	}
	return nil
}

// WithAudience sets the audiences a token's "aud" must contain one of
// (New; required, RFC 8725 section 3.9).
func WithAudience(aud ...string) Option {
	return func(c *config) error { c.audiences = append(c.audiences, aud...); return nil }
}

// WithTokenType sets the "typ" a token must carry (New). The default is
// jose.TypeAccessToken, "at+jwt" (RFC 9068), so an ID token is never taken
// for an access token; give jose.TypeJWT for issuers that do not type their
// access tokens.
func WithTokenType(typ string) Option {
	return func(c *config) error { c.tokenType = typ; return nil }
}

// WithLeeway sets the clock skew allowed on "exp", "nbf" and "iat" (New;
// default jose.DefaultLeeway, 30 s).
func WithLeeway(d time.Duration) Option {
	return func(c *config) error { c.leeway = d; return nil }
}

// WithAlgorithms restricts the accepted algorithms (New), on top of the
// binding of each key to its own algorithm.
func WithAlgorithms(algs ...jose.Algorithm) Option {
	return func(c *config) error { c.algs = algs; return nil }
}

// WithRequiredClaims makes the named claims mandatory (New), on top of
// "exp", which always is: a token without one of them is refused with
// jose.ErrMissingClaim. See jose.WithRequiredClaims.
func WithRequiredClaims(names ...string) Option {
	return func(c *config) error { c.required = append(c.required, names...); return nil }
}

// WithClock sets the clock of token validity: "exp", "nbf", "iat", cached
// entries' expiry, and the purge of expired revocations (New, NewFollower).
// Network schedules (refreshes, back-off, staleness) always use the real
// clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("verify: WithClock needs a clock")
		}
		c.now, c.realClocks = now, false
		return nil
	}
}

// WithMaxTokenSize sets the size limit checked before any decoding (New;
// default jose.DefaultMaxTokenSize, 8 KiB).
func WithMaxTokenSize(n int) Option {
	return func(c *config) error { c.maxTokenSize = n; return nil }
}

// WithJWKSURL names the issuer's key set directly (New), so no discovery
// document is fetched for it. Use it for issuers without discovery.
func WithJWKSURL(u string) Option {
	return func(c *config) error { c.jwksURL = u; return nil }
}

// WithKeys gives New a key source of the caller's (a fixed *jose.KeySet, a
// RemoteKeySet shared by several verifiers): nothing is fetched for keys.
func WithKeys(src jose.KeySource) Option {
	return func(c *config) error {
		if src == nil {
			return errors.New("verify: WithKeys needs a key source")
		}
		c.keys = src
		return nil
	}
}

// WithHTTPClient sets the client of every fetch (all constructors). Its
// redirects are held to the same https rule as the first URL. Leave its
// Timeout zero: it would cut the revocation stream, which is long-lived;
// fetches are bounded by WithFetchTimeout instead.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { c.client = hc; return nil }
}

// UnsafeSkipAudienceCheck accepts tokens of any audience (New): for an
// issuer's own introspection endpoint (RFC 7662), which reports "aud" to the
// resource server that asks instead of judging it. An API must never use
// it: a token meant for another service would pass.
func UnsafeSkipAudienceCheck() Option {
	return func(c *config) error { c.anyAudience = true; return nil }
}

// UnsafeAllowHTTP allows plain-http URLs on any host (all constructors).
// Without it only https is fetched, except from loopback addresses: a key
// set fetched in clear can be replaced by anyone on the path, and with it
// every token.
func UnsafeAllowHTTP() Option {
	return func(c *config) error { c.allowHTTP = true; return nil }
}

// WithFetchTimeout bounds each fetch (all constructors; default
// DefaultFetchTimeout).
func WithFetchTimeout(d time.Duration) Option {
	return func(c *config) error { c.fetchTimeout = d; return positive("fetch timeout", d) }
}

// WithMaxResponseSize bounds a discovery document or key set in bytes (New,
// NewRemoteKeySet; default DefaultMaxResponseSize).
func WithMaxResponseSize(n int64) Option {
	return func(c *config) error {
		if n < 1024 {
			return fmt.Errorf("verify: max response size %d is too small", n)
		}
		c.maxResponse = n
		return nil
	}
}

// WithMinRefreshInterval sets the least time between two fetches of the key
// set caused by tokens naming an unknown "kid", and between background
// refreshes (New, NewRemoteKeySet; default DefaultMinRefreshInterval).
// Tokens name any kid they like, so this is what keeps a flood of forged
// kids from turning into a flood of requests to the issuer.
func WithMinRefreshInterval(d time.Duration) Option {
	return func(c *config) error { c.minRefresh = d; return positive("min refresh interval", d) }
}

// WithTokenCache sets the memory bound, in bytes, of the verified-token
// cache (New; default DefaultCacheBytes). Zero turns the cache off.
func WithTokenCache(maxBytes int) Option {
	return func(c *config) error {
		if maxBytes < 0 {
			return fmt.Errorf("verify: token cache size %d is negative", maxBytes)
		}
		c.cacheBytes = maxBytes
		return nil
	}
}

// WithRevocations makes New consult set, which the caller keeps current
// (with its own Follower, say), instead of a set of its own.
func WithRevocations(set *RevocationSet) Option {
	return func(c *config) error { c.revocations = set; return nil }
}

// WithRevocationFeed makes New follow the issuer's revocation feed with a
// Follower of its own, presenting tokens from ts (which need scope
// signet:revocations). The feed's URLs come from the discovery document
// unless WithRevocationURLs names them.
func WithRevocationFeed(ts TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("verify: WithRevocationFeed needs a token source")
		}
		c.feedToken = ts
		return nil
	}
}

// WithRevocationURLs names the revocation list (GET /v1/revocations) and
// stream (GET /v1/revocations/stream) for New's follower.
func WithRevocationURLs(list, stream string) Option {
	return func(c *config) error { c.listURL, c.streamURL = list, stream; return nil }
}

// WithMaxStaleness sets how long tokens are still accepted after the
// revocation feed was last heard from (New; default DefaultMaxStaleness,
// 2 minutes). Past it, and before the feed has first been read, Verify fails
// with ErrRevocationsUnavailable, which the middleware answers with 503.
//
// Why this default: the promise of the feed is that a revoked token dies
// within seconds. Accepting tokens for ever while the feed is down would
// quietly stretch that to the tokens' whole lifetime for anyone able to cut
// the verifier off the issuer; refusing at the first hiccup would make every
// issuer restart an outage of every API. Two minutes rides out a restart or
// a rolling deploy of the issuer (eight missed keep-alives, several
// reconnect attempts) and still bounds how long a revoked token can live.
func WithMaxStaleness(d time.Duration) Option {
	return func(c *config) error { c.maxStale = d; return positive("max staleness", d) }
}

// UnsafeFailOpen keeps accepting tokens however long the revocation feed has
// been down (New), logging a warning at most once a minute. Revoked tokens
// then live until they expire. Choose it only where availability matters
// more than revocation.
func UnsafeFailOpen() Option {
	return func(c *config) error { c.failOpen = true; return nil }
}

// WithStreamIdleTimeout sets how long the revocation stream may stay silent
// before it is reconnected (New, NewFollower; default
// DefaultStreamIdleTimeout). It must exceed the issuer's keep-alive period.
func WithStreamIdleTimeout(d time.Duration) Option {
	return func(c *config) error { c.idleTimeout = d; return positive("stream idle timeout", d) }
}

// WithReconnectBackoff sets the bounds of the exponential, jittered back-off
// between failed attempts to reach the issuer (all constructors; default
// 500 ms to 30 s).
func WithReconnectBackoff(lo, hi time.Duration) Option {
	return func(c *config) error {
		if lo <= 0 || hi < lo {
			return fmt.Errorf("verify: back-off bounds %v..%v are not increasing", lo, hi)
		}
		c.backoffMin, c.backoffMax = lo, hi
		return nil
	}
}

// WithErrorHandler replaces how the middleware answers a refused request
// (New). err wraps ErrNoToken, ErrMalformedRequest, ErrInsufficientScope,
// ErrRevoked, ErrRevocationsUnavailable, ErrKeysUnavailable or a jose
// sentinel; WriteError is the default and can be called from h.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(c *config) error { c.errorHandler = h; return nil }
}

// WithRealm sets the realm of the middleware's WWW-Authenticate challenges
// (New; RFC 6750 section 3).
func WithRealm(realm string) Option {
	return func(c *config) error { c.realm = realm; return nil }
}

// WithLogger sets where fetch failures, stream disconnections and the
// fail-open warning are logged (all constructors; default: nowhere). No
// token is ever logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l != nil {
			c.log = l
		}
		return nil
	}
}
