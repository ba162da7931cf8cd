package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var codeTests = []test{
	{"RedeemOnce", testRedeemCode},
	{"RefusedLeavesCodeUsable", testRedeemRefused},
	{"ReplayRevokes", testRedeemReplay},
	{"ConcurrentRedemption", testRedeemConcurrently},
	{"StoreRules", testRedeemStoreRules},
	{"CreateRefused", testCreateCodeRefused},
	{"Purge", testPurgeCodes},
}

const codeTTL = time.Minute

var errRefusedCode = errors.New("storetest: code refused")

// createCode stores a fresh code of u for the client and returns its hash.
func createCode(t *testing.T, s signet.Store, c *clock, u signet.User, clientID string) []byte {
	t.Helper()
	_, hash := newToken()
	must(t, s.CreateAuthCode(t.Context(), signet.AuthCode{Hash: hash, ClientID: clientID, UserID: u.ID,
		RedirectURI: "https://app.example/callback", Scope: "openid email", Nonce: "n-0S6_WzA2Mj",
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", AuthTime: c.Now(),
		CreatedAt: c.Now(), ExpiresAt: c.After(codeTTL)}))
	return hash
}

// codePolicy is the redemption rule written as a RedeemFunc: an unused,
// unexpired code opens a session; a used one revokes what it opened.
type codePolicy struct {
	now     time.Time
	refresh []byte // hash of the first refresh token; nil for none
}

func (p codePolicy) redeem(code signet.AuthCode, u signet.User) (signet.Redemption, error) {
	switch {
	case code.Used():
		return signet.Redemption{Revoke: &signet.SessionRevocation{SessionID: code.SessionID,
			At: p.now, FeedUntil: p.now.Add(accessTTL)}}, nil
	case !p.now.Before(code.ExpiresAt) || u.Disabled:
		return signet.Redemption{}, errRefusedCode
	}
	sess := &signet.Session{ID: signet.NewID(), UserID: u.ID, ClientID: code.ClientID, Scope: code.Scope,
		UserAgent: "storetest/1.0", CreatedAt: p.now, LastUsedAt: p.now, IdleExpiresAt: p.now.Add(idleTTL),
		ExpiresAt: p.now.Add(absoluteTTL), AuthTime: code.AuthTime}
	red := signet.Redemption{At: p.now, Session: sess}
	if p.refresh != nil {
		red.First = &signet.RefreshToken{Hash: p.refresh, CreatedAt: p.now, ExpiresAt: p.now.Add(idleTTL)}
	}
	return red, nil
}

// redeemNew creates a code of u for the client, redeems it and returns the
// session it opened.
func redeemNew(t *testing.T, s signet.Store, c *clock, u signet.User, clientID string) signet.Session {
	t.Helper()
	res, err := s.RedeemAuthCode(t.Context(), createCode(t, s, c, u, clientID), codePolicy{now: c.Now()}.redeem)
	must(t, err)
	return *res.Session
}

func testRedeemCode(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "alice@example.com")
	createClient(t, s, c, "app")
	hash := createCode(t, s, c, u, "app")
	c.Advance(10 * time.Second)
	_, rt := newToken()
	res, err := s.RedeemAuthCode(t.Context(), hash, codePolicy{now: c.Now(), refresh: rt}.redeem)
	must(t, err)
	if res.Code.Used() || res.User.ID != u.ID || res.Session == nil || res.Revoked != nil {
		t.Fatalf("result %+v: want the unused code, its user and a new session", res)
	}
	want := signet.AuthCode{Hash: hash, ClientID: "app", UserID: u.ID, RedirectURI: "https://app.example/callback",
		Scope: "openid email", Nonce: "n-0S6_WzA2Mj", CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		AuthTime: epoch, CreatedAt: epoch, ExpiresAt: epoch.Add(codeTTL)}
	wantEqual(t, "code before redemption", res.Code, want)
	stored, err := s.Session(t.Context(), res.Session.ID)
	must(t, err)
	wantEqual(t, "opened session", stored, *res.Session)
	if stored.ClientID != "app" || stored.UserID != u.ID || !stored.AuthTime.Equal(epoch) {
		t.Fatalf("session %+v: want the code's client, user and auth time", stored)
	}
	tok, err := s.RefreshToken(t.Context(), rt)
	must(t, err)
	if tok.SessionID != stored.ID || tok.ClientID != "app" || tok.Parent != nil {
		t.Fatalf("first refresh token %+v", tok)
	}
	// Presented again, the code is seen used, with the session it opened.
	_, err = s.RedeemAuthCode(t.Context(), hash, func(code signet.AuthCode, _ signet.User) (signet.Redemption, error) {
		if !code.Used() || !code.UsedAt.Equal(c.Now()) || code.SessionID != stored.ID {
			t.Errorf("code after redemption: %+v", code)
		}
		return signet.Redemption{}, errRefusedCode
	})
	wantErr(t, err, errRefusedCode)
	_, err = s.RedeemAuthCode(t.Context(), signet.HashRefreshToken("unknown"), codePolicy{now: c.Now()}.redeem)
	wantErr(t, err, signet.ErrNotFound)
}

