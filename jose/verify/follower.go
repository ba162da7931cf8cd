package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Follower keeps a RevocationSet current from an issuer's revocation feed
// (signet's GET /v1/revocations and its Server-Sent Events stream, GET
// /v1/revocations/stream):
//
//   - It first reads the full list and replaces the set's entries with it,
//     then follows the stream from the list's cursor.
//   - After a disconnection it resumes from the set's cursor (Last-Event-ID),
//     after a jittered exponential back-off; a stream silent for longer than
//     WithStreamIdleTimeout counts as a disconnection.
//   - When the issuer no longer keeps that cursor (410 Gone), it reads the
//     full list again and replaces the set.
//   - It purges entries that can no longer match a live token.
//
// Status reports its connection state, its cursor and how long ago it last
// heard from the issuer (its lag). Run it with Run; it is safe for
// concurrent use.
type Follower struct {
	cfg    *config
	list   string
	stream string
	token  TokenSource
	set    *RevocationSet

	base    time.Time     // real-clock origin of heard
	heard   atomic.Int64  // nanoseconds after base of the last sign of life; 0: never
	synced  chan struct{} // closed at the first full sync
	once    sync.Once
	running atomic.Bool

	mu         sync.Mutex // guards the fields below
	connected  bool
	lastEvent  time.Time
	reconnects int
	lastErr    error
	lastPurge  time.Time
}

// NewFollower returns a follower of the feed whose full list is at listURL
// and whose stream is at streamURL (both https, or loopback, or
// UnsafeAllowHTTP), presenting tokens from ts, keeping set current.
// Options: WithHTTPClient, UnsafeAllowHTTP, WithFetchTimeout,
// WithStreamIdleTimeout, WithReconnectBackoff, WithClock (for purging
// expired entries), WithLogger.
func NewFollower(listURL, streamURL string, ts TokenSource, set *RevocationSet, opts ...Option) (*Follower, error) {
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return newFollower(c, listURL, streamURL, ts, set, c.mono())
}

// newFollower makes a follower whose times since base are comparable with
// its owner's (a Verifier's coarse clock).
func newFollower(c *config, listURL, streamURL string, ts TokenSource, set *RevocationSet, base time.Time) (*Follower, error) {
	for _, u := range []string{listURL, streamURL} {
		if _, err := checkURL(u, c.allowHTTP); err != nil {
			return nil, err
		}
	}
	if ts == nil || set == nil {
		return nil, errors.New("verify: NewFollower needs a token source and a revocation set")
	}
	return &Follower{cfg: c, list: listURL, stream: streamURL, token: ts, set: set,
		base: base, synced: make(chan struct{})}, nil
}

