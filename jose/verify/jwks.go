package verify

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/signet-dev/signet/jose"
)

// RemoteKeySet is an issuer's JWKS (RFC 7517 section 5) fetched over HTTP
// and cached. It implements jose.KeyRefresher, so a jose.Verifier over it
// picks up a rotated key by itself:
//
//   - It honours the response's Cache-Control max-age (less its Age), and
//     refreshes in the background before the set goes stale, revalidating
//     with If-None-Match.
//   - A token naming an unknown "kid" makes it fetch again, at most once per
//     WithMinRefreshInterval, and concurrent callers share that one fetch.
//   - A failed fetch (the issuer unreachable, an error status, a body that
//     is too large or does not parse, an empty set) keeps the last good set
//     and is retried with back-off.
//
// It is safe for concurrent use; CurrentKeys is one atomic load. Close stops
// its background refreshes.
type RemoteKeySet struct {
	cfg   *config
	url   string
	state atomic.Pointer[keyState]

	mu        sync.Mutex // guards the fields below
	flight    *flight    // the fetch under way, or nil
	lastFetch time.Time  // start of the last fetch, on the real clock
	failures  int        // consecutive failed fetches
	lastErr   error
	timer     *time.Timer
	closed    bool
}

// keyState is one immutable snapshot of the cached set.
type keyState struct {
	set       *jose.KeySet
	body      []byte    // the document set was parsed from
	etag      string    // its ETag, for If-None-Match
	fetchedAt time.Time // zero until a fetch succeeded
	expires   time.Time
}

type flight struct {
	done chan struct{}
	err  error
}

var emptySet, _ = jose.NewKeySet()

// NewRemoteKeySet returns a cache of the key set at jwksURL, which must be
// https (or loopback, or UnsafeAllowHTTP). It fetches nothing yet: the first
// verification, or Refresh, does. Options: WithHTTPClient, UnsafeAllowHTTP,
// WithFetchTimeout, WithMaxResponseSize, WithMinRefreshInterval,
// WithReconnectBackoff, WithLogger. The caller closes it.
func NewRemoteKeySet(jwksURL string, opts ...Option) (*RemoteKeySet, error) {
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return newRemoteKeySet(c, jwksURL)
}

func newRemoteKeySet(c *config, jwksURL string) (*RemoteKeySet, error) {
	if _, err := checkURL(jwksURL, c.allowHTTP); err != nil {
		return nil, err
	}
	r := &RemoteKeySet{cfg: c, url: jwksURL}
	r.state.Store(&keyState{set: emptySet})
	return r, nil
}

// CurrentKeys returns the last good key set (empty before the first
// successful fetch). It never blocks.
func (r *RemoteKeySet) CurrentKeys() *jose.KeySet { return r.state.Load().set }

// RefreshForKeyID fetches the set again for a kid it does not hold, unless a
// fetch started less than the minimum refresh interval ago; it joins a fetch
// already under way rather than starting another. It returns the set to
// retry with, or nil when it did not fetch or the fetch failed.
func (r *RemoteKeySet) RefreshForKeyID(kid string) *jose.KeySet {
	if _, ok := r.CurrentKeys().Lookup(kid); ok {
		return r.CurrentKeys() // another caller's fetch brought it meanwhile
	}
	r.mu.Lock()
	f := r.flight
	if f == nil {
		if !r.lastFetch.IsZero() && r.cfg.mono().Sub(r.lastFetch) < r.cfg.minRefresh {
			r.mu.Unlock()
			return nil
		}
		f = r.startLocked()
	}
	r.mu.Unlock()
	<-f.done
	if f.err != nil {
		return nil
	}
	return r.CurrentKeys()
}

// Refresh fetches the set now (joining a fetch already under way) and
// reports the fetch's error; the last good set stays in use on failure.
// ctx bounds the wait, not the fetch, which other callers may share.
func (r *RemoteKeySet) Refresh(ctx context.Context) error {
	r.mu.Lock()
	f := r.flight
	if f == nil {
		f = r.startLocked()
	}
	r.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops the background refreshes. The last set stays readable.
func (r *RemoteKeySet) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
	return nil
}

