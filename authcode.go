package signet

import (
	"context"
	"time"
)

// AuthCode is the stored record of one authorization code (RFC 6749 section
// 4.1.2): bound to its client, its redirect URI and its PKCE challenge, and
// usable once (SECURITY.md rule 13). Only the SHA-256 hash of the code is
// stored. After its redemption the record stays, marked used with the
// session it opened, until it expires, so that a replay is recognised and
// revokes that session.
type AuthCode struct {
	Hash          []byte // SHA-256 of the code (HashRefreshToken: same form)
	ClientID      string
	UserID        string
	RedirectURI   string
	Scope         string // granted scope, space-separated
	Nonce         string // echoed in the ID token; may be empty
	CodeChallenge string // PKCE S256 challenge (RFC 7636 section 4.2)
	AuthTime      time.Time
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UsedAt        time.Time // zero until redeemed
	SessionID     string    // the session the redemption opened; "" until then
}

// Used reports whether the code has been redeemed.
func (c AuthCode) Used() bool { return !c.UsedAt.IsZero() }

// Validate reports an EINVALID error if the code cannot be stored.
func (c AuthCode) Validate() error {
	switch {
	case len(c.Hash) != RefreshTokenHashSize:
		return Errorf(EINVALID, "authorization code: hash must be %d bytes", RefreshTokenHashSize)
	case c.ClientID == "" || c.UserID == "" || c.RedirectURI == "" || c.CodeChallenge == "":
		return Errorf(EINVALID, "authorization code: client, user, redirect URI and code challenge are required")
	case c.AuthTime.IsZero() || c.CreatedAt.IsZero() || !c.ExpiresAt.After(c.CreatedAt):
		return Errorf(EINVALID, "authorization code: times are required and expiry must follow creation")
	case c.Used() || c.SessionID != "":
		return Errorf(EINVALID, "authorization code: a new code is unused")
	}
	return nil
}

// RedeemFunc decides what presenting an authorization code leads to. It
// gets the code's record and its user as they are inside the transaction;
// it runs under the store's write lock and must be quick. Returning an error
// rolls everything back.
type RedeemFunc func(code AuthCode, user User) (Redemption, error)

// Redemption is a RedeemFunc's answer. At most one of Session and Revoke may
// be set; with neither, nothing is written (the code is refused, say,
// because it expired or the PKCE verifier is wrong; the code stays usable
// only if it was unused: a failed attempt does not burn it).
type Redemption struct {
	// At is the time of the redemption: the code's UsedAt. Required with
	// Session.
	At time.Time
	// Session is the session to open for the code's user and client; the
	// code is marked used, with this session's id. First, when not nil, is
	// the session's first refresh token (a client without the refresh_token
	// grant gets none).
	Session *Session
	First   *RefreshToken
	// Revoke ends sessions of the code's user and writes their revocation
	// entries: on a replay, the session the code opened.
	Revoke *SessionRevocation
}

// Check refuses, with an EINVALID error, answers that no correct policy
// gives for code: a session and a revocation at once, a second session from
// a used code, a session without a time, or of another user or client. A
// store calls it before applying r, so a bug in the logic cannot redeem a
// code twice or for someone else.
func (r Redemption) Check(code AuthCode) error {
	switch {
	case r.Session != nil && r.Revoke != nil:
		return Errorf(EINVALID, "redemption: open and revoke at once")
	case r.Session == nil:
		return nil
	case code.Used():
		return Errorf(EINVALID, "redemption: the code was used already")
	case r.At.IsZero():
		return Errorf(EINVALID, "redemption: time is required")
	case r.Session.UserID != code.UserID || r.Session.ClientID != code.ClientID:
		return Errorf(EINVALID, "redemption: the session must be the code's user's, for the code's client")
	}
	return nil
}

// RedemptionResult is what RedeemAuthCode applied.
type RedemptionResult struct {
	Code    AuthCode  // the code as it was before the transaction
	User    User      // the code's user
	Session *Session  // the stored new session, nil if none was opened
	Revoked []Session // the sessions Revoke ended, if any
}

// AuthCodeStore keeps authorization codes.
type AuthCodeStore interface {
	// CreateAuthCode stores a new code. It returns an EINVALID error if c
	// fails Validate, an ENOTFOUND error if the user or the client does not
	// exist, and an ECONFLICT error if the hash is taken.
	CreateAuthCode(ctx context.Context, c AuthCode) error

	// RedeemAuthCode reads the code with the given hash and its user, asks
	// fn what to do, and applies the answer in one transaction under the
	// write lock, so two concurrent redemptions of one code are applied one
	// after the other and the second sees the first's result. It returns an
	// ENOTFOUND error for an unknown hash, and fn's error as it is.
	RedeemAuthCode(ctx context.Context, hash []byte, fn RedeemFunc) (RedemptionResult, error)

	// PurgeAuthCodes deletes the codes that expired before the given time
	// and returns how many it deleted.
	PurgeAuthCodes(ctx context.Context, expiredBefore time.Time) (int64, error)
}
