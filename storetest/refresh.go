package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var refreshTests = []test{
	{"Rotate", testRotate},
	{"GraceSibling", testRotateGrace},
	{"ReuseRevokesSession", testRotateReuse},
	{"Refused", testRotateRefused},
	{"UnknownToken", testRotateUnknown},
	{"StoreRules", testRotateStoreRules},
}

// Errors of the suite's refresh policy.
var (
	errEnded   = errors.New("storetest: session ended")
	errExpired = errors.New("storetest: refresh token expired")
)

const grace = 10 * time.Second

// policy is PRODUCT.md's refresh rule written as a RotateFunc, the way the
// token logic is expected to write it; the suite drives the stores with it.
type policy struct {
	now   time.Time
	grace time.Duration
}

func (p policy) rotate(tok signet.RefreshToken, sess signet.Session, user signet.User) (signet.Rotation, error) {
	switch {
	case sess.Revoked() || user.Disabled:
		return signet.Rotation{}, errEnded
	case !sess.Active(p.now) || !p.now.Before(tok.ExpiresAt):
		return signet.Rotation{}, errExpired
	case tok.Rotated() && !tok.InGrace(p.now, p.grace):
		return signet.Rotation{Revoke: &signet.SessionRevocation{SessionID: sess.ID,
			At: p.now, FeedUntil: p.now.Add(accessTTL)}}, nil
	}
	_, hash := newToken()
	return signet.Rotation{At: p.now, IdleExpiresAt: p.now.Add(idleTTL), Issue: &signet.RefreshToken{
		Hash: hash, CreatedAt: p.now, ExpiresAt: earlier(p.now.Add(idleTTL), sess.ExpiresAt)}}, nil
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// rotate presents hash at c's time with the given grace window.
func rotate(t *testing.T, s signet.Store, c *clock, hash []byte, g time.Duration) (signet.RotationResult, error) {
	t.Helper()
	return s.RotateRefreshToken(t.Context(), hash, policy{now: c.Now(), grace: g}.rotate)
}

// mustRotate presents hash and fails unless a new token is issued.
func mustRotate(t *testing.T, s signet.Store, c *clock, hash []byte) signet.RefreshToken {
	t.Helper()
	res, err := rotate(t, s, c, hash, grace)
	must(t, err)
	if res.Issued == nil {
		t.Fatalf("no token issued; session revoked: %v", res.Session.Revoked())
	}
	return *res.Issued
}

func getToken(t *testing.T, s signet.Store, hash []byte) signet.RefreshToken {
	t.Helper()
	tok, err := s.RefreshToken(t.Context(), hash)
	must(t, err)
	return tok
}

func testRotate(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "alice@example.com")
	sess, a := createSession(t, s, c, u)
	before := getToken(t, s, a)
	c.Advance(time.Hour)

	res, err := rotate(t, s, c, a, grace)
	must(t, err)
	wantEqual(t, "presented token", res.Presented, before)
	wantEqual(t, "user", res.User, u)
	if res.Issued == nil || len(res.Revoked) != 0 {
		t.Fatalf("want one issued token and nothing revoked, got %+v", res)
	}
	b := *res.Issued
	wantEqual(t, "issued token", b, signet.RefreshToken{Hash: b.Hash, SessionID: sess.ID,
		ClientID: sess.ClientID, Parent: a, CreatedAt: c.Now(), ExpiresAt: c.After(idleTTL)})
	wantEqual(t, "stored issued token", getToken(t, s, b.Hash), b)

	rotated := before
	rotated.RotatedAt, rotated.ReplacedBy = c.Now(), b.Hash
	wantEqual(t, "presented token after rotation", getToken(t, s, a), rotated)

	want := sess
	want.LastUsedAt, want.IdleExpiresAt = c.Now(), c.After(idleTTL)
	wantEqual(t, "session in result", res.Session, want)
	got, err := s.Session(t.Context(), sess.ID)
	must(t, err)
	wantEqual(t, "stored session", got, want)

	// The new token rotates in turn.
	c.Advance(time.Hour)
	mustRotate(t, s, c, b.Hash)
}

// testRotateGrace: presenting the just-rotated token again within the window
// issues a sibling; every sibling stays valid, and the first rotation's time
// and successor are kept, so the window cannot be stretched.
func testRotateGrace(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "bob@example.com")
	sess, a := createSession(t, s, c, u)
	first := c.Now()
	b := mustRotate(t, s, c, a)

	c.Advance(grace / 2)
	sib := mustRotate(t, s, c, a)
	if bytes.Equal(sib.Hash, b.Hash) || !bytes.Equal(sib.Parent, a) || sib.SessionID != sess.ID {
		t.Fatalf("sibling %+v is not a new token of the same parent and session", sib)
	}
	c.Advance(grace/2 - time.Microsecond) // still inside the window
	mustRotate(t, s, c, a)

	tok := getToken(t, s, a)
	if !tok.RotatedAt.Equal(first) || !bytes.Equal(tok.ReplacedBy, b.Hash) {
		t.Fatalf("rotated token's first rotation changed: %+v", tok)
	}
	// Both siblings are current and rotate normally.
	for _, h := range [][]byte{b.Hash, sib.Hash} {
		if getToken(t, s, h).Rotated() {
			t.Fatal("a sibling was marked rotated")
		}
		mustRotate(t, s, c, h)
	}
	got, err := s.Session(t.Context(), sess.ID)
	must(t, err)
	if !got.Active(c.Now()) {
		t.Fatal("session ended by grace-window rotations")
	}
}

