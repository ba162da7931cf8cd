package verify

import (
	"sync/atomic"
	"time"
)

// coarseTick is how stale the coarse clock may be.
const coarseTick = 100 * time.Millisecond

// coarseClock serves the cache's hot path without reading the system clock,
// which costs about 50 ns on a virtual machine, a third of a cached
// verification. While it is being read, a timer refreshes it every
// coarseTick; a tick that finds it unread since the last one stops the
// timer, and the next read starts it again, so an idle verifier costs
// nothing. It is used only with the real clocks: a clock given with
// WithClock is read exactly on every call.
//
// Its error, at most coarseTick, is far below what it is compared with: a
// token's exp has one-second resolution and the leeway is 30 s; the
// staleness bound of the revocation feed is minutes.
type coarseClock struct {
	base time.Time    // origin of mono, with a monotonic reading
	unix atomic.Int64 // wall-clock seconds at the last tick; 0 while stopped
	mono atomic.Int64 // nanoseconds from base to the last tick
	used atomic.Bool  // read since the last tick
}

func newCoarseClock() *coarseClock { return &coarseClock{base: time.Now()} }

// read returns the wall-clock time in seconds and the time since base.
func (c *coarseClock) read() (unix int64, mono time.Duration) {
	u := c.unix.Load()
	if u == 0 {
		return c.start()
	}
	if !c.used.Load() { // a store only once per tick: no write sharing among cores
		c.used.Store(true)
	}
	return u, time.Duration(c.mono.Load())
}

// start reads the real clock, and arms the ticker unless another reader did.
func (c *coarseClock) start() (int64, time.Duration) {
	now := time.Now()
	u, m := now.Unix(), now.Sub(c.base)
	c.mono.Store(int64(m))
	if c.unix.CompareAndSwap(0, u) {
		c.used.Store(true)
		time.AfterFunc(coarseTick, c.tick)
	}
	return u, m
}

func (c *coarseClock) tick() {
	if !c.used.Swap(false) {
		c.unix.Store(0)
		return
	}
	now := time.Now()
	c.mono.Store(int64(now.Sub(c.base)))
	c.unix.Store(now.Unix())
	time.AfterFunc(coarseTick, c.tick)
}