// testRedeemRefused: a refusal (wrong verifier, expiry) writes nothing.
func testRedeemRefused(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "bob@example.com")
	createClient(t, s, c, "app")
	hash := createCode(t, s, c, u, "app")
	_, err := s.RedeemAuthCode(t.Context(), hash, func(signet.AuthCode, signet.User) (signet.Redemption, error) {
		return signet.Redemption{}, nil
	})
	must(t, err)
	_, err = s.RedeemAuthCode(t.Context(), hash, func(signet.AuthCode, signet.User) (signet.Redemption, error) {
		return signet.Redemption{}, errRefusedCode
	})
	wantErr(t, err, errRefusedCode)
	res, err := s.RedeemAuthCode(t.Context(), hash, codePolicy{now: c.Now()}.redeem)
	must(t, err)
	if res.Code.Used() || res.Session == nil {
		t.Fatalf("a refused attempt burnt the code: %+v", res.Code)
	}
}

// testRedeemReplay: a second redemption revokes the session the first
// opened, with its feed entry, in the same transaction.
func testRedeemReplay(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "carol@example.com")
	createClient(t, s, c, "app")
	hash := createCode(t, s, c, u, "app")
	first, err := s.RedeemAuthCode(t.Context(), hash, codePolicy{now: c.Now()}.redeem)
	must(t, err)
	c.Advance(5 * time.Second)
	res, err := s.RedeemAuthCode(t.Context(), hash, codePolicy{now: c.Now()}.redeem)
	must(t, err)
	if res.Session != nil || len(res.Revoked) != 1 || res.Revoked[0].ID != first.Session.ID {
		t.Fatalf("replay result %+v: want the first session revoked", res)
	}
	got, err := s.Session(t.Context(), first.Session.ID)
	must(t, err)
	if !got.RevokedAt.Equal(c.Now()) {
		t.Fatalf("session after replay: %+v", got)
	}
	wantEqual(t, "feed", feed(t, s), []string{"sid:" + first.Session.ID})
}

// testRedeemConcurrently: racers redeem one code at once; exactly one opens
// a session, the others see it used (and revoke it).
func testRedeemConcurrently(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "dan@example.com")
	createClient(t, s, c, "app")
	hash := createCode(t, s, c, u, "app")
	type out struct {
		res signet.RedemptionResult
		err error
	}
	results := race(func() out {
		res, err := s.RedeemAuthCode(t.Context(), hash, codePolicy{now: c.Now()}.redeem)
		return out{res, err}
	})
	opened := 0
	for _, r := range results {
		must(t, r.err)
		if r.res.Session != nil {
			opened++
		}
	}
	if opened != 1 {
		t.Fatalf("%d redemptions opened a session, want exactly 1", opened)
	}
}

