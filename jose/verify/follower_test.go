package verify

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

func startFollower(t *testing.T, iss *fakeIssuer, set *RevocationSet, opts ...Option) *Follower {
	t.Helper()
	f, err := NewFollower(iss.URL+"/v1/revocations", iss.URL+"/v1/revocations/stream", StaticToken(testFeedToken), set,
		append([]Option{fastBackoff}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
	})
	return f
}

func waitSynced(t *testing.T, f *Follower) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.WaitSynced(ctx); err != nil {
		t.Fatalf("not synced: %v (%+v)", err, f.Status())
	}
}

func revoked(set *RevocationSet, jti string) func() bool {
	return func() bool { return set.Revoked(&jose.Claims{ID: jti}) }
}

// TestFollowerSyncAndStream: the full list first, then entries as they
// come, then a resume from the cursor after a disconnection.
func TestFollowerSyncAndStream(t *testing.T) {
	iss := newFakeIssuer(t)
	iss.revoke(Entry{Kind: KindJTI, Value: "before"})
	var set RevocationSet
	f := startFollower(t, iss, &set)
	waitSynced(t, f)
	if !set.Revoked(&jose.Claims{ID: "before"}) {
		t.Fatal("the list's entry is missing")
	}
	eventually(t, 5*time.Second, "stream connected", func() bool { return f.Status().Connected })
	iss.revoke(Entry{Kind: KindJTI, Value: "live"})
	eventually(t, 5*time.Second, "a streamed revocation", revoked(&set, "live"))
	st := f.Status()
	if st.Cursor != "2" || st.Entries != 2 || !st.Synced || st.LastEvent.IsZero() || st.Lag > time.Second {
		t.Fatalf("status %+v", st)
	}

	// Disconnect; entries committed meanwhile arrive after the resume, which
	// carries the cursor.
	iss.srv.CloseClientConnections()
	iss.revoke(Entry{Kind: KindJTI, Value: "while-away"})
	eventually(t, 5*time.Second, "the entry committed while away", revoked(&set, "while-away"))
	iss.mu.Lock()
	lastID := iss.lastID
	iss.mu.Unlock()
	if lastID != "2" && lastID != "3" {
		t.Fatalf("resumed with Last-Event-ID %q", lastID)
	}
	if n := iss.listHits.Load(); n != 1 {
		t.Fatalf("%d full lists, want 1: a resume needs none", n)
	}
	if f.Status().Reconnects < 1 {
		t.Fatal("the disconnection was not counted")
	}
}

