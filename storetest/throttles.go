package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var throttleTests = []test{
	{"RoundTrip", testThrottleRoundTrip},
	{"ScopesApart", testThrottleScopes},
	{"Refused", testThrottleRefused},
	{"Purge", testThrottlePurge},
}

// fail is what the throttle logic does on a failed login: count, and lock
// with exponential back-off after limit failures.
func fail(now time.Time, limit int) func(signet.Throttle) (signet.Throttle, error) {
	return func(th signet.Throttle) (signet.Throttle, error) {
		if th.WindowStart.IsZero() {
			th.WindowStart = now
		}
		th.Failures++
		if th.Failures >= limit {
			th.LockedUntil = now.Add(time.Minute << th.Lockouts)
			th.Lockouts++
			th.Failures, th.WindowStart = 0, time.Time{}
		}
		th.UpdatedAt = now
		return th, nil
	}
}

func testThrottleRoundTrip(t *testing.T, s signet.Store) {
	c := newClock()
	key := signet.ThrottleKey{Scope: signet.ThrottleAccount, Key: "alice@example.com"}
	th, err := s.Throttle(t.Context(), key)
	must(t, err)
	wantEqual(t, "unknown throttle", th, signet.Throttle{ThrottleKey: key})

	th, err = s.UpdateThrottle(t.Context(), key, fail(c.Now(), 3))
	must(t, err)
	want := signet.Throttle{ThrottleKey: key, Failures: 1, WindowStart: c.Now(), UpdatedAt: c.Now()}
	wantEqual(t, "after one failure", th, want)
	c.Advance(time.Second)
	_, err = s.UpdateThrottle(t.Context(), key, fail(c.Now(), 3))
	must(t, err)
	th, err = s.UpdateThrottle(t.Context(), key, fail(c.Now(), 3))
	must(t, err)
	want = signet.Throttle{ThrottleKey: key, LockedUntil: c.After(time.Minute), Lockouts: 1, UpdatedAt: c.Now()}
	wantEqual(t, "after the limit", th, want)
	got, err := s.Throttle(t.Context(), key)
	must(t, err)
	wantEqual(t, "stored throttle", got, want)
	if locked, wait := got.Locked(c.Now()); !locked || wait != time.Minute {
		t.Fatalf("Locked = %v, %v; want true, 1m", locked, wait)
	}

	// A success resets the throttle; the record goes.
	th, err = s.UpdateThrottle(t.Context(), key, func(signet.Throttle) (signet.Throttle, error) {
		return signet.Throttle{}, nil
	})
	must(t, err)
	wantEqual(t, "after reset", th, signet.Throttle{ThrottleKey: key})
	got, err = s.Throttle(t.Context(), key)
	must(t, err)
	wantEqual(t, "stored after reset", got, signet.Throttle{ThrottleKey: key})
}

func testThrottleScopes(t *testing.T, s signet.Store) {
	c := newClock()
	acct := signet.ThrottleKey{Scope: signet.ThrottleAccount, Key: "203.0.113.7"}
	addr := signet.ThrottleKey{Scope: signet.ThrottleAddress, Key: "203.0.113.7"}
	for range 2 {
		_, err := s.UpdateThrottle(t.Context(), addr, fail(c.Now(), 10))
		must(t, err)
	}
	th, err := s.Throttle(t.Context(), acct)
	must(t, err)
	if !th.IsZero() {
		t.Fatalf("account throttle counts the address's failures: %+v", th)
	}
	th, err = s.Throttle(t.Context(), addr)
	must(t, err)
	if th.Failures != 2 {
		t.Fatalf("address failures = %d, want 2", th.Failures)
	}
}

func testThrottleRefused(t *testing.T, s signet.Store) {
	c := newClock()
	key := signet.ThrottleKey{Scope: signet.ThrottleAddress, Key: "198.51.100.1"}
	_, err := s.UpdateThrottle(t.Context(), key, fail(c.Now(), 10))
	must(t, err)
	errMine := errors.New("refused by the caller")
	_, err = s.UpdateThrottle(t.Context(), key, func(th signet.Throttle) (signet.Throttle, error) {
		th.Failures = 99
		return th, errMine
	})
	wantErr(t, err, errMine)
	th, err := s.Throttle(t.Context(), key)
	must(t, err)
	if th.Failures != 1 {
		t.Fatalf("Failures = %d after a refused update, want 1", th.Failures)
	}
	for _, bad := range []signet.ThrottleKey{{Scope: "user", Key: "x"}, {Scope: signet.ThrottleAccount}} {
		_, err := s.Throttle(t.Context(), bad)
		wantErr(t, err, signet.ErrInvalid)
		_, err = s.UpdateThrottle(t.Context(), bad, fail(c.Now(), 10))
		wantErr(t, err, signet.ErrInvalid)
	}
}

func testThrottlePurge(t *testing.T, s signet.Store) {
	c := newClock()
	idle := signet.ThrottleKey{Scope: signet.ThrottleAddress, Key: "192.0.2.1"}
	locked := signet.ThrottleKey{Scope: signet.ThrottleAddress, Key: "192.0.2.2"}
	recent := signet.ThrottleKey{Scope: signet.ThrottleAddress, Key: "192.0.2.3"}
	_, err := s.UpdateThrottle(t.Context(), idle, fail(c.Now(), 10))
	must(t, err)
	_, err = s.UpdateThrottle(t.Context(), locked, func(th signet.Throttle) (signet.Throttle, error) {
		th.LockedUntil, th.Lockouts, th.UpdatedAt = c.After(2*time.Hour), 5, c.Now()
		return th, nil
	})
	must(t, err)
	c.Advance(time.Hour)
	_, err = s.UpdateThrottle(t.Context(), recent, fail(c.Now(), 10))
	must(t, err)

	n, err := s.PurgeThrottles(t.Context(), c.Now())
	must(t, err)
	if n != 1 {
		t.Fatalf("purged %d throttles, want 1", n)
	}
	for key, wantKept := range map[signet.ThrottleKey]bool{idle: false, locked: true, recent: true} {
		th, err := s.Throttle(t.Context(), key)
		must(t, err)
		if kept := !th.IsZero(); kept != wantKept {
			t.Fatalf("throttle %s kept = %v, want %v", key.Key, kept, wantKept)
		}
	}
}
