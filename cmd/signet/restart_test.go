package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet/internal/testenv"
	"github.com/signet-dev/signet/postgres"
)

// TestScaleOutRestarts loads two instances sharing a PostgreSQL cluster of
// the test's own, then kills one instance (SIGKILL) and starts it again,
// then crashes and restarts PostgreSQL itself (pg_ctl stop -m immediate),
// all under load. Clients see errors only while something is down; the
// instances recover by themselves; nothing committed is lost.
func TestScaleOutRestarts(t *testing.T) {
	cluster := testenv.NewPostgresCluster(t)
	dsn := cluster.NewDatabase(t)
	in := newFleet(t, dsn).start(t, 2)
	ld := startLoad(t, in)

	ld.waitProgress(t, "load on both instances", 5, nil)
	down := ld.outage()
	in[0].kill()
	ld.waitProgress(t, "load on the surviving instance", 5, func(c *client) bool { return c.target == 1 })
	in[0].restart(t)
	ld.recovered(down, 0)
	ld.waitProgress(t, "load on the restarted instance", 3, func(c *client) bool { return c.target == 0 })

	down = ld.outage()
	cluster.Stop(t, "immediate")
	ld.waitFailing(t, "every client noticing PostgreSQL is down")
	cluster.Start(t)
	ld.recovered(down, -1)
	ld.waitProgress(t, "every client after PostgreSQL came back", 3, nil)
	ld.stopAll()
	t.Logf("%d requests, %d failed while something was down; %d signups and %d refreshes acknowledged",
		ld.requests, ld.failures, len(ld.signedUp), len(ld.refreshed))
	ld.checkErrors(t)
	checkCommitted(t, dsn, ld)

	// The instances follow revocations again: a logout through one is
	// refused by the other within the bound.
	tk := in[0].signupLogin(t, "after-restarts@example.com")
	if r := in[0].call(t, "POST", "/v1/logout", tk.AccessToken, nil, nil); r.StatusCode != 204 {
		t.Fatalf("logout after the restarts: %d", r.StatusCode)
	}
	refusedWithin(t, in[1], tk.AccessToken, time.Now())
}

// client is one loop of the load, bound to one instance: a chain of
// refreshes (each with the token just received, the same one again after
// a failure), or a stream of signups.
type client struct {
	id, target int
	refresh    string // the chain's current refresh token; "" for a signup client
	since      int    // successes since the last mark
	failedLast bool   // the last request failed
	lastErr    error  // the last failure
}

// window is a time when failures are expected: from..until, for the
// clients of one instance or (target -1) of all.
type window struct {
	from, until time.Time
	target      int
}

// load runs the clients until stopAll and records every outcome; mu guards
// every field below it.
type load struct {
	in      []*instance
	stop    chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	clients []*client
	windows []*window
	// unexpected failures: outside every window of their target
	unexpected []string
	requests   int
	failures   int
	signedUp   []string // emails of acknowledged signups
	refreshed  []string // acknowledged refresh tokens
}

func startLoad(t *testing.T, in []*instance) *load {
	ld := &load{in: in, stop: make(chan struct{})}
	for i := range 6 {
		c := &client{id: i, target: i % len(in)}
		if i < 4 {
			c.refresh = in[c.target].signupLogin(t, fmt.Sprintf("chain%d@example.com", i)).RefreshToken
		}
		ld.clients = append(ld.clients, c)
		ld.wg.Go(func() { ld.run(c) })
	}
	t.Cleanup(ld.stopAll)
	return ld
}

func (ld *load) run(c *client) {
	for n := 0; ; n++ {
		select {
		case <-ld.stop:
			return
		default:
		}
		start := time.Now()
		err := ld.once(c, n)
		ld.record(c, start, err)
		if err != nil {
			time.Sleep(20 * time.Millisecond) // a dead server answers at once; do not spin
		}
	}
}

