package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
)

// signalWait bounds every wait for a notification: far above the
// milliseconds delivery takes, far below the test's budget.
const signalWait = 10 * time.Second

// wantSignal fails t unless ch yields a value within signalWait.
func wantSignal(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatalf("%s: the subscription ended", what)
		}
	case <-time.After(signalWait):
		t.Fatalf("%s: no signal within %v", what, signalWait)
	}
}

// drain takes a pending value off ch, if one is there.
func drain(ch <-chan struct{}) {
	select {
	case <-ch:
	default:
	}
}

// listenerPID returns the backend pid of the one listener connection of s's
// database, waiting up to signalWait for it to exist and differ from not.
func listenerPID(t *testing.T, s *Store, not int32) int32 {
	t.Helper()
	for deadline := time.Now().Add(signalWait); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var pids []int32
		rows, err := s.pool.Query(t.Context(), `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = $1`, listenerName)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var pid int32
			if err := rows.Scan(&pid); err != nil {
				t.Fatal(err)
			}
			pids = append(pids, pid)
		}
		if len(pids) == 1 && pids[0] != not {
			return pids[0]
		}
	}
	t.Fatalf("no single listener connection other than pid %d", not)
	return 0
}

// TestSubscribeDelivers: an entry committed through one instance wakes the
// subscriber of another; an entry rolled back does not.
func TestSubscribeDelivers(t *testing.T) {
	t.Parallel()
	stores := instances(t, 2)
	ch, err := stores[0].SubscribeRevocations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "first catch-up")
	if _, err := stores[1].AddRevocations(t.Context(), jti("a")); err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "after a commit on another instance")
	rs, err := stores[0].RevocationsAfter(t.Context(), 0, 0)
	if err != nil || len(rs) != 1 {
		t.Fatalf("entries after the signal: %+v, %v", rs, err)
	}
}

// TestSubscribeSurvivesTermination: the listener's connection is killed on
// the server; an entry is committed while it is gone; the subscription
// reconnects by itself, signals so the caller catches up from the table,
// and delivers later notifications on its new connection.
func TestSubscribeSurvivesTermination(t *testing.T) {
	t.Parallel()
	stores := instances(t, 2)
	ch, err := stores[0].SubscribeRevocations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "first catch-up")
	old := listenerPID(t, stores[1], 0)
	var killed bool
	if err := stores[1].pool.QueryRow(t.Context(), `SELECT pg_terminate_backend($1)`, old).Scan(&killed); err != nil || !killed {
		t.Fatalf("pg_terminate_backend = %v, %v", killed, err)
	}
	missed, err := stores[1].AddRevocations(t.Context(), jti("while-down"))
	if err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "after the connection was terminated")
	rs, err := stores[0].RevocationsAfter(t.Context(), 0, 0)
	if err != nil || len(rs) != 1 || rs[0].Cursor != missed[0].Cursor {
		t.Fatalf("catching up after the reconnection: %+v, %v", rs, err)
	}

	listenerPID(t, stores[1], old) // a new connection listens
	drain(ch)
	if _, err := stores[1].AddRevocations(t.Context(), jti("after")); err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "on the new connection")
}

// TestSubscribeIdleCheck: a listener idle past ListenCheck pings its
// connection and keeps it (no reconnection), and still delivers.
func TestSubscribeIdleCheck(t *testing.T) {
	t.Parallel()
	dsn := testenv.NewPostgresDB(t)
	s := openTest(t, dsn, Options{ListenCheck: 20 * time.Millisecond})
	ch, err := s.SubscribeRevocations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "first catch-up")
	pid := listenerPID(t, s, 0)
	time.Sleep(200 * time.Millisecond) // several idle checks
	if got := listenerPID(t, s, 0); got != pid {
		t.Fatalf("listener reconnected (pid %d, then %d) while idle", pid, got)
	}
	select {
	case <-ch:
		t.Fatal("an idle check signalled")
	default:
	}
	if _, err := s.AddRevocations(t.Context(), jti("a")); err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "after idle checks")
}

// TestSubscribeEnds: the channel closes when the context ends, and when the
// Store closes.
func TestSubscribeEnds(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx, cancel := context.WithCancel(t.Context())
	byCtx, err := s.SubscribeRevocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byClose, err := s.SubscribeRevocations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	waitClosed(t, byCtx)
	s.Close()
	waitClosed(t, byClose)
}

func waitClosed(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	timeout := time.After(signalWait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("the subscription did not end")
		}
	}
}

// TestSubscribeRefusesUnreachableServer: a listener's connection to a
// server that is not there fails within its bound, with an error
// (SubscribeRevocations returns it for the first connection).
func TestSubscribeRefusesUnreachableServer(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	l := &listener{cfg: s.listenConfig(), check: time.Second, ch: make(chan struct{}, 1)}
	l.cfg.Port = 1 // nothing listens there
	if _, err := l.connect(t.Context()); err == nil {
		t.Fatal("connect to a closed port succeeded")
	}
}

// TestSubscribeKeys: a change of the signing keys committed through one
// instance wakes the key subscriber of another; an UpdateKeys that changes
// nothing, and a revocation, do not.
func TestSubscribeKeys(t *testing.T) {
	t.Parallel()
	stores := instances(t, 2)
	ch, err := stores[0].SubscribeKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "first catch-up")
	k := signet.SigningKey{KID: "k1", Algorithm: "ES256", State: signet.KeyNext, PublicJWK: []byte(`{}`),
		EncryptedPrivate: []byte("x"), MasterKeyID: "mk", CreatedAt: epochForTest}
	if err := stores[1].CreateKey(t.Context(), k); err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "after CreateKey on another instance")
	nothing := func([]signet.SigningKey) (signet.KeyChange, error) { return signet.KeyChange{}, nil }
	if _, err := stores[1].UpdateKeys(t.Context(), nothing); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[1].AddRevocations(t.Context(), jti("not-a-key")); err != nil {
		t.Fatal(err)
	}
	// Delivery takes milliseconds; a notice that should not exist is given
	// a generous moment to show up.
	select {
	case <-ch:
		t.Fatal("a change that wrote no key, or a revocation, notified the key channel")
	case <-time.After(300 * time.Millisecond):
	}
	retire := func(keys []signet.SigningKey) (signet.KeyChange, error) {
		k := keys[0]
		k.State, k.RetiredAt, k.DeleteAfter = signet.KeyRetired, epochForTest, epochForTest.Add(time.Hour)
		return signet.KeyChange{Put: []signet.SigningKey{k}}, nil
	}
	if _, err := stores[1].UpdateKeys(t.Context(), retire); err != nil {
		t.Fatal(err)
	}
	wantSignal(t, ch, "after UpdateKeys changed a key")
}