// KeySetStatus describes a RemoteKeySet's cache.
type KeySetStatus struct {
	Keys      int       // keys in the current set
	FetchedAt time.Time // last successful fetch (zero if none yet), real clock
	Expires   time.Time // when the set goes stale per Cache-Control
	Failures  int       // consecutive failed fetches since
	LastError error     // the last fetch's error, nil after a success
}

// Status returns a snapshot of the cache's state.
func (r *RemoteKeySet) Status() KeySetStatus {
	s := r.state.Load()
	r.mu.Lock()
	defer r.mu.Unlock()
	return KeySetStatus{Keys: s.set.Len(), FetchedAt: s.fetchedAt, Expires: s.expires,
		Failures: r.failures, LastError: r.lastErr}
}

// everFetched reports whether a fetch has ever succeeded.
func (r *RemoteKeySet) everFetched() bool { return !r.state.Load().fetchedAt.IsZero() }

// startLocked starts a fetch in a goroutine of its own, so that a caller who
// stops waiting does not cancel it for the others.
func (r *RemoteKeySet) startLocked() *flight {
	f := &flight{done: make(chan struct{})}
	r.flight, r.lastFetch = f, r.cfg.mono()
	go func() {
		err := r.fetch()
		r.mu.Lock()
		f.err, r.flight = err, nil
		r.scheduleLocked(err)
		r.mu.Unlock()
		close(f.done)
	}()
	return f
}

// scheduleLocked arms the next background refresh: before the set goes
// stale after a success, after a back-off after a failure.
func (r *RemoteKeySet) scheduleLocked(err error) {
	if r.closed {
		return
	}
	var d time.Duration
	if err != nil {
		r.failures++
		r.lastErr = err
		d = backoff(r.cfg.backoffMin, r.cfg.backoffMax, r.failures)
		r.cfg.log.Warn("fetching the issuer's key set failed; keeping the last good set",
			"url", redact(r.url), "err", err, "failures", r.failures, "retry_in", d)
	} else {
		r.failures, r.lastErr = 0, nil
		s := r.state.Load()
		d = max(s.expires.Sub(r.cfg.mono())*4/5, r.cfg.minRefresh)
	}
	if r.timer == nil {
		r.timer = time.AfterFunc(d, func() { r.Refresh(context.Background()) })
	} else {
		r.timer.Reset(d)
	}
}

// fetch GETs the set and installs it; on any failure the old set stays.
func (r *RemoteKeySet) fetch() error {
	old := r.state.Load()
	hdr := http.Header{"Accept": {"application/jwk-set+json, application/json"}}
	if old.etag != "" {
		hdr.Set("If-None-Match", old.etag)
	}
	start := r.cfg.mono()
	resp, err := r.cfg.fetch(context.Background(), r.url, hdr, r.cfg.maxResponse)
	if err != nil {
		return err
	}
	next := &keyState{set: old.set, body: old.body, etag: old.etag, fetchedAt: start,
		expires: start.Add(freshness(resp.header))}
	switch {
	case resp.status == http.StatusNotModified && old.body != nil:
	case resp.status != http.StatusOK:
		return fmt.Errorf("%w: GET %s: status %d", ErrFetch, redact(r.url), resp.status)
	case !bytes.Equal(resp.body, old.body):
		set, err := jose.ParseJWKS(resp.body)
		if err != nil {
			return fmt.Errorf("%w: the key set at %s: %w", ErrFetch, redact(r.url), err)
		}
		if set.Len() == 0 {
			return fmt.Errorf("%w: the key set at %s holds no signature key", ErrFetch, redact(r.url))
		}
		next.set, next.body, next.etag = set, resp.body, resp.header.Get("ETag")
	}
	// An unchanged document keeps the same *jose.KeySet, so verified-token
	// cache entries made with it stay valid.
	r.state.Store(next)
	return nil
}