// testRotateReuse: after the window, presenting a rotated token revokes the
// session, writes its sid entry, and every token of the family is dead.
func testRotateReuse(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "carol@example.com")
	sess, a := createSession(t, s, c, u)
	other, otherHash := createSession(t, s, c, u)
	b := mustRotate(t, s, c, a)
	sib := mustRotate(t, s, c, a)
	c.Advance(grace)

	res, err := rotate(t, s, c, a, grace)
	must(t, err)
	if res.Issued != nil {
		t.Fatal("reuse issued a token")
	}
	wantEqual(t, "revoked sessions", ids(res.Revoked), []string{sess.ID})
	if !res.Session.RevokedAt.Equal(c.Now()) {
		t.Fatalf("session RevokedAt = %v, want %v", res.Session.RevokedAt, c.Now())
	}
	wantEqual(t, "feed", feed(t, s), []string{"sid:" + sess.ID})

	for _, h := range [][]byte{a, b.Hash, sib.Hash} {
		_, err := rotate(t, s, c, h, grace)
		wantErr(t, err, errEnded)
	}
	// The user's other session is untouched.
	mustRotate(t, s, c, otherHash)
	got, err := s.Session(t.Context(), other.ID)
	must(t, err)
	if got.Revoked() {
		t.Fatal("reuse revoked another session")
	}
}

// testRotateRefused: a refusal writes nothing.
func testRotateRefused(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "dave@example.com")
	tests := []struct {
		name    string
		advance time.Duration
		revoke  bool
		want    error
	}{
		{"token expired", idleTTL, false, errExpired},
		{"session revoked", 0, true, errEnded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, a := createSession(t, s, c, u)
			if tt.revoke {
				_, err := s.RevokeSessions(t.Context(), u.ID, signet.SessionRevocation{SessionID: sess.ID, At: c.Now()})
				must(t, err)
			}
			sessBefore, err := s.Session(t.Context(), sess.ID)
			must(t, err)
			tokBefore := getToken(t, s, a)
			later := &clock{now: c.After(tt.advance)}
			_, err = rotate(t, s, later, a, grace)
			wantErr(t, err, tt.want)
			wantEqual(t, "token after refusal", getToken(t, s, a), tokBefore)
			got, err := s.Session(t.Context(), sess.ID)
			must(t, err)
			wantEqual(t, "session after refusal", got, sessBefore)
		})
	}
}

func testRotateUnknown(t *testing.T, s signet.Store) {
	c := newClock()
	createSession(t, s, c, createUser(t, s, c, "erin@example.com"))
	_, unknown := newToken()
	_, err := s.RotateRefreshToken(t.Context(), unknown, func(signet.RefreshToken, signet.Session, signet.User) (signet.Rotation, error) {
		t.Fatal("fn called for an unknown token")
		return signet.Rotation{}, nil
	})
	wantErr(t, err, signet.ErrNotFound)
}

// testRotateStoreRules: answers no correct policy gives are refused, and a
// failed rotation leaves the presented token current.
func testRotateStoreRules(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "frank@example.com")
	sess, a := createSession(t, s, c, u)
	_, b := createSession(t, s, c, u)
	revoked, r := createSession(t, s, c, u)
	_, err := s.RevokeSessions(t.Context(), u.ID, signet.SessionRevocation{SessionID: revoked.ID, At: c.Now()})
	must(t, err)
	now := c.Now()
	issue := func(hash []byte) *signet.RefreshToken {
		return &signet.RefreshToken{Hash: hash, CreatedAt: now, ExpiresAt: now.Add(idleTTL)}
	}
	_, fresh := newToken()
	tests := []struct {
		name string
		hash []byte
		rot  signet.Rotation
		want error
	}{
		{"issue and revoke", a, signet.Rotation{At: now, Issue: issue(fresh),
			Revoke: &signet.SessionRevocation{SessionID: sess.ID, At: now}}, signet.ErrInvalid},
		{"issue without time", a, signet.Rotation{Issue: issue(fresh)}, signet.ErrInvalid},
		{"issue into a revoked session", r, signet.Rotation{At: now, Issue: issue(fresh)}, signet.ErrInvalid},
		{"issued hash taken", a, signet.Rotation{At: now, Issue: issue(b)}, signet.ErrConflict},
		{"issued hash malformed", a, signet.Rotation{At: now, Issue: issue(fresh[:8])}, signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := getToken(t, s, tt.hash)
			_, err := s.RotateRefreshToken(t.Context(), tt.hash, func(signet.RefreshToken, signet.Session, signet.User) (signet.Rotation, error) {
				return tt.rot, nil
			})
			wantErr(t, err, tt.want)
			wantEqual(t, "presented token", getToken(t, s, tt.hash), before)
			_, err = s.RefreshToken(t.Context(), fresh)
			wantErr(t, err, signet.ErrNotFound)
		})
	}
	got, err := s.Session(t.Context(), sess.ID)
	must(t, err)
	if got.Revoked() {
		t.Fatal("a refused rotation revoked the session")
	}
}
