package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var sessionTests = []test{
	{"CreateAndGet", testCreateSession},
	{"CreateRefused", testCreateSessionRefused},
	{"ListActive", testListSessions},
	{"Revoke", testRevokeSessions},
	{"RevokeNotFound", testRevokeSessionsNotFound},
	{"Purge", testPurgeSessions},
}

func testCreateSession(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "alice@example.com")
	sess, hash := createSession(t, s, c, u)

	got, err := s.Session(t.Context(), sess.ID)
	must(t, err)
	wantEqual(t, "Session", got, sess)

	tok, err := s.RefreshToken(t.Context(), hash)
	must(t, err)
	want := signet.RefreshToken{Hash: hash, SessionID: sess.ID, ClientID: sess.ClientID,
		CreatedAt: c.Now(), ExpiresAt: c.After(idleTTL)}
	wantEqual(t, "first refresh token", tok, want)

	_, err = s.Session(t.Context(), signet.NewID())
	wantErr(t, err, signet.ErrNotFound)
	_, hash2 := newToken()
	_, err = s.RefreshToken(t.Context(), hash2)
	wantErr(t, err, signet.ErrNotFound)
}

// testCreateSessionRefused: a refused session leaves nothing behind, neither
// the session nor its token.
func testCreateSessionRefused(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "bob@example.com")
	existing, existingHash := createSession(t, s, c, u)
	now := c.Now()
	base := signet.Session{ID: signet.NewID(), UserID: u.ID, ClientID: "signet", CreatedAt: now,
		LastUsedAt: now, IdleExpiresAt: now.Add(idleTTL), ExpiresAt: now.Add(absoluteTTL), AuthTime: now}
	_, freshHash := newToken()
	tests := []struct {
		name string
		sess func(signet.Session) signet.Session
		hash []byte
		want error
	}{
		{"unknown user", func(s signet.Session) signet.Session { s.UserID = signet.NewID(); return s }, freshHash, signet.ErrNotFound},
		{"session id taken", func(s signet.Session) signet.Session { s.ID = existing.ID; return s }, freshHash, signet.ErrConflict},
		{"token hash taken", func(s signet.Session) signet.Session { return s }, existingHash, signet.ErrConflict},
		{"short hash", func(s signet.Session) signet.Session { return s }, freshHash[:16], signet.ErrInvalid},
		{"no client", func(s signet.Session) signet.Session { s.ClientID = ""; return s }, freshHash, signet.ErrInvalid},
		{"expires before creation", func(s signet.Session) signet.Session { s.ExpiresAt = now.Add(-time.Second); return s }, freshHash, signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess := tt.sess(base)
			first := signet.RefreshToken{Hash: tt.hash, CreatedAt: now, ExpiresAt: now.Add(idleTTL)}
			wantErr(t, s.CreateSession(t.Context(), sess, first), tt.want)
			if sess.ID != existing.ID {
				_, err := s.Session(t.Context(), sess.ID)
				wantErr(t, err, signet.ErrNotFound)
			}
			if tt.want != signet.ErrConflict || sess.ID == existing.ID {
				return
			}
			// The token hash clashed: the session must not exist either.
			tok, err := s.RefreshToken(t.Context(), tt.hash)
			must(t, err)
			if tok.SessionID != existing.ID {
				t.Fatalf("token now belongs to %s", tok.SessionID)
			}
		})
	}
	got, err := s.Session(t.Context(), existing.ID)
	must(t, err)
	wantEqual(t, "existing session", got, existing)
}

func testListSessions(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "carol@example.com")
	other := createUser(t, s, c, "dave@example.com")
	oldest, _ := createSession(t, s, c, u)
	c.Advance(time.Hour)
	revoked, _ := createSession(t, s, c, u)
	c.Advance(time.Hour)
	newest, _ := createSession(t, s, c, u)
	createSession(t, s, c, other)
	_, err := s.RevokeSessions(t.Context(), u.ID, signet.SessionRevocation{SessionID: revoked.ID, At: c.Now()})
	must(t, err)

	list, err := s.ListSessions(t.Context(), u.ID, c.Now())
	must(t, err)
	wantEqual(t, "active sessions, newest first", list, []signet.Session{newest, oldest})

	// The oldest session reaches its idle expiry first.
	list, err = s.ListSessions(t.Context(), u.ID, oldest.IdleExpiresAt)
	must(t, err)
	wantEqual(t, "sessions at the oldest's idle expiry", list, []signet.Session{newest})

	list, err = s.ListSessions(t.Context(), signet.NewID(), c.Now())
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("unknown user has sessions: %v", ids(list))
	}
}

