package throttle

import (
	"context"
	"fmt"
	"time"

	"github.com/signet-dev/signet"
)

// Limiter applies the throttle rules to counters kept in a store. It is safe
// for concurrent use; all its state is in the store.
type Limiter struct {
	store signet.ThrottleStore
	cfg   Config
}

// New returns a Limiter over store. It returns an error for inconsistent
// limits (a lock longer than the maximum, a non-positive window).
func New(store signet.ThrottleStore, c Config) (*Limiter, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Limiter{store: store, cfg: c}, nil
}

// Check reports whether an attempt may go ahead. It returns nil, a
// *LockedError (matching ErrLocked) whose RetryAfter is the longest lock that
// applies, or a store error. It only reads.
func (l *Limiter) Check(ctx context.Context, a Attempt) error {
	now := l.cfg.Now()
	var locked *LockedError
	for _, k := range l.keys(a) {
		t, err := l.store.Throttle(ctx, k.key)
		if err != nil {
			return fmt.Errorf("throttle: %w", err)
		}
		if ok, d := t.Locked(now); ok && (locked == nil || d > locked.RetryAfter) {
			locked = &LockedError{Scope: k.key.Scope, RetryAfter: d}
		}
	}
	if locked == nil {
		return nil
	}
	locked.RetryAfter = roundUp(locked.RetryAfter)
	return locked
}

// Fail counts a failed attempt against every counter it applies to. It
// returns the lock this failure started (the longest, rounded up to a
// second), or zero when none started; the failed attempt itself is answered
// as a failure, and the next one is refused by Check.
func (l *Limiter) Fail(ctx context.Context, a Attempt) (time.Duration, error) {
	now := l.cfg.Now()
	var started time.Duration
	for _, k := range l.keys(a) {
		var lock time.Duration
		_, err := l.store.UpdateThrottle(ctx, k.key, func(t signet.Throttle) (signet.Throttle, error) {
			t, lock = fail(t, k.limits, now)
			return t, nil
		})
		if err != nil {
			return 0, fmt.Errorf("throttle: %w", err)
		}
		started = max(started, lock)
	}
	if started > 0 {
		started = roundUp(started)
	}
	return started, nil
}

// Succeed resets the account's counter after a successful login. The
// address's counter is left alone.
func (l *Limiter) Succeed(ctx context.Context, a Attempt) error {
	for _, k := range l.keys(Attempt{Email: a.Email}) {
		_, err := l.store.UpdateThrottle(ctx, k.key, func(signet.Throttle) (signet.Throttle, error) {
			return signet.Throttle{}, nil // a zero throttle deletes the record
		})
		if err != nil {
			return fmt.Errorf("throttle: %w", err)
		}
	}
	return nil
}

// Purge deletes counters that no longer hold anything worth keeping: not
// locked, and untouched for longer than both windows and forget times.
func (l *Limiter) Purge(ctx context.Context) (int64, error) {
	keep := max(l.cfg.Account.Window, l.cfg.Account.Forget, l.cfg.Address.Window, l.cfg.Address.Forget)
	return l.store.PurgeThrottles(ctx, l.cfg.Now().Add(-keep))
}

// fail is the rule for one failure on one counter at now. It returns the new
// state and the length of the lock it started, if any. A failure that races
// past Check while the counter is locked changes nothing.
func fail(t signet.Throttle, lim Limits, now time.Time) (signet.Throttle, time.Duration) {
	if locked, _ := t.Locked(now); locked {
		return t, 0
	}
	if t.Lockouts > 0 && !now.Before(t.LockedUntil.Add(lim.Forget)) {
		t.Lockouts = 0
	}
	if t.WindowStart.IsZero() || !now.Before(t.WindowStart.Add(lim.Window)) {
		t.Failures, t.WindowStart = 0, now
	}
	t.Failures++
	t.UpdatedAt = now
	if t.Failures < lim.MaxFailures {
		return t, 0
	}
	t.Lockouts++
	lock := lim.lockFor(t.Lockouts)
	t.LockedUntil = now.Add(lock)
	t.Failures, t.WindowStart = 0, time.Time{}
	return t, lock
}

// roundUp rounds d up to a whole second, at least one: Retry-After counts
// seconds, and a client that retries early is refused again.
func roundUp(d time.Duration) time.Duration {
	return max(time.Second, (d+time.Second-1)/time.Second*time.Second)
}
