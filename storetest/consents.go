package storetest

import (
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var consentTests = []test{
	{"PutAndReplace", testPutConsent},
	{"RevokeEndsClientSessions", testRevokeConsent},
	{"BrowserSessions", testBrowserSessions},
}

func testPutConsent(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "alice@example.com")
	createClient(t, s, c, "b-app")
	createClient(t, s, c, "a-app")
	_, err := s.Consent(t.Context(), u.ID, "a-app")
	wantErr(t, err, signet.ErrNotFound)
	first := signet.Consent{UserID: u.ID, ClientID: "a-app", Scopes: []string{"openid"}, CreatedAt: c.Now(), UpdatedAt: c.Now()}
	must(t, s.PutConsent(t.Context(), first))
	c.Advance(time.Hour)
	wider := signet.Consent{UserID: u.ID, ClientID: "a-app", Scopes: []string{"openid", "email"}, CreatedAt: c.Now(), UpdatedAt: c.Now()}
	must(t, s.PutConsent(t.Context(), wider))
	got, err := s.Consent(t.Context(), u.ID, "a-app")
	must(t, err)
	want := wider
	want.CreatedAt = epoch // kept from the first consent
	wantEqual(t, "replaced consent", got, want)
	if !got.Covers([]string{"email"}) || got.Covers([]string{"profile"}) {
		t.Fatalf("Covers is wrong for %v", got.Scopes)
	}
	other := signet.Consent{UserID: u.ID, ClientID: "b-app", Scopes: []string{"openid"}, CreatedAt: c.Now(), UpdatedAt: c.Now()}
	must(t, s.PutConsent(t.Context(), other))
	list, err := s.ListConsents(t.Context(), u.ID)
	must(t, err)
	wantEqual(t, "ListConsents", list, []signet.Consent{want, other})

	bad := other
	bad.ClientID = "nope"
	wantErr(t, s.PutConsent(t.Context(), bad), signet.ErrNotFound)
	bad.ClientID, bad.UserID = "a-app", signet.NewID()
	wantErr(t, s.PutConsent(t.Context(), bad), signet.ErrNotFound)
	bad.UserID = ""
	wantErr(t, s.PutConsent(t.Context(), bad), signet.ErrInvalid)
}

// testRevokeConsent: revoking a consent ends the user's sessions of that
// client only, with their feed entries.
func testRevokeConsent(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "bob@example.com")
	v := createUser(t, s, c, "vic@example.com")
	createClient(t, s, c, "app")
	createClient(t, s, c, "other")
	mine := redeemNew(t, s, c, u, "app")
	otherClient := redeemNew(t, s, c, u, "other")
	otherUser := redeemNew(t, s, c, v, "app")
	for _, who := range []signet.User{u, v} {
		must(t, s.PutConsent(t.Context(), signet.Consent{UserID: who.ID, ClientID: "app", Scopes: []string{"openid"},
			CreatedAt: c.Now(), UpdatedAt: c.Now()}))
	}
	c.Advance(time.Minute)
	ended, err := s.RevokeConsent(t.Context(), u.ID, "app", signet.SessionRevocation{At: c.Now(), FeedUntil: c.After(accessTTL)})
	must(t, err)
	wantEqual(t, "ended", ids(ended), []string{mine.ID})
	wantEqual(t, "feed", feed(t, s), []string{"sid:" + mine.ID})
	live, err := s.ListSessions(t.Context(), u.ID, c.Now())
	must(t, err)
	wantEqual(t, "u's live sessions", ids(live), []string{otherClient.ID})
	live, _ = s.ListSessions(t.Context(), v.ID, c.Now())
	wantEqual(t, "v's live sessions", ids(live), []string{otherUser.ID})
	_, err = s.Consent(t.Context(), u.ID, "app")
	wantErr(t, err, signet.ErrNotFound)
	if _, err := s.Consent(t.Context(), v.ID, "app"); err != nil {
		t.Fatalf("another user's consent went too: %v", err)
	}
	_, err = s.RevokeConsent(t.Context(), u.ID, "app", signet.SessionRevocation{At: c.Now()})
	wantErr(t, err, signet.ErrNotFound)
}

func testBrowserSessions(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "carol@example.com")
	_, h1 := newToken()
	_, h2 := newToken()
	_, h3 := newToken()
	b1 := signet.BrowserSession{Hash: h1, UserID: u.ID, AuthTime: c.Now(), CreatedAt: c.Now(), ExpiresAt: c.After(time.Hour)}
	must(t, s.CreateBrowserSession(t.Context(), b1))
	got, err := s.BrowserSession(t.Context(), h1)
	must(t, err)
	wantEqual(t, "browser session", got, b1)
	wantErr(t, s.CreateBrowserSession(t.Context(), b1), signet.ErrConflict)
	bad := b1
	bad.Hash, bad.UserID = h2, signet.NewID()
	wantErr(t, s.CreateBrowserSession(t.Context(), bad), signet.ErrNotFound)
	bad.UserID, bad.ExpiresAt = u.ID, bad.CreatedAt
	wantErr(t, s.CreateBrowserSession(t.Context(), bad), signet.ErrInvalid)

	must(t, s.DeleteBrowserSession(t.Context(), h1))
	_, err = s.BrowserSession(t.Context(), h1)
	wantErr(t, err, signet.ErrNotFound)
	must(t, s.DeleteBrowserSession(t.Context(), h1)) // unknown: not an error

	must(t, s.CreateBrowserSession(t.Context(), signet.BrowserSession{Hash: h2, UserID: u.ID, AuthTime: c.Now(), CreatedAt: c.Now(), ExpiresAt: c.After(time.Hour)}))
	must(t, s.CreateBrowserSession(t.Context(), signet.BrowserSession{Hash: h3, UserID: u.ID, AuthTime: c.Now(), CreatedAt: c.Now(), ExpiresAt: c.After(2 * time.Hour)}))
	n, err := s.PurgeBrowserSessions(t.Context(), c.After(90*time.Minute))
	must(t, err)
	if n != 1 {
		t.Fatalf("purged %d, want 1", n)
	}
	n, err = s.DeleteUserBrowserSessions(t.Context(), u.ID)
	must(t, err)
	if n != 1 {
		t.Fatalf("deleted %d of the user's, want 1", n)
	}
	_, err = s.BrowserSession(t.Context(), h3)
	wantErr(t, err, signet.ErrNotFound)
}