// testRedeemStoreRules: answers no correct policy gives are refused.
func testRedeemStoreRules(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "erin@example.com")
	other := createUser(t, s, c, "frank@example.com")
	createClient(t, s, c, "app")
	hash := createCode(t, s, c, u, "app")
	base := func(code signet.AuthCode, user signet.User) signet.Redemption {
		red, _ := codePolicy{now: c.Now()}.redeem(code, user)
		return red
	}
	tests := []struct {
		name string
		edit func(signet.Redemption) signet.Redemption
	}{
		{"no time", func(r signet.Redemption) signet.Redemption { r.At = time.Time{}; return r }},
		{"another user", func(r signet.Redemption) signet.Redemption { r.Session.UserID = other.ID; return r }},
		{"another client", func(r signet.Redemption) signet.Redemption { r.Session.ClientID = "other"; return r }},
		{"open and revoke", func(r signet.Redemption) signet.Redemption {
			r.Revoke = &signet.SessionRevocation{At: c.Now()}
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.RedeemAuthCode(t.Context(), hash, func(code signet.AuthCode, user signet.User) (signet.Redemption, error) {
				return tt.edit(base(code, user)), nil
			})
			wantErr(t, err, signet.ErrInvalid)
		})
	}
	first, err := s.RedeemAuthCode(t.Context(), hash, codePolicy{now: c.Now()}.redeem)
	must(t, err)
	_, err = s.RedeemAuthCode(t.Context(), hash, func(code signet.AuthCode, user signet.User) (signet.Redemption, error) {
		code.UsedAt, code.SessionID = time.Time{}, ""
		return base(code, user), nil // a second session from a used code
	})
	wantErr(t, err, signet.ErrInvalid)
	if sessions, _ := s.ListSessions(t.Context(), u.ID, c.Now()); len(sessions) != 1 || sessions[0].ID != first.Session.ID {
		t.Fatalf("sessions after refused answers: %v", ids(sessions))
	}
}

func testCreateCodeRefused(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "gina@example.com")
	createClient(t, s, c, "app")
	taken := createCode(t, s, c, u, "app")
	_, fresh := newToken()
	base := signet.AuthCode{Hash: fresh, ClientID: "app", UserID: u.ID, RedirectURI: "https://app.example/callback",
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", AuthTime: c.Now(), CreatedAt: c.Now(), ExpiresAt: c.After(codeTTL)}
	tests := []struct {
		name string
		edit func(*signet.AuthCode)
		want error
	}{
		{"hash taken", func(a *signet.AuthCode) { a.Hash = taken }, signet.ErrConflict},
		{"unknown client", func(a *signet.AuthCode) { a.ClientID = "nope" }, signet.ErrNotFound},
		{"unknown user", func(a *signet.AuthCode) { a.UserID = signet.NewID() }, signet.ErrNotFound},
		{"no challenge", func(a *signet.AuthCode) { a.CodeChallenge = "" }, signet.ErrInvalid},
		{"already used", func(a *signet.AuthCode) { a.UsedAt = c.Now() }, signet.ErrInvalid},
		{"short hash", func(a *signet.AuthCode) { a.Hash = fresh[:8] }, signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base
			tt.edit(&a)
			wantErr(t, s.CreateAuthCode(t.Context(), a), tt.want)
		})
	}
	_, err := s.RedeemAuthCode(t.Context(), fresh, codePolicy{now: c.Now()}.redeem)
	wantErr(t, err, signet.ErrNotFound)
}

func testPurgeCodes(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "hal@example.com")
	createClient(t, s, c, "app")
	old := createCode(t, s, c, u, "app")
	c.Advance(codeTTL)
	young := createCode(t, s, c, u, "app")
	n, err := s.PurgeAuthCodes(t.Context(), c.Now().Add(time.Second))
	must(t, err)
	if n != 1 {
		t.Fatalf("purged %d codes, want 1", n)
	}
	for h, want := range map[string]error{string(old): signet.ErrNotFound, string(young): nil} {
		_, err := s.RedeemAuthCode(t.Context(), []byte(h), func(code signet.AuthCode, _ signet.User) (signet.Redemption, error) {
			if !bytes.Equal(code.Hash, young) {
				t.Error("an expired code survived the purge")
			}
			return signet.Redemption{}, nil
		})
		if want == nil {
			must(t, err)
		} else {
			wantErr(t, err, want)
		}
	}
}
