package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

// A copyTest is one check of signet.Copy between two fresh stores.
type copyTest struct {
	name string
	fn   func(t *testing.T, src, dst signet.Store)
}

var copyTests = []copyTest{
	{"Everything", testCopyEverything},
	{"ContinuesCursors", testCopyCursors},
	{"Empty", testCopyEmpty},
	{"RefusesNonEmpty", testCopyRefusesNonEmpty},
	{"FailureWritesNothing", testCopyFailure},
}

// RunCopy runs the copy checks (signet.Copy, signet.Exporter,
// signet.Importer) from stores made by newSrc into stores made by newDst,
// which may be of different kinds: `signet migrate --from sqlite:… --to
// postgres://…` is such a copy. Run calls it with one constructor for both.
func RunCopy(t *testing.T, newSrc, newDst func(t *testing.T) signet.Store) {
	for _, tt := range copyTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newSrc(t), newDst(t))
		})
	}
}

// copyStores copies src into dst, failing the test on an error.
func copyStores(t *testing.T, src, dst signet.Store) map[string]int {
	t.Helper()
	from, ok1 := src.(signet.Exporter)
	to, ok2 := dst.(signet.Importer)
	if !ok1 || !ok2 {
		t.Fatalf("%T must implement signet.Exporter and %T signet.Importer", src, dst)
	}
	counts, err := signet.Copy(t.Context(), to, from)
	must(t, err)
	return counts
}

func testCopyEverything(t *testing.T, src, dst signet.Store) {
	seed := seedAll(t, src)
	counts := copyStores(t, src, dst)
	want := state(t, src, seed)
	wantEqual(t, "the copy", state(t, dst, seed), want)
	wantEqual(t, "records copied", counts, want.counts())
	// What the copy holds works: the current refresh token still rotates.
	c := newClock()
	c.Advance(time.Hour)
	res, err := rotate(t, dst, c, seed.current, grace)
	must(t, err)
	if res.Issued == nil {
		t.Fatalf("the copied current refresh token does not rotate: %+v", res)
	}
	checkCodes(t, dst, seed)
}

// checkCodes redeems the copied authorization codes (no store method reads
// one otherwise): the unused one opens a session, the used one is still
// known as used and revokes the session it opened.
func checkCodes(t *testing.T, s signet.Store, sd seeded) {
	t.Helper()
	c := newClock()
	fresh, err := s.RedeemAuthCode(t.Context(), sd.freshCode, codePolicy{now: c.Now()}.redeem)
	must(t, err)
	if fresh.Code.Used() || fresh.Session == nil || fresh.Code.Nonce != "n-0S6_WzA2Mj" {
		t.Fatalf("the copied unused code: %+v", fresh)
	}
	replay, err := s.RedeemAuthCode(t.Context(), sd.usedCode, codePolicy{now: c.Now()}.redeem)
	must(t, err)
	if !replay.Code.Used() || replay.Code.SessionID != sd.sessions[2] || len(replay.Revoked) != 1 {
		t.Fatalf("the copied used code: %+v", replay)
	}
}

func testCopyCursors(t *testing.T, src, dst signet.Store) {
	c := newClock()
	_, err := src.AddRevocations(t.Context(), entry(c, signet.RevokeJTI, "old", time.Minute),
		entry(c, signet.RevokeJTI, "gone", time.Minute), entry(c, signet.RevokeJTI, "kept", time.Hour))
	must(t, err)
	c.Advance(time.Minute)
	_, err = src.PurgeRevocations(t.Context(), c.Now()) // cursors 1 and 2 go; Latest stays 3
	must(t, err)
	copyStores(t, src, dst)
	want, err := src.RevocationBounds(t.Context())
	must(t, err)
	got, err := dst.RevocationBounds(t.Context())
	must(t, err)
	wantEqual(t, "bounds of the copy", got, want)
	added, err := dst.AddRevocations(t.Context(), entry(c, signet.RevokeSID, "new", time.Hour))
	must(t, err)
	if added[0].Cursor != want.Latest+1 {
		t.Fatalf("first cursor of the copy = %d, want %d (after the source's latest)", added[0].Cursor, want.Latest+1)
	}
}

func testCopyEmpty(t *testing.T, src, dst signet.Store) {
	counts := copyStores(t, src, dst)
	for table, n := range counts {
		if n != 0 {
			t.Errorf("copy of an empty store wrote %d %s", n, table)
		}
	}
	b, err := dst.RevocationBounds(t.Context())
	must(t, err)
	wantEqual(t, "bounds", b, signet.RevocationBounds{Oldest: 1, Latest: 0})
}

