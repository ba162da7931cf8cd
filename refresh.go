package signet

import (
	"crypto/sha256"
	"time"
)

// RefreshTokenHashSize is the size of RefreshToken.Hash: a SHA-256 digest.
const RefreshTokenHashSize = sha256.Size

// HashRefreshToken returns the hash under which a refresh token is stored.
// The token itself is 256 random bits and is never stored, so a plain
// SHA-256 suffices: there is nothing to brute-force.
func HashRefreshToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// RefreshToken is the stored record of one opaque refresh token, bound to one
// session and one client.
//
// Rotation: presenting a current token (RotatedAt zero) replaces it with a
// new one; the old record stays, marked rotated, so that presenting it again
// can be told apart from presenting an unknown token. Presenting it again
// within the grace window (a race between two tabs, a lost response) issues a
// sibling of its successor, and both stay valid; after the window it is
// reuse, and the whole session is revoked. RotatedAt is set once, at the first
// rotation, so the window cannot be stretched by presenting the token again.
type RefreshToken struct {
	Hash       []byte // SHA-256 of the token (HashRefreshToken)
	SessionID  string
	ClientID   string
	Parent     []byte // hash of the token this one was issued for; nil for a session's first
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RotatedAt  time.Time // zero while the token is current
	ReplacedBy []byte    // hash of the first token issued for this one; nil while current
}

// Rotated reports whether the token has been rotated already.
func (t RefreshToken) Rotated() bool { return !t.RotatedAt.IsZero() }

// InGrace reports whether a rotated token presented at now falls inside a
// grace window of the given length after its first rotation. A zero window
// holds no instant: every second presentation is reuse.
func (t RefreshToken) InGrace(now time.Time, grace time.Duration) bool {
	return t.Rotated() && now.Before(t.RotatedAt.Add(grace))
}

// Validate reports an EINVALID error if the token cannot be stored.
func (t RefreshToken) Validate() error {
	switch {
	case len(t.Hash) != RefreshTokenHashSize:
		return Errorf(EINVALID, "refresh token: hash must be %d bytes", RefreshTokenHashSize)
	case t.CreatedAt.IsZero() || !t.ExpiresAt.After(t.CreatedAt):
		return Errorf(EINVALID, "refresh token: expiry must follow creation")
	}
	return nil
}

// RotateFunc decides what a presented refresh token leads to. It gets the
// token's record, its session and the session's user as they are inside the
// transaction. It runs under the store's write lock: it must be quick.
// Returning an error rolls everything back.
type RotateFunc func(tok RefreshToken, sess Session, user User) (Rotation, error)

// Rotation is a RotateFunc's answer. At most one of Issue and Revoke may be
// set; with neither, nothing is written (the token is refused, for example
// because it expired).
type Rotation struct {
	// At is the time of the rotation: the presented token's RotatedAt if it
	// was still current, and the session's LastUsedAt. Required with Issue.
	At time.Time
	// Issue is the new refresh token to store. Its SessionID, ClientID and
	// Parent are taken from the presented token. If the presented token was
	// current, it is marked rotated with ReplacedBy = Issue.Hash; if it was
	// rotated already (a grace-window sibling), its record stays as it was.
	Issue *RefreshToken
	// IdleExpiresAt, when not zero, is the session's new idle expiry; it is
	// applied with Issue only.
	IdleExpiresAt time.Time
	// Revoke ends sessions of the token's user and writes their revocation
	// entries: on reuse, the presented token's session.
	Revoke *SessionRevocation
}

// RotationResult is what RotateRefreshToken applied.
type RotationResult struct {
	Presented RefreshToken  // the presented token as it was before the transaction
	Issued    *RefreshToken // the stored new token, nil if none was issued
	Session   Session       // the token's session after the transaction
	User      User          // the session's user
	Revoked   []Session     // the sessions Revoke ended, if any
}