// Run follows the feed until ctx ends, then returns ctx's error. Failures
// along the way are logged and retried, never returned. A Follower runs
// once at a time.
func (f *Follower) Run(ctx context.Context) error {
	if !f.running.CompareAndSwap(false, true) {
		return errors.New("verify: the follower is already running")
	}
	defer f.running.Store(false)
	failures := 0
	needList := true
	for ctx.Err() == nil {
		err := f.session(ctx, &needList)
		if ctx.Err() != nil {
			break
		}
		if f.disconnected(err) {
			failures = 1 // the stream worked, then ended: reconnect promptly
		} else {
			failures++
		}
		wait := backoff(f.cfg.backoffMin, f.cfg.backoffMax, failures)
		if err == nil {
			// The issuer closed a working stream (a restart, a deploy).
			f.cfg.log.Info("the issuer ended the revocation stream; reconnecting", "in", wait)
		} else {
			f.cfg.log.Warn("revocation stream disconnected; reconnecting", "err", err, "in", wait)
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	f.mu.Lock()
	f.connected = false
	f.mu.Unlock()
	return ctx.Err()
}

// session does one connection: a full list when needed, then the stream
// until it ends. It returns nil when a working stream ended, and the error
// otherwise; needList is set when the next session must start from the
// full list.
func (f *Follower) session(ctx context.Context, needList *bool) error {
	tok, err := f.token(ctx)
	if err == nil && tok == "" {
		err = errors.New("the token source returned no token")
	}
	if err != nil {
		return fmt.Errorf("getting a token for the revocation feed: %w", err)
	}
	if *needList {
		if err := f.resync(ctx, tok); err != nil {
			return err
		}
		*needList = false
	}
	err = f.follow(ctx, tok)
	if errors.Is(err, ErrCursorGone) {
		*needList = true
	}
	return err
}

// WaitSynced blocks until the follower has read the full list once, or ctx
// ends.
func (f *Follower) WaitSynced(ctx context.Context) error {
	select {
	case <-f.synced:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FollowerStatus describes a Follower at one moment.
type FollowerStatus struct {
	Connected  bool          // a stream is open
	Synced     bool          // the full list has been read at least once
	Cursor     string        // where the set stands in the feed
	Entries    int           // live entries in the set
	LastHeard  time.Time     // last sign of life of the issuer: a list, an event or a keep-alive (zero: never)
	Lag        time.Duration // time since LastHeard (since the follower was made, if never): how far behind the feed the set may be
	LastEvent  time.Time     // when the last revocation event arrived (zero: none yet)
	Reconnects int           // disconnections so far
	LastError  error         // why the last connection ended or failed
}

// Status returns the follower's state. Times are on the real clock.
func (f *Follower) Status() FollowerStatus {
	st := FollowerStatus{Cursor: f.set.Cursor(), Entries: f.set.Len()}
	st.Lag, _ = f.lag()
	if h := f.heard.Load(); h != 0 {
		st.LastHeard = f.base.Add(time.Duration(h))
	}
	select {
	case <-f.synced:
		st.Synced = true
	default:
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	st.Connected, st.LastEvent, st.Reconnects, st.LastError = f.connected, f.lastEvent, f.reconnects, f.lastErr
	return st
}

// lag is the time since the issuer was last heard from, or since the
// follower was made when it never was; ok reports whether it ever was.
func (f *Follower) lag() (d time.Duration, ok bool) { return f.lagAt(f.cfg.mono().Sub(f.base)) }

// lagAt is lag at elapsed after base.
func (f *Follower) lagAt(elapsed time.Duration) (d time.Duration, ok bool) {
	h := f.heard.Load()
	if h == 0 {
		return elapsed, false
	}
	return elapsed - time.Duration(h), true
}

// currentAt reports whether, at elapsed after base, the follower heard from
// the issuer within maxStale: the staleness policy's test, one atomic load.
func (f *Follower) currentAt(elapsed, maxStale time.Duration) bool {
	d, ok := f.lagAt(elapsed)
	return ok && d <= maxStale
}

// alive records a sign of life of the issuer.
func (f *Follower) alive() {
	f.heard.Store(max(int64(f.cfg.mono().Sub(f.base)), 1))
}

func (f *Follower) setConnected() {
	f.mu.Lock()
	f.connected = true
	f.mu.Unlock()
	f.alive()
}

// disconnected records the end of a session and reports whether a stream
// had been open in it.
func (f *Follower) disconnected(err error) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	was := f.connected
	if was || err != nil {
		f.reconnects++
	}
	f.connected, f.lastErr = false, err
	return was
}

// resync reads the full list and replaces the set's entries with it.
func (f *Follower) resync(ctx context.Context, tok string) error {
	resp, err := f.cfg.fetch(ctx, f.list, http.Header{"Authorization": {"Bearer " + tok}, "Accept": {"application/json"}}, maxListSize)
	if err != nil {
		return err
	}
	if resp.status != http.StatusOK {
		return fmt.Errorf("%w: GET %s: status %d", ErrFetch, redact(f.list), resp.status)
	}
	var body struct {
		Entries []Entry `json:"entries"`
		Cursor  string  `json:"cursor"`
	}
	if err := json.Unmarshal(resp.body, &body); err != nil {
		return fmt.Errorf("%w: the revocation list at %s: %v", ErrFetch, redact(f.list), err)
	}
	f.set.Reset(body.Cursor, body.Entries)
	f.alive()
	f.once.Do(func() { close(f.synced) })
	f.purge()
	return nil
}

// purge drops expired entries at most once a minute.
func (f *Follower) purge() {
	now := f.cfg.now()
	f.mu.Lock()
	due := now.Sub(f.lastPurge) >= time.Minute
	if due {
		f.lastPurge = now
	}
	f.mu.Unlock()
	if due {
		f.set.Purge(now)
	}
}
