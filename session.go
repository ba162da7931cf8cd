package signet

import (
	"context"
	"time"
)

// Session is one login of a user on one client: the family of refresh tokens
// that rotate from that login, and the `sid` claim of every access token they
// yield. Ending a session ends the whole family.
type Session struct {
	ID            string
	UserID        string
	ClientID      string
	Scope         string // space-separated scopes granted at login; refreshes never widen it
	UserAgent     string
	CreatedAt     time.Time
	LastUsedAt    time.Time
	IdleExpiresAt time.Time // pushed forward by each refresh
	ExpiresAt     time.Time // absolute: no refresh goes past it
	AuthTime      time.Time // when the user authenticated (OIDC `auth_time`)
	RevokedAt     time.Time // zero while the session has not been revoked
}

// Revoked reports whether the session was revoked.
func (s Session) Revoked() bool { return !s.RevokedAt.IsZero() }

// Active reports whether the session can still be used at now: not revoked,
// and before both its idle and its absolute expiry.
func (s Session) Active(now time.Time) bool {
	return !s.Revoked() && now.Before(s.IdleExpiresAt) && now.Before(s.ExpiresAt)
}

// Validate reports an EINVALID error if the session cannot be stored.
func (s Session) Validate() error {
	switch {
	case s.ID == "" || s.UserID == "" || s.ClientID == "":
		return Errorf(EINVALID, "session: id, user and client are required")
	case s.CreatedAt.IsZero() || s.AuthTime.IsZero():
		return Errorf(EINVALID, "session: created and auth times are required")
	case !s.ExpiresAt.After(s.CreatedAt) || !s.IdleExpiresAt.After(s.CreatedAt):
		return Errorf(EINVALID, "session: expiry must follow creation")
	}
	return nil
}

// SessionRevocation says which sessions of one user to end, and which
// revocation-feed entries to write for them, in the transaction of the store
// method it is given to. Sessions already revoked are left as they are.
type SessionRevocation struct {
	// SessionID, when set, ends that session only.
	SessionID string
	// KeepSessionID, when set and SessionID is empty, ends every session of
	// the user but this one (a password change keeps the session it came
	// from). With both empty, every session of the user ends. Without
	// SessionID the user's browser sessions (single sign-on) end as well:
	// they are sessions too, and a browser holds no session id to keep.
	KeepSessionID string
	// At is the time of the revocation: the sessions' RevokedAt, the entries'
	// CreatedAt and, for a subject entry, its Before.
	At time.Time
	// FeedUntil is when the revocation-feed entries expire: the latest `exp`
	// of an access token the sessions may have yielded, plus the leeway.
	// Zero writes no entry (nothing was issued that needs one).
	FeedUntil time.Time
	// BySubject adds one "sub" entry for the user, cutting off every token
	// issued before At (see FeedEntries), to the "sid" entry of each ended
	// session. Use it when every token of the user must die: a disabled
	// account, logout everywhere, an administrator's revoke.
	BySubject bool
}

// FeedEntries returns the revocation-feed entries that r writes for the
// sessions it ended (all of userID's): one "sid" entry per ended session
// and, with BySubject, a "sub" entry whose Before is At. None when FeedUntil
// is zero. Each store writes them in the transaction that ends the sessions.
//
// The "sid" entries are written with BySubject too: "iat" has one-second
// resolution, so the feed's "sub" cut-off can only name a whole second, and
// a cut-off rounded down misses tokens issued earlier in the revocation's
// own second, while one rounded up would refuse the fresh tokens of a user
// who logs in again at once. Every token signet issues to a user carries its
// session's "sid", so the "sid" entries cover that second exactly.
func (r SessionRevocation) FeedEntries(userID string, ended []Session) []Revocation {
	if r.FeedUntil.IsZero() {
		return nil
	}
	out := make([]Revocation, 0, len(ended)+1)
	if r.BySubject {
		out = append(out, Revocation{Kind: RevokeSub, Value: userID, Before: r.At,
			ExpiresAt: r.FeedUntil, CreatedAt: r.At})
	}
	for _, s := range ended {
		out = append(out, Revocation{Kind: RevokeSID, Value: s.ID, ExpiresAt: r.FeedUntil, CreatedAt: r.At})
	}
	return out
}

// Validate reports an EINVALID error for a revocation without a time.
func (r SessionRevocation) Validate() error {
	if r.At.IsZero() {
		return Errorf(EINVALID, "session revocation: time is required")
	}
	return nil
}

// SessionStore keeps sessions and their refresh tokens.
type SessionStore interface {
	// CreateSession stores a new session and its first refresh token in one
	// transaction; first's SessionID and ClientID are taken from s. It
	// returns an EINVALID error if either fails Validate, an ENOTFOUND error
	// if the user does not exist, and an ECONFLICT error if the session id or
	// the token hash is taken.
	CreateSession(ctx context.Context, s Session, first RefreshToken) error

	// Session returns the session with the given id, revoked or not, or an
	// ENOTFOUND error.
	Session(ctx context.Context, id string) (Session, error)

	// ListSessions returns the user's sessions that are Active at now, newest
	// first. An unknown user has none.
	ListSessions(ctx context.Context, userID string, now time.Time) ([]Session, error)

	// RevokeSessions ends sessions of the user as r says and writes their
	// revocation entries, in one transaction. It returns the sessions it
	// ended, in their revoked state; sessions that were already revoked are
	// not returned. It returns an ENOTFOUND error if r names a SessionID that
	// does not exist or belongs to another user.
	RevokeSessions(ctx context.Context, userID string, r SessionRevocation) ([]Session, error)

	// RefreshToken returns the stored record of a refresh token by the
	// SHA-256 hash of the token, or an ENOTFOUND error.
	RefreshToken(ctx context.Context, hash []byte) (RefreshToken, error)

	// RotateRefreshToken reads the token with the given hash, its session and
	// its user, asks fn what to do, and applies the answer, all in one
	// transaction under the write lock, so concurrent rotations of one token
	// are applied one after the other, each seeing what the previous one
	// wrote. It returns an ENOTFOUND error for an unknown hash, and fn's error
	// as it is (nothing is written then). See Rotation for what fn may ask.
	RotateRefreshToken(ctx context.Context, hash []byte, fn RotateFunc) (RotationResult, error)

	// PurgeSessions deletes, with their refresh tokens, the sessions that
	// ended (were revoked, or reached their idle or absolute expiry) before
	// the given time, and returns how many it deleted. Rotated tokens of live
	// sessions are kept: reuse detection needs them.
	PurgeSessions(ctx context.Context, endedBefore time.Time) (int64, error)
}