// once makes the client's next request and returns why it failed, if it did.
func (ld *load) once(c *client, n int) error {
	ts := ld.in[c.target].testServer
	if c.refresh == "" {
		email := fmt.Sprintf("load%d-%d@example.com", c.id, n)
		code, err := trySignup(ts.URL, email)
		if err == nil && code != 201 {
			err = fmt.Errorf("signup: status %d", code)
		}
		if err == nil {
			ld.mu.Lock()
			ld.signedUp = append(ld.signedUp, email)
			ld.mu.Unlock()
		}
		return err
	}
	next, code, err := tryRefresh(ts.URL, c.refresh)
	if err == nil && code != 200 {
		err = fmt.Errorf("refresh: status %d", code)
	}
	if err == nil {
		ld.mu.Lock()
		ld.refreshed = append(ld.refreshed, next)
		ld.mu.Unlock()
		c.refresh = next
	}
	return err
}

// record counts an outcome; a failure outside every window of the client's
// target is unexpected.
func (ld *load) record(c *client, start time.Time, err error) {
	end := time.Now()
	ld.mu.Lock()
	defer ld.mu.Unlock()
	ld.requests++
	c.failedLast = err != nil
	if err != nil {
		c.lastErr = err
	}
	if err == nil {
		c.since++
		return
	}
	ld.failures++
	for _, w := range ld.windows {
		if (w.target < 0 || w.target == c.target) && start.Before(w.until) && end.After(w.from) {
			return
		}
	}
	ld.unexpected = append(ld.unexpected, fmt.Sprintf("client %d on instance %d at %s: %v",
		c.id, c.target, start.Format("15:04:05.000"), err))
}

// outage opens a window of expected failures for every client now, until
// recovered closes it and names whose failures it covered.
func (ld *load) outage() *window {
	ld.mu.Lock()
	defer ld.mu.Unlock()
	w := &window{from: time.Now(), until: time.Now().Add(time.Hour), target: -1}
	ld.windows = append(ld.windows, w)
	return w
}

// recovered closes w now, for the clients of target (-1: all).
func (ld *load) recovered(w *window, target int) {
	ld.mu.Lock()
	defer ld.mu.Unlock()
	w.until, w.target = time.Now(), target
}

// waitProgress resets the clients' success counts (of those match selects,
// nil meaning all) and waits until each has made n more.
func (ld *load) waitProgress(t *testing.T, what string, n int, match func(*client) bool) {
	t.Helper()
	ld.mu.Lock()
	var cs []*client
	for _, c := range ld.clients {
		if match == nil || match(c) {
			c.since = 0
			cs = append(cs, c)
		}
	}
	ld.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for !ld.progressed(cs, n) {
		if time.Now().After(deadline) {
			ld.mu.Lock()
			defer ld.mu.Unlock()
			for _, c := range cs {
				t.Logf("client %d on instance %d: %d successes, last failure: %v", c.id, c.target, c.since, c.lastErr)
			}
			t.Fatalf("%s did not happen within 30 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// progressed reports whether each of cs has n successes since its mark.
func (ld *load) progressed(cs []*client, n int) bool {
	ld.mu.Lock()
	defer ld.mu.Unlock()
	for _, c := range cs {
		if c.since < n {
			return false
		}
	}
	return true
}

// waitFailing waits until every client's last request failed.
func (ld *load) waitFailing(t *testing.T, what string) {
	t.Helper()
	eventually(t, 30*time.Second, what, func() bool {
		ld.mu.Lock()
		defer ld.mu.Unlock()
		for _, c := range ld.clients {
			if !c.failedLast {
				return false
			}
		}
		return true
	})
}

func (ld *load) stopAll() {
	select {
	case <-ld.stop:
	default:
		close(ld.stop)
	}
	ld.wg.Wait()
}

func (ld *load) checkErrors(t *testing.T) {
	t.Helper()
	ld.mu.Lock()
	defer ld.mu.Unlock()
	if len(ld.unexpected) > 0 {
		t.Errorf("%d requests failed while nothing was down, e.g.:", len(ld.unexpected))
		for _, e := range ld.unexpected[:min(10, len(ld.unexpected))] {
			t.Error("  ", e)
		}
	}
}

// checkCommitted reads the database: every acknowledged signup and refresh
// token is there, no rotated token lacks its successor, no token its session.
func checkCommitted(t *testing.T, dsn string, ld *load) {
	t.Helper()
	st, err := postgres.Open(context.Background(), dsn, postgres.Options{MaxConns: 2, SkipMigrations: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkAcknowledged(t, st, ld.signedUp, ld.refreshed)
}
