package throttle

import (
	"fmt"
	"time"
)

// Limits configure one kind of counter.
type Limits struct {
	// MaxFailures within Window lock the counter. Zero means the default; a
	// negative value turns this kind of counter off.
	MaxFailures int
	// Window is how long failures are counted from the first one.
	Window time.Duration
	// Lock is the length of the first lock; each further lock in a row
	// doubles it, up to MaxLock.
	Lock    time.Duration
	MaxLock time.Duration
	// Forget is how long after the last lock ended, without a new lock, the
	// back-off starts again from Lock.
	Forget time.Duration
}

// Default limits (SECURITY.md rule 10): an account tolerates 5 failures in
// 15 minutes, an address (which may be a NAT in front of many people) 50.
var (
	DefaultAccountLimits = Limits{MaxFailures: 5, Window: 15 * time.Minute,
		Lock: time.Minute, MaxLock: time.Hour, Forget: 24 * time.Hour}
	DefaultAddressLimits = Limits{MaxFailures: 50, Window: 15 * time.Minute,
		Lock: time.Minute, MaxLock: time.Hour, Forget: 24 * time.Hour}
)

// Config configures a Limiter. The zero Config is the default.
type Config struct {
	Account Limits
	Address Limits
	Now     func() time.Time // default time.Now
}

// withDefaults is the one place defaults are applied: each zero member of a
// Limits takes the default's value.
func (c Config) withDefaults() (Config, error) {
	c.Account = c.Account.withDefaults(DefaultAccountLimits)
	c.Address = c.Address.withDefaults(DefaultAddressLimits)
	if c.Now == nil {
		c.Now = time.Now
	}
	for _, l := range []Limits{c.Account, c.Address} {
		if err := l.check(); err != nil {
			return c, err
		}
	}
	return c, nil
}

func (l Limits) withDefaults(d Limits) Limits {
	if l.MaxFailures == 0 {
		l.MaxFailures = d.MaxFailures
	}
	if l.Window == 0 {
		l.Window = d.Window
	}
	if l.Lock == 0 {
		l.Lock = d.Lock
	}
	if l.MaxLock == 0 {
		l.MaxLock = max(d.MaxLock, l.Lock)
	}
	if l.Forget == 0 {
		l.Forget = d.Forget
	}
	return l
}

func (l Limits) check() error {
	if l.off() {
		return nil
	}
	if l.Window <= 0 || l.Lock <= 0 || l.MaxLock < l.Lock || l.Forget <= 0 {
		return fmt.Errorf("throttle: limits need a positive window, lock and forget time, and MaxLock >= Lock")
	}
	return nil
}

func (l Limits) off() bool { return l.MaxFailures < 0 }

// lockFor returns the length of the n-th lock in a row (n >= 1).
func (l Limits) lockFor(n int) time.Duration {
	d := l.Lock
	for i := 1; i < n && d < l.MaxLock; i++ {
		d *= 2
	}
	return min(d, l.MaxLock)
}
