package postgres

import (
	"bytes"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
)

// instances opens n Stores on one new database: n signet instances, each
// with its own pool.
func instances(t *testing.T, n int) []*Store {
	t.Helper()
	dsn := testenv.NewPostgresDB(t)
	out := make([]*Store, n)
	for i := range out {
		out[i] = openTest(t, dsn, Options{})
	}
	return out
}

var errEnded = errors.New("session ended")

// refreshPolicy is PRODUCT.md's refresh rule, as the account service
// writes it: a sibling inside the grace window, reuse after it revokes the
// session.
func refreshPolicy(now time.Time, grace time.Duration) signet.RotateFunc {
	return func(tok signet.RefreshToken, sess signet.Session, u signet.User) (signet.Rotation, error) {
		switch {
		case sess.Revoked() || u.Disabled:
			return signet.Rotation{}, errEnded
		case tok.Rotated() && !tok.InGrace(now, grace):
			return signet.Rotation{Revoke: &signet.SessionRevocation{SessionID: sess.ID,
				At: now, FeedUntil: now.Add(15 * time.Minute)}}, nil
		}
		hash := signet.HashRefreshToken(rand.Text())
		return signet.Rotation{At: now, IdleExpiresAt: now.Add(time.Hour), Issue: &signet.RefreshToken{
			Hash: hash, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}}, nil
	}
}

// seedSession stores a user and a session with its first token.
func seedSession(t testing.TB, s *Store) (signet.Session, []byte) {
	t.Helper()
	now := epochForTest
	u := signet.User{ID: signet.NewID(), Email: signet.NewID() + "@example.com", CreatedAt: now, UpdatedAt: now}
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	sess := signet.Session{ID: signet.NewID(), UserID: u.ID, ClientID: "signet", CreatedAt: now,
		LastUsedAt: now, IdleExpiresAt: now.Add(time.Hour), ExpiresAt: now.Add(24 * time.Hour), AuthTime: now}
	hash := signet.HashRefreshToken(rand.Text())
	if err := s.CreateSession(t.Context(), sess, signet.RefreshToken{Hash: hash, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return sess, hash
}

type rotationOutcome struct {
	res signet.RotationResult
	err error
}

// raceRotations presents hash perStore times at once on each store.
func raceRotations(t *testing.T, stores []*Store, perStore int, hash []byte, fn signet.RotateFunc) []rotationOutcome {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		out   []rotationOutcome
		start = make(chan struct{})
	)
	for _, s := range stores {
		for range perStore {
			wg.Go(func() {
				<-start
				res, err := s.RotateRefreshToken(t.Context(), hash, fn)
				mu.Lock()
				out = append(out, rotationOutcome{res, err})
				mu.Unlock()
			})
		}
	}
	close(start)
	wg.Wait()
	return out
}

// TestRotateAcrossInstancesInGrace: one token presented at once through
// three instances, inside the grace window: every request gets its own
// sibling, the token is rotated exactly once, the session lives.
func TestRotateAcrossInstancesInGrace(t *testing.T) {
	t.Parallel()
	stores := instances(t, 3)
	sess, hash := seedSession(t, stores[0])
	results := raceRotations(t, stores, 8, hash, refreshPolicy(epochForTest, 10*time.Second))
	issued := map[string]bool{}
	for _, r := range results {
		if r.err != nil {
			t.Fatalf("RotateRefreshToken: %v", r.err)
		}
		if r.res.Issued == nil || !bytes.Equal(r.res.Issued.Parent, hash) {
			t.Fatalf("a request got %+v, want a sibling", r.res.Issued)
		}
		issued[string(r.res.Issued.Hash)] = true
	}
	if len(issued) != len(results) {
		t.Fatalf("%d distinct tokens for %d requests", len(issued), len(results))
	}
	tok, err := stores[1].RefreshToken(t.Context(), hash)
	if err != nil {
		t.Fatal(err)
	}
	if !issued[string(tok.ReplacedBy)] || !tok.RotatedAt.Equal(epochForTest) {
		t.Fatalf("presented token %+v: want rotated once, to an issued token", tok)
	}
	got, err := stores[2].Session(t.Context(), sess.ID)
	if err != nil || got.Revoked() {
		t.Fatalf("session after rotations in grace: %+v, %v", got, err)
	}
}

// TestRotateAcrossInstancesNoGrace: without a grace window exactly one
// request wins, exactly one is reuse and revokes the session with one feed
// entry, and every other one finds the session ended. No store error.
func TestRotateAcrossInstancesNoGrace(t *testing.T) {
	t.Parallel()
	stores := instances(t, 3)
	sess, hash := seedSession(t, stores[0])
	results := raceRotations(t, stores, 8, hash, refreshPolicy(epochForTest, 0))
	var winners, reuses, ended int
	for _, r := range results {
		switch {
		case errors.Is(r.err, errEnded):
			ended++
		case r.err != nil:
			t.Fatalf("undocumented error: %v", r.err)
		case r.res.Issued != nil:
			winners++
		case len(r.res.Revoked) == 1 && r.res.Revoked[0].ID == sess.ID:
			reuses++
		default:
			t.Fatalf("a request neither won, revoked nor was refused: %+v", r.res)
		}
	}
	if winners != 1 || reuses != 1 || ended != len(results)-2 {
		t.Fatalf("winners=%d reuses=%d ended=%d of %d", winners, reuses, ended, len(results))
	}
	feed, err := stores[1].RevocationsAfter(t.Context(), 0, 0)
	if err != nil || len(feed) != 1 || feed[0].Value != sess.ID {
		t.Fatalf("feed = %+v, %v; want one sid entry", feed, err)
	}
}

// TestRotateSiblingsAgainstReuse: siblings of one session rotated through
// several instances while their parent is reused: the rotations of
// different tokens of one session wait on the session's row, so the
// revocation happens once, and no request fails with a store error (a
// deadlock that retries did not absorb).
func TestRotateSiblingsAgainstReuse(t *testing.T) {
	t.Parallel()
	stores := instances(t, 3)
	sess, a := seedSession(t, stores[0])
	in := refreshPolicy(epochForTest, 10*time.Second)
	var siblings [][]byte
	for range 6 {
		res, err := stores[0].RotateRefreshToken(t.Context(), a, in)
		if err != nil {
			t.Fatal(err)
		}
		siblings = append(siblings, res.Issued.Hash)
	}
	later := epochForTest.Add(time.Minute) // past the window: presenting a is reuse
	var wg sync.WaitGroup
	var mu sync.Mutex
	var revokes, issued int
	for i, h := range append(siblings, a) {
		s := stores[i%len(stores)]
		wg.Go(func() {
			res, err := s.RotateRefreshToken(t.Context(), h, refreshPolicy(later, 10*time.Second))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, errEnded):
			case err != nil:
				t.Errorf("RotateRefreshToken: %v", err)
			case res.Issued != nil:
				issued++
			case len(res.Revoked) == 1:
				revokes++
			}
		})
	}
	wg.Wait()
	if revokes != 1 {
		t.Fatalf("%d requests revoked the session, want 1", revokes)
	}
	got, err := stores[0].Session(t.Context(), sess.ID)
	if err != nil || !got.Revoked() {
		t.Fatalf("session %+v, %v: want revoked", got, err)
	}
	t.Logf("%d siblings rotated before the reuse revoked the session", issued)
}
