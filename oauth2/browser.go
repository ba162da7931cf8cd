package oauth2

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/token"
)

// Browser is the signed-in user of a browser: the browser session behind
// its cookie and the session's user.
type Browser struct {
	Session signet.BrowserSession
	User    signet.User
}

// BrowserUser returns the live browser session behind a cookie value. A
// missing, malformed, expired or signed-out cookie, a user who is disabled,
// and a session older than a revocation of all the user's sessions
// (`signet user revoke`, logout everywhere) return ErrNoBrowserSession.
func (p *Provider) BrowserUser(ctx context.Context, cookie string) (*Browser, error) {
	if !token.LooksLikeRefreshToken(cookie) {
		return nil, ErrNoBrowserSession
	}
	bs, err := p.store.BrowserSession(ctx, signet.HashRefreshToken(cookie))
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return nil, ErrNoBrowserSession
	case err != nil:
		return nil, internal("reading the browser session", err)
	case !bs.Active(p.now()):
		return nil, ErrNoBrowserSession
	}
	u, err := p.store.User(ctx, bs.UserID)
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return nil, ErrNoBrowserSession
	case err != nil:
		return nil, internal("reading the user", err)
	case u.Disabled || p.svc.Revoked(&jose.Claims{Subject: u.ID, IssuedAt: jose.NewNumericDate(bs.CreatedAt)}):
		return nil, ErrNoBrowserSession
	}
	return &Browser{Session: bs, User: u}, nil
}

// SignIn checks an email and password exactly as /v1/login does (throttle,
// one argon2id computation, the same error for every failure) and opens a
// browser session, ending the one behind oldCookie if any (a new login
// never keeps a session id the browser had before). It returns the new
// cookie value, which goes to the browser only. Errors:
// account.ErrInvalidCredentials, *account.ThrottledError, or internal.
func (p *Provider) SignIn(ctx context.Context, oldCookie, email, pw string, m account.Meta) (string, *Browser, error) {
	u, err := p.svc.CheckPassword(ctx, email, pw, m)
	if err != nil {
		return "", nil, err
	}
	if token.LooksLikeRefreshToken(oldCookie) {
		if err := p.store.DeleteBrowserSession(ctx, signet.HashRefreshToken(oldCookie)); err != nil {
			return "", nil, internal("ending the old browser session", err)
		}
	}
	cookie, hash := token.NewRefreshToken()
	now := p.now()
	bs := signet.BrowserSession{Hash: hash, UserID: u.ID, AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(p.cfg.BrowserSessionTTL)}
	if err := p.store.CreateBrowserSession(ctx, bs); err != nil {
		return "", nil, internal("opening the browser session", err)
	}
	return cookie, &Browser{Session: bs, User: u}, nil
}

// SignOut ends the browser session behind a cookie value; an unknown one is
// not an error.
func (p *Provider) SignOut(ctx context.Context, cookie string) error {
	if !token.LooksLikeRefreshToken(cookie) {
		return nil
	}
	if err := p.store.DeleteBrowserSession(ctx, signet.HashRefreshToken(cookie)); err != nil {
		return internal("ending the browser session", err)
	}
	return nil
}

// NewCSRFBinding returns a random value for the browser's CSRF cookie.
func NewCSRFBinding() string {
	b, _ := token.NewRefreshToken()
	return b
}

// CSRFToken returns the token every form of the browser whose CSRF cookie
// holds binding must carry: an HMAC of the binding under a key derived from
// the master key, so it cannot be made without the server, and a page of
// another browser gives no token for this one.
func (p *Provider) CSRFToken(binding string) string {
	m := hmac.New(sha256.New, p.csrf)
	m.Write([]byte("csrf:" + binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports, in constant time, whether tok is the CSRF token of
// binding. An empty binding or token never matches.
func (p *Provider) CheckCSRF(binding, tok string) bool {
	if binding == "" || tok == "" {
		return false
	}
	return hmac.Equal([]byte(p.CSRFToken(binding)), []byte(tok))
}

// logBrowser logs a browser event.
func (p *Provider) logBrowser(ctx context.Context, name, msg string, b *Browser, attrs ...slog.Attr) {
	if b != nil {
		attrs = append(attrs, slog.String("user_id", b.User.ID))
	}
	p.event(ctx, slog.LevelInfo, name, msg, attrs...)
}