func testRevokeSessions(t *testing.T, s signet.Store) {
	tests := []struct {
		name     string
		revoke   func(a, b, c string) signet.SessionRevocation // the user's three sessions
		ended    func(a, b, c string) []string
		feed     func(user, a, b, c string) []string
		liveLeft int
	}{
		{"one session",
			func(a, _, _ string) signet.SessionRevocation { return signet.SessionRevocation{SessionID: a} },
			func(a, _, _ string) []string { return []string{a} },
			func(_, a, _, _ string) []string { return []string{"sid:" + a} }, 2},
		{"all but one",
			func(a, _, _ string) signet.SessionRevocation { return signet.SessionRevocation{KeepSessionID: a} },
			func(_, b, c string) []string { return []string{b, c} },
			func(_, _, b, c string) []string { return []string{"sid:" + b, "sid:" + c} }, 1},
		{"all",
			func(_, _, _ string) signet.SessionRevocation { return signet.SessionRevocation{} },
			func(a, b, c string) []string { return []string{a, b, c} },
			func(_, a, b, c string) []string { return []string{"sid:" + a, "sid:" + b, "sid:" + c} }, 0},
		{"all by subject",
			func(_, _, _ string) signet.SessionRevocation { return signet.SessionRevocation{BySubject: true} },
			func(a, b, c string) []string { return []string{a, b, c} },
			func(u, a, b, c string) []string { return []string{"sub:" + u, "sid:" + a, "sid:" + b, "sid:" + c} }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			u := createUser(t, s, c, signet.NewID()+"@example.com")
			a, _ := createSession(t, s, c, u)
			b, _ := createSession(t, s, c, u)
			cc, _ := createSession(t, s, c, u)
			_, browser := newToken()
			must(t, s.CreateBrowserSession(t.Context(), signet.BrowserSession{Hash: browser, UserID: u.ID,
				AuthTime: c.Now(), CreatedAt: c.Now(), ExpiresAt: c.After(time.Hour)}))
			before := feed(t, s)
			r := tt.revoke(a.ID, b.ID, cc.ID)
			r.At, r.FeedUntil = c.Now(), c.After(accessTTL)

			ended, err := s.RevokeSessions(t.Context(), u.ID, r)
			must(t, err)
			wantEqual(t, "ended sessions", ids(ended), sorted(tt.ended(a.ID, b.ID, cc.ID)...))
			for _, e := range ended {
				if !e.RevokedAt.Equal(c.Now()) {
					t.Fatalf("session %s RevokedAt = %v, want %v", e.ID, e.RevokedAt, c.Now())
				}
			}
			wantEqual(t, "new feed entries", sorted(feed(t, s)[len(before):]...), sorted(tt.feed(u.ID, a.ID, b.ID, cc.ID)...))
			live, err := s.ListSessions(t.Context(), u.ID, c.Now())
			must(t, err)
			if len(live) != tt.liveLeft {
				t.Fatalf("%d sessions live, want %d", len(live), tt.liveLeft)
			}
			// Ending all of the user's sessions ends the browser's single
			// sign-on too; ending one session leaves it.
			_, err = s.BrowserSession(t.Context(), browser)
			if gone := errors.Is(err, signet.ErrNotFound); gone != (r.SessionID == "") {
				t.Fatalf("browser session after the revocation: %v (SessionID %q)", err, r.SessionID)
			}

			// Revoking again ends nothing and writes no sid entry.
			entries := len(feed(t, s))
			again, err := s.RevokeSessions(t.Context(), u.ID, r)
			must(t, err)
			if len(again) != 0 {
				t.Fatalf("revoked again: %v", ids(again))
			}
			if n := len(feed(t, s)); !r.BySubject && n != entries {
				t.Fatalf("revoking again wrote %d entries", n-entries)
			}
		})
	}
}

func testRevokeSessionsNotFound(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "erin@example.com")
	other := createUser(t, s, c, "frank@example.com")
	mine, _ := createSession(t, s, c, u)
	theirs, _ := createSession(t, s, c, other)

	for _, id := range []string{signet.NewID(), theirs.ID} {
		_, err := s.RevokeSessions(t.Context(), u.ID, signet.SessionRevocation{SessionID: id, At: c.Now()})
		wantErr(t, err, signet.ErrNotFound)
	}
	_, err := s.RevokeSessions(t.Context(), u.ID, signet.SessionRevocation{SessionID: mine.ID})
	wantErr(t, err, signet.ErrInvalid) // no time
	for _, sess := range []signet.Session{mine, theirs} {
		got, err := s.Session(t.Context(), sess.ID)
		must(t, err)
		if got.Revoked() {
			t.Fatalf("session %s revoked by a refused call", sess.ID)
		}
	}
	// No FeedUntil: the session ends, no entry is written.
	_, err = s.RevokeSessions(t.Context(), u.ID, signet.SessionRevocation{SessionID: mine.ID, At: c.Now()})
	must(t, err)
	if f := feed(t, s); len(f) != 0 {
		t.Fatalf("feed entries without FeedUntil: %v", f)
	}
}

func testPurgeSessions(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "grace@example.com")
	revoked, revokedHash := createSession(t, s, c, u)
	idle, idleHash := createSession(t, s, c, u)
	c.Advance(idleTTL / 2)
	live, liveHash := createSession(t, s, c, u)
	_, err := s.RevokeSessions(t.Context(), u.ID, signet.SessionRevocation{SessionID: revoked.ID, At: c.Now()})
	must(t, err)

	// Nothing ended before now - 1s.
	n, err := s.PurgeSessions(t.Context(), c.After(-time.Second))
	must(t, err)
	if n != 0 {
		t.Fatalf("purged %d sessions too early", n)
	}
	c.Advance(idleTTL/2 + time.Second) // past the idle expiry of the first two
	n, err = s.PurgeSessions(t.Context(), c.Now())
	must(t, err)
	if n != 2 {
		t.Fatalf("purged %d sessions, want 2", n)
	}
	for _, gone := range []signet.Session{revoked, idle} {
		_, err := s.Session(t.Context(), gone.ID)
		wantErr(t, err, signet.ErrNotFound)
	}
	for _, h := range [][]byte{revokedHash, idleHash} {
		_, err := s.RefreshToken(t.Context(), h)
		wantErr(t, err, signet.ErrNotFound)
	}
	_, err = s.Session(t.Context(), live.ID)
	must(t, err)
	_, err = s.RefreshToken(t.Context(), liveHash)
	must(t, err)
}
