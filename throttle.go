package signet

import (
	"context"
	"time"
)

// ThrottleScope says what a login throttle counts failures for.
type ThrottleScope string

// Throttles are kept per account and per client address (SECURITY.md rule
// 10), so neither rotating accounts from one address nor rotating addresses
// against one account escapes them.
const (
	ThrottleAccount ThrottleScope = "account" // key: the normalized email tried
	ThrottleAddress ThrottleScope = "address" // key: the client address
)

// ThrottleKey names one throttle.
type ThrottleKey struct {
	Scope ThrottleScope
	Key   string
}

// Validate reports an EINVALID error for an unknown scope or an empty key.
func (k ThrottleKey) Validate() error {
	if (k.Scope != ThrottleAccount && k.Scope != ThrottleAddress) || k.Key == "" {
		return Errorf(EINVALID, "throttle: unknown scope or empty key")
	}
	return nil
}

// Throttle is the state of one login throttle. The store only keeps it; the
// throttle logic decides what a failure or a success does to it (windows,
// limits, back-off). Kept in the store so that every instance behind a load
// balancer shares it.
type Throttle struct {
	ThrottleKey
	Failures    int       // failures counted since WindowStart
	WindowStart time.Time // start of the counting window; zero if none is open
	LockedUntil time.Time // attempts are refused before it; zero if not locked
	Lockouts    int       // locks in a row, for exponential back-off
	UpdatedAt   time.Time
}

// Locked reports whether attempts are refused at now, and for how long.
func (t Throttle) Locked(now time.Time) (bool, time.Duration) {
	if now.Before(t.LockedUntil) {
		return true, t.LockedUntil.Sub(now)
	}
	return false, 0
}

// IsZero reports whether the throttle holds nothing worth keeping.
func (t Throttle) IsZero() bool {
	return t.Failures == 0 && t.LockedUntil.IsZero() && t.Lockouts == 0
}

// ThrottleStore keeps login throttles.
type ThrottleStore interface {
	// Throttle returns the throttle with the given key; a key never seen, or
	// reset, returns a zero Throttle with that key and no error. Each method
	// returns an EINVALID error for a key that fails Validate.
	Throttle(ctx context.Context, key ThrottleKey) (Throttle, error)

	// UpdateThrottle reads the throttle (a zero one if absent), calls fn with
	// it and stores what fn returns, in one transaction under the write lock,
	// so concurrent failed logins all count. A result that IsZero deletes the
	// record. It returns the stored throttle; an error from fn is returned
	// as it is and nothing changes. The key of fn's result is ignored.
	UpdateThrottle(ctx context.Context, key ThrottleKey, fn func(Throttle) (Throttle, error)) (Throttle, error)

	// PurgeThrottles deletes the throttles last updated before the given
	// time and no longer locked at it, and returns how many it deleted.
	PurgeThrottles(ctx context.Context, before time.Time) (int64, error)
}
