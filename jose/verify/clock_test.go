package verify

import (
	"sync"
	"testing"
	"time"
)

// TestCoarseClock: it tracks the real clock within a tick while read, stops
// its timer when unread, and starts again on the next read.
func TestCoarseClock(t *testing.T) {
	c := newCoarseClock()
	check := func() {
		t.Helper()
		before := time.Now()
		u, m := c.read()
		after := time.Now()
		if u < before.Add(-time.Second).Unix() || u > after.Unix() {
			t.Fatalf("unix %d outside [%d, %d]", u, before.Unix()-1, after.Unix())
		}
		if lo, hi := before.Sub(c.base)-2*coarseTick, after.Sub(c.base); m < lo || m > hi {
			t.Fatalf("mono %v outside [%v, %v]", m, lo, hi)
		}
	}
	check()
	eventually(t, 5*time.Second, "a tick while read", func() bool {
		check()
		_, m := c.read()
		return m > coarseTick/2
	})
	eventually(t, 5*time.Second, "the timer stopping when unread", func() bool { return c.unix.Load() == 0 })
	check()
	if c.unix.Load() == 0 {
		t.Fatal("a read did not restart the clock")
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				c.read()
			}
		}()
	}
	wg.Wait()
}
