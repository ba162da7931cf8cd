package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose/verify"
)

// TestSyncPicksUpStoreEntries: an entry another process wrote (the CLI,
// another instance) reaches the revocation set with the next Sync, and Run
// syncs on its own.
func TestSyncPicksUpStoreEntries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{account: func(c *account.Config) { c.PollEvery = 5 * time.Millisecond }})
	e.signup(t, "alice@example.com")
	a, b := e.login(t, "alice@example.com"), e.login(t, "alice@example.com")
	ca, cb := e.auth(t, a.AccessToken), e.auth(t, b.AccessToken)
	add := func(sid string) {
		_, err := e.store.AddRevocations(t.Context(), signet.Revocation{Kind: signet.RevokeSID, Value: sid,
			ExpiresAt: epoch.Add(time.Hour), CreatedAt: epoch})
		must(t, err)
	}
	add(ca.SessionID)
	e.auth(t, a.AccessToken) // not read yet
	must(t, e.svc.Sync(t.Context()))
	_, err := e.svc.Authenticate(t.Context(), a.AccessToken)
	wantErr(t, err, account.ErrRevoked)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- e.svc.Run(ctx) }()
	add(cb.SessionID)
	waitFor(t, "Run to read the entry", func() bool {
		_, err := e.svc.Authenticate(t.Context(), b.AccessToken)
		return err != nil
	})
	cancel()
	wantErr(t, <-done, context.Canceled)
}

func TestAnotherInstanceFollows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	r := e.login(t, "alice@example.com")
	second, err := account.NewService(t.Context(), e.store, e.keys, e.hasher, e.cfg)
	must(t, err)
	if _, err := second.Authenticate(t.Context(), r.AccessToken); err != nil {
		t.Fatalf("second instance: %v", err)
	}
	must(t, e.svc.Logout(t.Context(), e.auth(t, r.AccessToken), false))
	must(t, second.Sync(t.Context()))
	_, err = second.Authenticate(t.Context(), r.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	third, err := account.NewService(t.Context(), e.store, e.keys, e.hasher, e.cfg)
	must(t, err)
	_, err = third.Authenticate(t.Context(), r.AccessToken) // loaded at start
	wantErr(t, err, account.ErrRevoked)
}

func TestRevocationsFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.signup(t, "alice@example.com")
	entries, cursor, err := e.svc.Revocations(t.Context(), "")
	must(t, err)
	if len(entries) != 0 || cursor != "0" {
		t.Fatalf("empty feed: %v, cursor %q", entries, cursor)
	}
	c := e.auth(t, e.login(t, "alice@example.com").AccessToken)
	must(t, e.svc.Logout(t.Context(), c, false))
	must(t, e.svc.RevokeUser(t.Context(), id))
	entries, next, err := e.svc.Revocations(t.Context(), cursor)
	must(t, err)
	feedUntil := epoch.Add(15*time.Minute + 30*time.Second).Unix()
	want := []verify.Entry{
		{Cursor: "1", Kind: "sid", Value: c.SessionID, ExpiresAt: feedUntil},
		{Cursor: "2", Kind: "sub", Value: id, Before: epoch.Unix(), ExpiresAt: feedUntil},
	}
	if len(entries) != 2 || entries[0] != want[0] || entries[1] != want[1] || next != "2" {
		t.Fatalf("feed after %q:\n got  %+v (cursor %q)\n want %+v", cursor, entries, next, want)
	}
	all, latest, err := e.svc.Revocations(t.Context(), "")
	must(t, err)
	if len(all) != 2 || latest != "2" {
		t.Fatalf("full list %+v, cursor %q", all, latest)
	}
	tests := []struct {
		name, after string
		err         error
	}{
		{"malformed", "abc", signet.ErrInvalid},
		{"not canonical", "01", signet.ErrInvalid},
		{"negative", "-1", signet.ErrInvalid},
		{"from the future", "99", account.ErrCursorGone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := e.svc.Revocations(t.Context(), tt.after)
			wantErr(t, err, tt.err)
		})
	}
	t.Run("purged", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		_, err := e.store.PurgeRevocations(t.Context(), e.clock.Now())
		must(t, err)
		_, _, err = e.svc.Revocations(t.Context(), "1")
		wantErr(t, err, account.ErrCursorGone)
		if got, cur, err := e.svc.Revocations(t.Context(), "2"); err != nil || len(got) != 0 || cur != "2" {
			t.Fatalf("resume from the latest cursor: %v %q %v", got, cur, err)
		}
	})
}

func TestWaitRevocationsWakesOnNewEntry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	c := e.auth(t, e.login(t, "alice@example.com").AccessToken)
	type result struct {
		entries []verify.Entry
		cursor  string
		err     error
	}
	got := make(chan result, 1)
	go func() {
		entries, cursor, err := e.svc.WaitRevocations(t.Context(), "0")
		got <- result{entries, cursor, err}
	}()
	must(t, e.svc.Logout(t.Context(), c, false))
	select {
	case r := <-got:
		must(t, r.err)
		if len(r.entries) != 1 || r.entries[0].Value != c.SessionID || r.cursor != "1" {
			t.Fatalf("woke with %+v, cursor %q", r.entries, r.cursor)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WaitRevocations did not wake")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, cursor, err := e.svc.WaitRevocations(ctx, "1")
	wantErr(t, err, context.Canceled)
	if cursor != "1" {
		t.Fatalf("cursor after cancel %q", cursor)
	}
}