// TestFollowerCleanEnd: a stream the issuer ends normally is reconnected
// and logged as what it is, not as a failure with a nil error.
func TestFollowerCleanEnd(t *testing.T) {
	iss := newFakeIssuer(t)
	var logs lockedBuffer
	var set RevocationSet
	f := startFollower(t, iss, &set, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	waitSynced(t, f)
	eventually(t, 5*time.Second, "stream connected", func() bool { return f.Status().Connected })
	iss.endStreams()
	eventually(t, 5*time.Second, "a second stream", func() bool { return iss.streamHits.Load() >= 2 })
	eventually(t, 5*time.Second, "the end logged", func() bool {
		return strings.Contains(logs.String(), "the issuer ended the revocation stream")
	})
	if out := logs.String(); strings.Contains(out, "err=<nil>") || strings.Contains(out, "level=WARN") {
		t.Fatalf("a clean end was logged as a failure:\n%s", out)
	}
}

// lockedBuffer is a log destination safe for the follower's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFollowerCursorGone: a 410 on resume makes the follower read the full
// list again and replace its set.
func TestFollowerCursorGone(t *testing.T) {
	iss := newFakeIssuer(t)
	var set RevocationSet
	set.Add(Entry{Kind: KindJTI, Value: "stale-local", ExpiresAt: time.Now().Unix() + 60})
	iss.revoke(Entry{Kind: KindJTI, Value: "a"})
	f := startFollower(t, iss, &set)
	waitSynced(t, f)
	if set.Revoked(&jose.Claims{ID: "stale-local"}) {
		t.Fatal("the full list did not replace the set")
	}
	eventually(t, 5*time.Second, "stream connected", func() bool { return iss.openStreams() == 1 })
	iss.mu.Lock()
	iss.oldest = 100 // the server forgets every cursor
	iss.mu.Unlock()
	set.Add(Entry{Kind: KindJTI, Value: "stale-local-2", ExpiresAt: time.Now().Unix() + 60})
	iss.revoke(Entry{Kind: KindJTI, Value: "b"})
	iss.srv.CloseClientConnections()
	eventually(t, 5*time.Second, "a resync replacing the set", func() bool {
		return !set.Revoked(&jose.Claims{ID: "stale-local-2"}) && set.Revoked(&jose.Claims{ID: "b"})
	})
	if n := iss.listHits.Load(); n != 2 {
		t.Fatalf("%d full lists, want 2", n)
	}
}

// TestFollowerIdleTimeout: a stream that goes silent is reconnected.
func TestFollowerIdleTimeout(t *testing.T) {
	iss := newFakeIssuer(t) // no keep-alives
	var set RevocationSet
	f := startFollower(t, iss, &set, WithStreamIdleTimeout(50*time.Millisecond))
	waitSynced(t, f)
	eventually(t, 5*time.Second, "reconnections of a silent stream", func() bool { return iss.streamHits.Load() >= 3 })
	if err := f.Status().LastError; err != nil && !errors.Is(err, ErrFetch) {
		t.Fatalf("last error %v", err)
	}
}

// TestFollowerKeepAlive: keep-alive comments keep a stream open and count
// as signs of life.
func TestFollowerKeepAlive(t *testing.T) {
	iss := newFakeIssuer(t)
	iss.heartbeat = 10 * time.Millisecond
	var set RevocationSet
	f := startFollower(t, iss, &set, WithStreamIdleTimeout(time.Second))
	waitSynced(t, f)
	eventually(t, 5*time.Second, "stream connected", func() bool { return f.Status().Connected })
	first := f.Status().LastHeard
	eventually(t, 5*time.Second, "a keep-alive heard", func() bool { return f.Status().LastHeard.After(first) })
	if n := iss.streamHits.Load(); n != 1 {
		t.Fatalf("%d streams, want 1", n)
	}
}

// TestFollowerUnauthorized: a token the issuer refuses never syncs, and
// says why.
func TestFollowerUnauthorized(t *testing.T) {
	iss := newFakeIssuer(t)
	var set RevocationSet
	f, _ := NewFollower(iss.URL+"/v1/revocations", iss.URL+"/v1/revocations/stream", StaticToken("wrong"), &set, fastBackoff)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	eventually(t, 5*time.Second, "a failed attempt", func() bool { return f.Status().LastError != nil })
	if st := f.Status(); st.Synced || st.Connected || !errors.Is(st.LastError, ErrFetch) {
		t.Fatalf("status %+v", st)
	}
	if f.Run(ctx) == nil {
		t.Fatal("a second Run at once was allowed")
	}
}

// TestFollowerBadEvent: an entry that does not parse ends the stream
// without moving the cursor past it.
func TestFollowerBadEvent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/list" {
			w.Write([]byte(`{"entries":[],"cursor":"1"}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte("event: revocation\nid: 2\ndata: {not json\n\n"))
	}))
	defer srv.Close()
	var set RevocationSet
	f, _ := NewFollower(srv.URL+"/list", srv.URL+"/stream", StaticToken("t"), &set, fastBackoff)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go f.Run(ctx)
	eventually(t, 5*time.Second, "a stream error", func() bool { return f.Status().Reconnects >= 2 })
	if set.Cursor() != "1" {
		t.Fatalf("cursor moved past a bad entry: %q", set.Cursor())
	}
	cancel()
}

// TestStalenessPolicy: with a feed, tokens wait for the first sync, pass
// while it is current, and are refused once it has been down longer than
// the allowed staleness; UnsafeFailOpen keeps accepting them.
func TestStalenessPolicy(t *testing.T) {
	iss := newFakeIssuer(t)
	iss.setDown(true)
	var mono fakeMono
	v := newTestVerifier(t, iss, WithRevocationFeed(StaticToken(testFeedToken)), WithMaxStaleness(time.Minute),
		WithKeys(mustSet(t, iss)), mono.option(), fastBackoff)
	open := newTestVerifier(t, iss, WithRevocationFeed(StaticToken(testFeedToken)), WithMaxStaleness(time.Minute),
		WithKeys(mustSet(t, iss)), mono.option(), fastBackoff, UnsafeFailOpen())
	tok := iss.token(iss.claims("u1"))
	if _, err := v.Verify(tok); !errors.Is(err, ErrRevocationsUnavailable) {
		t.Fatalf("before the first sync: %v", err)
	}
	if _, err := open.Verify(tok); err != nil {
		t.Fatalf("fail-open before the first sync: %v", err)
	}
	iss.setDown(false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := v.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("synced: %v", err)
	}
	iss.setDown(true)
	eventually(t, 5*time.Second, "the disconnection", func() bool { return !v.Follower().Status().Connected })
	mono.advance(30 * time.Second)
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("within the staleness bound: %v", err)
	}
	mono.advance(31 * time.Second)
	if _, err := v.Verify(tok); !errors.Is(err, ErrRevocationsUnavailable) {
		t.Fatalf("past the staleness bound: %v", err)
	}
	if _, err := open.Verify(tok); err != nil {
		t.Fatalf("fail-open past the bound: %v", err)
	}
	iss.setDown(false)
	eventually(t, 5*time.Second, "acceptance once the feed is back", func() bool {
		_, err := v.Verify(tok)
		return err == nil
	})
}

func mustSet(t *testing.T, iss *fakeIssuer) *jose.KeySet {
	set, err := jose.NewKeySet(iss.keys[0].Public())
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestVerifierFollowsFeed: a Verifier with a feed refuses a cached token as
// soon as its revocation is streamed.
func TestVerifierFollowsFeed(t *testing.T) {
	iss := newFakeIssuer(t)
	v := newTestVerifier(t, iss, WithRevocationFeed(StaticToken(testFeedToken)), fastBackoff)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := v.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	c := iss.claims("u1")
	tok := iss.token(c)
	for range 2 {
		if _, err := v.Verify(tok); err != nil {
			t.Fatal(err)
		}
	}
	iss.revoke(Entry{Kind: KindSID, Value: c.SessionID})
	eventually(t, 5*time.Second, "the revocation refusing the token", func() bool {
		_, err := v.Verify(tok)
		return errors.Is(err, ErrRevoked)
	})
}
