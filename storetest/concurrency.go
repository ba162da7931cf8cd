package storetest

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var concurrencyTests = []test{
	{"RotateSameTokenInGrace", testConcurrentRotateGrace},
	{"RotateSameTokenNoGrace", testConcurrentRotateNoGrace},
	{"ThrottleCounts", testConcurrentThrottle},
	{"RevocationCursors", testConcurrentRevocations},
}

// racers is how many goroutines race on one record.
const racers = 16

// race runs fn in racers goroutines released at once and returns their
// results in no particular order.
func race[T any](fn func() T) []T {
	var (
		start = make(chan struct{})
		mu    sync.Mutex
		out   []T
		wg    sync.WaitGroup
	)
	for range racers {
		wg.Go(func() {
			<-start
			v := fn()
			mu.Lock()
			out = append(out, v)
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return out
}

type rotation struct {
	res signet.RotationResult
	err error
}

// testConcurrentRotateGrace: racers present one token at the same instant,
// inside the grace window. Every one succeeds with a distinct sibling, the
// token is rotated exactly once (one successor recorded), and the session
// stays live. No store error may surface (no SQLITE_BUSY, no deadlock).
func testConcurrentRotateGrace(t *testing.T, s signet.Store) {
	c := newClock()
	sess, a := createSession(t, s, c, createUser(t, s, c, "alice@example.com"))
	p := policy{now: c.Now(), grace: grace}
	results := race(func() rotation {
		res, err := s.RotateRefreshToken(t.Context(), a, p.rotate)
		return rotation{res, err}
	})

	issued := map[string]bool{}
	for _, r := range results {
		must(t, r.err)
		if r.res.Issued == nil || !bytes.Equal(r.res.Issued.Parent, a) {
			t.Fatalf("racer got %+v, want a sibling of the presented token", r.res.Issued)
		}
		issued[string(r.res.Issued.Hash)] = true
	}
	if len(issued) != racers {
		t.Fatalf("%d distinct tokens issued, want %d", len(issued), racers)
	}
	tok := getToken(t, s, a)
	if !issued[string(tok.ReplacedBy)] || !tok.RotatedAt.Equal(c.Now()) {
		t.Fatalf("presented token %+v: want one rotation, to one of the issued tokens", tok)
	}
	for h := range issued {
		if got := getToken(t, s, []byte(h)); got.Rotated() || got.SessionID != sess.ID {
			t.Fatalf("issued token %+v is not a current token of the session", got)
		}
	}
	got, err := s.Session(t.Context(), sess.ID)
	must(t, err)
	if got.Revoked() {
		t.Fatal("session revoked by rotations inside the grace window")
	}
}

// testConcurrentRotateNoGrace: with no grace window, exactly one racer gets
// a token; the next one is reuse and revokes the session; every other one
// finds the session ended. The winner's token is dead with its family.
func testConcurrentRotateNoGrace(t *testing.T, s signet.Store) {
	c := newClock()
	sess, a := createSession(t, s, c, createUser(t, s, c, "bob@example.com"))
	p := policy{now: c.Now(), grace: 0}
	results := race(func() rotation {
		res, err := s.RotateRefreshToken(t.Context(), a, p.rotate)
		return rotation{res, err}
	})

	var winners, reuses, ended int
	var won []byte
	for _, r := range results {
		switch {
		case errors.Is(r.err, errEnded):
			ended++
		case r.err != nil:
			t.Fatalf("undocumented error: %v", r.err)
		case r.res.Issued != nil:
			winners, won = winners+1, r.res.Issued.Hash
		case len(r.res.Revoked) == 1 && r.res.Revoked[0].ID == sess.ID:
			reuses++
		default:
			t.Fatalf("racer neither won, revoked nor was refused: %+v", r.res)
		}
	}
	if winners != 1 || reuses != 1 || ended != racers-2 {
		t.Fatalf("winners=%d reuses=%d ended=%d, want 1, 1, %d", winners, reuses, ended, racers-2)
	}
	wantEqual(t, "feed", feed(t, s), []string{"sid:" + sess.ID})
	_, err := s.RotateRefreshToken(t.Context(), won, policy{now: c.Now(), grace: grace}.rotate)
	wantErr(t, err, errEnded)
}

// testConcurrentThrottle: concurrent failed logins all count.
func testConcurrentThrottle(t *testing.T, s signet.Store) {
	c := newClock()
	key := signet.ThrottleKey{Scope: signet.ThrottleAccount, Key: "carol@example.com"}
	errs := race(func() error {
		_, err := s.UpdateThrottle(t.Context(), key, func(th signet.Throttle) (signet.Throttle, error) {
			th.Failures++
			th.UpdatedAt = c.Now()
			return th, nil
		})
		return err
	})
	for _, err := range errs {
		must(t, err)
	}
	th, err := s.Throttle(t.Context(), key)
	must(t, err)
	if th.Failures != racers {
		t.Fatalf("Failures = %d, want %d: updates were lost", th.Failures, racers)
	}
}

// testConcurrentRevocations: entries added at once get distinct cursors, and
// listing after any cursor returns exactly the entries that follow it.
func testConcurrentRevocations(t *testing.T, s signet.Store) {
	c := newClock()
	results := race(func() []signet.Revocation {
		rs, err := s.AddRevocations(t.Context(), signet.Revocation{Kind: signet.RevokeJTI,
			Value: signet.NewID(), ExpiresAt: c.After(time.Hour), CreatedAt: c.Now()})
		if err != nil {
			t.Errorf("AddRevocations: %v", err)
		}
		return rs
	})
	if t.Failed() {
		return
	}
	all, err := s.RevocationsAfter(t.Context(), 0, signet.MaxListLimit)
	must(t, err)
	if len(all) != racers || len(results) != racers {
		t.Fatalf("%d entries stored, want %d", len(all), racers)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Cursor <= all[i-1].Cursor {
			t.Fatalf("cursors out of order: %d then %d", all[i-1].Cursor, all[i].Cursor)
		}
		after, err := s.RevocationsAfter(t.Context(), all[i-1].Cursor, signet.MaxListLimit)
		must(t, err)
		wantEqual(t, "entries after a cursor", after, all[i:])
	}
}