func testCopyRefusesNonEmpty(t *testing.T, src, dst signet.Store) {
	c := newClock()
	seedAll(t, src)
	there := createUser(t, dst, c, "already@example.com")
	_, err := signet.Copy(t.Context(), dst.(signet.Importer), src.(signet.Exporter))
	wantErr(t, err, signet.ErrConflict)
	users, err := dst.ListUsers(t.Context(), signet.UserFilter{})
	must(t, err)
	wantEqual(t, "users of the refused destination", users, []signet.User{there})
	keys, err := dst.ListKeys(t.Context())
	must(t, err)
	if len(keys) != 0 {
		t.Fatalf("a refused copy wrote %d keys", len(keys))
	}
}

func testCopyFailure(t *testing.T, src, dst signet.Store) {
	seedAll(t, src)
	boom := errors.New("the source went away")
	n := 0
	err := dst.(signet.Importer).Import(t.Context(), func(put func(signet.Batch) error) error {
		return src.(signet.Exporter).Export(t.Context(), func(b signet.Batch) error {
			if n++; n > 2 { // users and sessions are in; the tokens fail
				return boom
			}
			return put(b)
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Import = %v, want the fill's error", err)
	}
	users, err := dst.ListUsers(t.Context(), signet.UserFilter{})
	must(t, err)
	if len(users) != 0 {
		t.Fatalf("a failed copy left %d users behind", len(users))
	}
}

// seeded names what seedAll stored, so state can read every record back
// through the Store interface.
type seeded struct {
	sessions  []string
	tokens    [][]byte
	throttles []signet.ThrottleKey
	current   []byte // a current refresh token of a live session
	users     []string
	browsers  [][]byte
	freshCode []byte // an unused authorization code
	usedCode  []byte // a redeemed one, which a replay must still recognise
}

// seedAll stores records of every kind and in every state: a disabled
// user, rotated tokens and a sibling, a revoked session, keys of three
// states, revocation entries of every kind (some purged), locked and
// counting throttles; a confidential and a public client, a used and an
// unused authorization code, a consent, a browser session. A table added
// to CopyTables gets its records here.
func seedAll(t *testing.T, s signet.Store) seeded {
	t.Helper()
	c := newClock()
	var sd seeded
	alice := createUser(t, s, c, "alice@example.com", "user", "admin")
	bob := createUser(t, s, c, "bob@example.com")
	_, err := s.UpdateUser(t.Context(), bob.ID, func(u signet.User) (signet.UserUpdate, error) {
		u.Disabled, u.UpdatedAt = true, c.After(time.Second)
		return signet.UserUpdate{User: u}, nil
	})
	must(t, err)
	live, first := createSession(t, s, c, alice)
	c.Advance(time.Minute)
	second := mustRotate(t, s, c, first)
	sibling := mustRotate(t, s, c, first) // inside the grace window
	ended, endedFirst := createSession(t, s, c, alice)
	_, err = s.RevokeSessions(t.Context(), alice.ID, signet.SessionRevocation{SessionID: ended.ID,
		At: c.Now(), FeedUntil: c.After(accessTTL)})
	must(t, err)
	createClient(t, s, c, "web-app")
	must(t, s.CreateClient(t.Context(), signet.Client{ID: "spa", Name: "SPA", RedirectURIs: []string{"https://spa.example/cb"},
		GrantTypes: []string{signet.GrantAuthorizationCode}, Scopes: []string{"openid"}, CreatedAt: c.Now(), UpdatedAt: c.Now()}))
	sd.freshCode = createCode(t, s, c, alice, "web-app")
	sd.usedCode = createCode(t, s, c, alice, "web-app")
	res, err := s.RedeemAuthCode(t.Context(), sd.usedCode, codePolicy{now: c.Now()}.redeem)
	must(t, err)
	must(t, s.PutConsent(t.Context(), signet.Consent{UserID: alice.ID, ClientID: "web-app",
		Scopes: []string{"openid", "email"}, CreatedAt: c.Now(), UpdatedAt: c.Now()}))
	_, browser := newToken()
	must(t, s.CreateBrowserSession(t.Context(), signet.BrowserSession{Hash: browser, UserID: alice.ID,
		AuthTime: c.Now(), CreatedAt: c.Now(), ExpiresAt: c.After(time.Hour)}))
	sd.browsers, sd.users = [][]byte{browser}, []string{alice.ID, bob.ID}
	sd.sessions = []string{live.ID, ended.ID, res.Session.ID}
	sd.tokens = [][]byte{first, second.Hash, sibling.Hash, endedFirst}
	sd.current = second.Hash
	seedKeys(t, s, c)
	_, err = s.AddRevocations(t.Context(), entry(c, signet.RevokeJTI, "purged", time.Second),
		entry(c, signet.RevokeSub, alice.ID, time.Hour), entry(c, signet.RevokeJTI, "jti-1", time.Hour))
	must(t, err)
	_, err = s.PurgeRevocations(t.Context(), c.After(time.Minute))
	must(t, err)
	sd.throttles = []signet.ThrottleKey{{Scope: signet.ThrottleAccount, Key: "alice@example.com"},
		{Scope: signet.ThrottleAddress, Key: "192.0.2.1"}}
	for i, k := range sd.throttles {
		for range 2 + 3*i { // the address locks, the account counts
			_, err := s.UpdateThrottle(t.Context(), k, fail(c.Now(), 3))
			must(t, err)
		}
	}
	return sd
}

// seedKeys stores a retired, a current and a next key.
func seedKeys(t *testing.T, s signet.Store, c *clock) {
	t.Helper()
	retired := newKey(c, "ES256", signet.KeyRetired)
	retired.ActivatedAt, retired.RetiredAt, retired.DeleteAfter = c.Now(), c.After(time.Hour), c.After(time.Hour+maxTokenLifetime)
	for _, k := range []signet.SigningKey{retired, newKey(c, "ES256", signet.KeyCurrent), newKey(c, "ES256", signet.KeyNext)} {
		must(t, s.CreateKey(t.Context(), k))
	}
}

// storeState is everything a store holds, read through the Store interface.
type storeState struct {
	Users       []signet.User
	Clients     []signet.Client
	Sessions    []signet.Session
	Tokens      []signet.RefreshToken
	Codes       int // authorization codes: counted here, checked by redeeming (checkCodes)
	Consents    []signet.Consent
	Browsers    []signet.BrowserSession
	Keys        []signet.SigningKey
	Revocations []signet.Revocation
	Bounds      signet.RevocationBounds
	Throttles   []signet.Throttle
}

func (st storeState) counts() map[string]int {
	return signet.Batch{Users: st.Users, Clients: st.Clients, Sessions: st.Sessions, RefreshTokens: st.Tokens,
		AuthCodes: make([]signet.AuthCode, st.Codes), Consents: st.Consents, BrowserSessions: st.Browsers,
		Keys: st.Keys, Revocations: st.Revocations, Throttles: st.Throttles}.Counts()
}

// state reads back what seedAll stored in s.
func state(t *testing.T, s signet.Store, sd seeded) storeState {
	t.Helper()
	var st storeState
	var err error
	st.Users, err = s.ListUsers(t.Context(), signet.UserFilter{})
	must(t, err)
	for _, id := range sd.sessions {
		sess, err := s.Session(t.Context(), id)
		must(t, err)
		st.Sessions = append(st.Sessions, sess)
	}
	for _, h := range sd.tokens {
		st.Tokens = append(st.Tokens, getToken(t, s, h))
	}
	st.Clients, err = s.ListClients(t.Context())
	must(t, err)
	for _, id := range sd.users {
		cs, err := s.ListConsents(t.Context(), id)
		must(t, err)
		st.Consents = append(st.Consents, cs...)
	}
	for _, h := range sd.browsers {
		b, err := s.BrowserSession(t.Context(), h)
		must(t, err)
		st.Browsers = append(st.Browsers, b)
	}
	if sd.freshCode != nil {
		st.Codes = 2
	}
	st.Keys, err = s.ListKeys(t.Context())
	must(t, err)
	st.Keys = byKID(st.Keys)
	st.Revocations, err = s.RevocationsAfter(t.Context(), 0, signet.MaxListLimit)
	must(t, err)
	st.Bounds, err = s.RevocationBounds(t.Context())
	must(t, err)
	for _, k := range sd.throttles {
		th, err := s.Throttle(t.Context(), k)
		must(t, err)
		st.Throttles = append(st.Throttles, th)
	}
	return st
}
