package throttle_test

import (
	"errors"
	"github.com/signet-dev/signet/internal/fakes"
	"path/filepath"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/sqlite"
	"github.com/signet-dev/signet/throttle"
)

// clock is the shared fake clock.
type clock = fakes.Clock

func newLimiter(t *testing.T, c throttle.Config) (*throttle.Limiter, *clock, signet.ThrottleStore) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "signet.db"), sqlite.Options{})
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	clk := fakes.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	c.Now = clk.Now
	l, err := throttle.New(st, c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l, clk, st
}

// failN records n failures and fails the test on a store error.
func failN(t *testing.T, l *throttle.Limiter, a throttle.Attempt, n int) time.Duration {
	t.Helper()
	var last time.Duration
	for range n {
		d, err := l.Fail(t.Context(), a)
		if err != nil {
			t.Fatalf("Fail: %v", err)
		}
		last = d
	}
	return last
}

// retryAfter returns the lock Check reports, or zero when it allows.
func retryAfter(t *testing.T, l *throttle.Limiter, a throttle.Attempt) time.Duration {
	t.Helper()
	err := l.Check(t.Context(), a)
	if err == nil {
		return 0
	}
	var le *throttle.LockedError
	if !errors.As(err, &le) || !errors.Is(err, throttle.ErrLocked) {
		t.Fatalf("Check: %v, want a *LockedError", err)
	}
	return le.RetryAfter
}

func TestAccountLockAndBackoff(t *testing.T) {
	t.Parallel()
	l, clk, _ := newLimiter(t, throttle.Config{})
	a := throttle.Attempt{Email: "  Alice@Example.com "}
	if got := failN(t, l, a, 4); got != 0 {
		t.Fatalf("4 failures started a lock of %v", got)
	}
	if d := retryAfter(t, l, a); d != 0 {
		t.Fatalf("locked after 4 failures: %v", d)
	}
	wants := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	failN(t, l, a, 1)
	for i, want := range wants {
		if d := retryAfter(t, l, throttle.Attempt{Email: "alice@example.com"}); d != want {
			t.Fatalf("lock %d: Retry-After %v, want %v", i+1, d, want)
		}
		clk.Advance(want)
		if d := retryAfter(t, l, a); d != 0 {
			t.Fatalf("still locked after the lock ended: %v", d)
		}
		if i+1 < len(wants) {
			if got := failN(t, l, a, 5); got != wants[i+1] {
				t.Fatalf("lock %d started %v, want %v", i+2, got, wants[i+1])
			}
		}
	}
}

func TestBackoffCapAndForget(t *testing.T) {
	t.Parallel()
	l, clk, _ := newLimiter(t, throttle.Config{Account: throttle.Limits{MaxFailures: 1, MaxLock: 4 * time.Minute}})
	a := throttle.Attempt{Email: "bob@example.com"}
	for _, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
		if got := failN(t, l, a, 1); got != want {
			t.Fatalf("lock %v, want %v", got, want)
		}
		clk.Advance(want)
	}
	clk.Advance(24 * time.Hour)
	if got := failN(t, l, a, 1); got != time.Minute {
		t.Fatalf("after a quiet day the lock is %v, want 1m again", got)
	}
}

func TestWindowExpires(t *testing.T) {
	t.Parallel()
	l, clk, _ := newLimiter(t, throttle.Config{})
	a := throttle.Attempt{Email: "carol@example.com"}
	failN(t, l, a, 4)
	clk.Advance(15 * time.Minute)
	if got := failN(t, l, a, 4); got != 0 {
		t.Fatalf("failures of an old window counted: lock %v", got)
	}
}

func TestSucceedResetsAccountOnly(t *testing.T) {
	t.Parallel()
	l, _, _ := newLimiter(t, throttle.Config{Address: throttle.Limits{MaxFailures: 6}})
	a := throttle.Attempt{Email: "dave@example.com", Address: "203.0.113.9"}
	failN(t, l, a, 4)
	if err := l.Succeed(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	if got := failN(t, l, a, 2); got != time.Minute {
		t.Fatalf("the address counter was reset by a success: lock %v", got)
	}
	if d := retryAfter(t, l, throttle.Attempt{Email: "someone@else.example", Address: "203.0.113.9"}); d != time.Minute {
		t.Fatalf("address lock does not apply to another account: %v", d)
	}
	if d := retryAfter(t, l, throttle.Attempt{Email: "dave@example.com"}); d != 0 {
		t.Fatalf("account locked after a success and 2 failures: %v", d)
	}
}

func TestAddressKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		first, then string
		shared      bool
	}{
		{"same IPv6 /64", "2001:db8:1:2::1", "2001:db8:1:2:ffff::7", true},
		{"other IPv6 /64", "2001:db8:1:2::1", "2001:db8:1:3::1", false},
		{"IPv4-mapped", "::ffff:198.51.100.4", "198.51.100.4", true},
		{"other IPv4", "198.51.100.4", "198.51.100.5", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _, _ := newLimiter(t, throttle.Config{Address: throttle.Limits{MaxFailures: 2}})
			failN(t, l, throttle.Attempt{Address: tt.first}, 2)
			locked := retryAfter(t, l, throttle.Attempt{Address: tt.then}) > 0
			if locked != tt.shared {
				t.Fatalf("%s then %s: locked = %v, want %v", tt.first, tt.then, locked, tt.shared)
			}
		})
	}
}

func TestStoreKeepsNoEmail(t *testing.T) {
	t.Parallel()
	l, _, st := newLimiter(t, throttle.Config{})
	failN(t, l, throttle.Attempt{Email: "secret-looking@example.com"}, 1)
	th, err := st.Throttle(t.Context(), signet.ThrottleKey{Scope: signet.ThrottleAccount, Key: "secret-looking@example.com"})
	if err != nil || th.Failures != 0 {
		t.Fatalf("the store holds a counter under the plain email: %+v, %v", th, err)
	}
	n, err := st.PurgeThrottles(t.Context(), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || n != 1 {
		t.Fatalf("PurgeThrottles = %d, %v; want the one counter, under a digest", n, err)
	}
}

func TestOffAndPurge(t *testing.T) {
	t.Parallel()
	l, clk, _ := newLimiter(t, throttle.Config{Address: throttle.Limits{MaxFailures: -1}})
	a := throttle.Attempt{Email: "erin@example.com", Address: "192.0.2.1"}
	failN(t, l, throttle.Attempt{Address: "192.0.2.1"}, 500)
	if d := retryAfter(t, l, a); d != 0 {
		t.Fatalf("address throttle is off but locked: %v", d)
	}
	failN(t, l, a, 2)
	clk.Advance(25 * time.Hour)
	if n, err := l.Purge(t.Context()); err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want 1", n, err)
	}
}

func TestBadLimits(t *testing.T) {
	t.Parallel()
	_, err := throttle.New(nil, throttle.Config{Account: throttle.Limits{Lock: time.Hour, MaxLock: time.Minute}})
	if err == nil {
		t.Fatal("a lock longer than MaxLock was accepted")
	}
}
