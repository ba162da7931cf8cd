package postgres

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

func jti(value string) signet.Revocation {
	return signet.Revocation{Kind: signet.RevokeJTI, Value: value,
		ExpiresAt: epochForTest.Add(time.Hour), CreatedAt: epochForTest}
}

// waitForLockWait waits until a backend of s's database waits for a lock,
// or fails t after ten seconds.
func waitForLockWait(t *testing.T, s *Store) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var n int
		err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("no backend started waiting for a lock")
}

// TestRevocationCursorsInCommitOrder: a writer that has taken its cursors
// but not committed holds back every later writer, so the later entry,
// with the larger cursor, cannot become visible first. With a sequence, the
// second writer would commit at once and a follower would read its cursor
// and skip the first writer's entry for ever.
func TestRevocationCursorsInCommitOrder(t *testing.T) {
	t.Parallel()
	stores := instances(t, 2)
	tx, err := stores[0].pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	first, err := insertRevocationsTx(t.Context(), tx, []signet.Revocation{jti("first")})
	if err != nil {
		t.Fatal(err)
	}

	done := make(chan []signet.Revocation, 1)
	go func() {
		rs, err := stores[1].AddRevocations(context.Background(), jti("second"))
		if err != nil {
			t.Errorf("AddRevocations: %v", err)
		}
		done <- rs
	}()
	waitForLockWait(t, stores[1])
	if seen, err := stores[1].RevocationsAfter(t.Context(), 0, 0); err != nil || len(seen) != 0 {
		t.Fatalf("a follower sees %+v (%v) while the first writer is open", seen, err)
	}
	if err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	second := <-done
	if len(second) != 1 || second[0].Cursor != first[0].Cursor+1 {
		t.Fatalf("second writer got %+v after the first's cursor %d", second, first[0].Cursor)
	}
}

// TestFollowerMissesNothing: writers on three instances add entries while
// a follower reads after its cursor in a loop. Cursors have no gaps and
// appear in order, so every page the follower reads starts right after its
// cursor, and at the end it has seen every entry exactly once.
func TestFollowerMissesNothing(t *testing.T) {
	t.Parallel()
	stores := instances(t, 3)
	const writersPerStore, batches = 3, 10
	total := len(stores) * writersPerStore * batches * 2
	var wg sync.WaitGroup
	for _, s := range stores {
		for range writersPerStore {
			wg.Go(func() {
				for range batches {
					if _, err := s.AddRevocations(t.Context(), jti(signet.NewID()), jti(signet.NewID())); err != nil {
						t.Errorf("AddRevocations: %v", err)
						return
					}
				}
			})
		}
	}
	var cursor int64
	seen := map[string]bool{}
	for deadline := time.Now().Add(20 * time.Second); len(seen) < total && time.Now().Before(deadline); {
		page, err := stores[0].RevocationsAfter(t.Context(), cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			if r.Cursor != cursor+1 {
				t.Fatalf("follower at %d read cursor %d next: an entry was skipped", cursor, r.Cursor)
			}
			cursor = r.Cursor
			seen[r.Value] = true
		}
	}
	wg.Wait()
	if len(seen) != total {
		t.Fatalf("follower saw %d entries of %d", len(seen), total)
	}
	b, err := stores[2].RevocationBounds(t.Context())
	if err != nil || b.Latest != int64(total) || b.Oldest != 1 {
		t.Fatalf("bounds %+v, %v; want 1..%d", b, err, total)
	}
}

// TestRevocationRollbackLeavesNoGap: a transaction that took cursors and
// rolled back gives them back.
func TestRevocationRollbackLeavesNoGap(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	err := s.inTx(t.Context(), func(tx pgx.Tx) error {
		if _, err := insertRevocationsTx(t.Context(), tx, []signet.Revocation{jti("a"), jti("b")}); err != nil {
			return err
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
	rs, err := s.AddRevocations(t.Context(), jti("c"))
	if err != nil || rs[0].Cursor != 1 {
		t.Fatalf("cursor after a rolled-back writer = %+v, %v; want 1", rs, err)
	}
}
