package signet

import (
	"context"
	"time"
)

// BrowserSession is signet's own login in one browser: the single sign-on
// session behind its HttpOnly cookie, separate from API tokens. Only the
// SHA-256 hash of the cookie's value is stored.
type BrowserSession struct {
	Hash      []byte // SHA-256 of the cookie value (HashRefreshToken: same form)
	UserID    string
	AuthTime  time.Time // when the user last entered a password in it
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Active reports whether the session can still be used at now.
func (b BrowserSession) Active(now time.Time) bool { return now.Before(b.ExpiresAt) }

// Validate reports an EINVALID error if the session cannot be stored.
func (b BrowserSession) Validate() error {
	switch {
	case len(b.Hash) != RefreshTokenHashSize:
		return Errorf(EINVALID, "browser session: hash must be %d bytes", RefreshTokenHashSize)
	case b.UserID == "" || b.AuthTime.IsZero() || b.CreatedAt.IsZero() || !b.ExpiresAt.After(b.CreatedAt):
		return Errorf(EINVALID, "browser session: user and times are required, expiry after creation")
	}
	return nil
}

// BrowserSessionStore keeps browser sessions.
type BrowserSessionStore interface {
	// CreateBrowserSession stores a new browser session. It returns an
	// EINVALID error if b fails Validate, an ENOTFOUND error for an unknown
	// user and an ECONFLICT error if the hash is taken.
	CreateBrowserSession(ctx context.Context, b BrowserSession) error

	// BrowserSession returns the session with the given hash, or an
	// ENOTFOUND error.
	BrowserSession(ctx context.Context, hash []byte) (BrowserSession, error)

	// DeleteBrowserSession deletes the session with the given hash; an
	// unknown hash is not an error.
	DeleteBrowserSession(ctx context.Context, hash []byte) error

	// DeleteUserBrowserSessions deletes every browser session of the user
	// and returns how many it deleted.
	DeleteUserBrowserSessions(ctx context.Context, userID string) (int64, error)

	// PurgeBrowserSessions deletes the sessions expired before the given
	// time and returns how many it deleted.
	PurgeBrowserSessions(ctx context.Context, expiredBefore time.Time) (int64, error)
}

// OAuthStore is what the OpenID provider keeps besides users and sessions.
type OAuthStore interface {
	ClientStore
	AuthCodeStore
	ConsentStore
	BrowserSessionStore
}
