package oauth2

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/token"
)

// newCode stores an authorization code for an approved request and returns
// the code, which goes to the client once.
func (p *Provider) newCode(ctx context.Context, ar *AuthRequest, u signet.User, scope []string, authTime time.Time) (string, error) {
	code, hash := token.NewRefreshToken() // 256 random bits, the same form
	now := p.now()
	err := p.store.CreateAuthCode(ctx, signet.AuthCode{Hash: hash, ClientID: ar.Client.ID, UserID: u.ID,
		RedirectURI: ar.RedirectURI, Scope: joinScope(scope), Nonce: ar.Nonce, CodeChallenge: ar.CodeChallenge,
		AuthTime: authTime, CreatedAt: now, ExpiresAt: now.Add(p.cfg.CodeTTL)})
	if err != nil {
		return "", internal("storing the authorization code", err)
	}
	return code, nil
}

// codeRefusal is why a RedeemFunc refused a code; it rolls the transaction
// back and becomes invalid_grant (or invalid_request).
type codeRefusal struct {
	err    *Error
	reason string
}

func (r *codeRefusal) Error() string { return r.reason }

var errCodeGrant = oauthErr(ErrInvalidGrant, "the authorization code is unknown, expired, already used, or was issued to another client or redirect URI")

// redeemCode exchanges an authorization code (RFC 6749 section 4.1.3): the
// code must be unused and unexpired, of this client, for this redirect URI,
// and the verifier must hash to its PKCE challenge. A code presented a
// second time revokes the session it opened (RFC 6749 section 10.5).
func (p *Provider) redeemCode(ctx context.Context, c signet.Client, r TokenRequest) (TokenResponse, error) {
	switch {
	case r.Code == "" || r.RedirectURI == "" || r.CodeVerifier == "":
		return TokenResponse{}, oauthErr(ErrInvalidRequest, "code, redirect_uri and code_verifier are required")
	case !validVerifier(r.CodeVerifier):
		return TokenResponse{}, oauthErr(ErrInvalidRequest, "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
	case !token.LooksLikeRefreshToken(r.Code):
		p.logRefused(ctx, c, "malformed code")
		return TokenResponse{}, errCodeGrant
	}
	now := p.now()
	var refresh string
	var refreshHash []byte
	if c.AllowsGrant(signet.GrantRefreshToken) {
		refresh, refreshHash = token.NewRefreshToken()
	}
	res, err := p.store.RedeemAuthCode(ctx, signet.HashRefreshToken(r.Code), func(code signet.AuthCode, u signet.User) (signet.Redemption, error) {
		return p.redemption(c, r, code, u, now, refreshHash)
	})
	if err != nil {
		return TokenResponse{}, p.codeRefused(ctx, c, err)
	}
	if res.Session == nil { // a replay: what the code issued is revoked
		p.svc.SessionsEnded(ctx, res.Revoked, now, "authorization code replayed")
		p.event(ctx, slog.LevelWarn, "code.replay", "authorization code replayed: its session is revoked",
			slog.String("client_id", c.ID), slog.String("user_id", res.User.ID), slog.String("session_id", res.Code.SessionID))
		return TokenResponse{}, errCodeGrant
	}
	scope, _ := parseScope(res.Code.Scope)
	return p.issueForUser(grant{client: c, user: res.User, session: *res.Session, scope: scope,
		refresh: refresh, nonce: res.Code.Nonce, at: now})
}

// redemption is the RedeemFunc of redeemCode; it runs under the store's
// write lock and only compares and hashes.
func (p *Provider) redemption(c signet.Client, r TokenRequest, code signet.AuthCode, u signet.User, now time.Time, refreshHash []byte) (signet.Redemption, error) {
	refuse := func(reason string) (signet.Redemption, error) {
		return signet.Redemption{}, &codeRefusal{err: errCodeGrant, reason: reason}
	}
	switch {
	case code.Used():
		return signet.Redemption{Revoke: &signet.SessionRevocation{SessionID: code.SessionID, At: now,
			FeedUntil: p.svc.FeedUntil(now)}}, nil
	case code.ClientID != c.ID:
		return refuse("issued to another client")
	case !now.Before(code.ExpiresAt):
		return refuse("expired")
	case code.RedirectURI != r.RedirectURI:
		return refuse("another redirect URI")
	case !verifierMatches(r.CodeVerifier, code.CodeChallenge):
		return refuse("wrong PKCE verifier")
	case u.Disabled:
		return refuse("account disabled")
	}
	sess := &signet.Session{ID: signet.NewID(), UserID: u.ID, ClientID: c.ID, Scope: code.Scope,
		UserAgent: userAgent(r.Meta.UserAgent), CreatedAt: now, LastUsedAt: now, AuthTime: code.AuthTime,
		ExpiresAt: now.Add(p.acct.RefreshAbsoluteTTL)}
	sess.IdleExpiresAt = now.Add(p.acct.RefreshIdleTTL)
	if sess.IdleExpiresAt.After(sess.ExpiresAt) {
		sess.IdleExpiresAt = sess.ExpiresAt
	}
	red := signet.Redemption{At: now, Session: sess}
	if refreshHash != nil {
		red.First = &signet.RefreshToken{Hash: refreshHash, CreatedAt: now, ExpiresAt: sess.IdleExpiresAt}
	}
	return red, nil
}

// codeRefused logs a refused code and returns the client's error.
func (p *Provider) codeRefused(ctx context.Context, c signet.Client, err error) error {
	var r *codeRefusal
	switch {
	case errors.As(err, &r):
		p.logRefused(ctx, c, r.reason)
		return r.err
	case errors.Is(err, signet.ErrNotFound):
		p.logRefused(ctx, c, "unknown code")
		return errCodeGrant
	}
	return internal("redeeming the authorization code", err)
}

// userAgent bounds a User-Agent header for storage.
func userAgent(ua string) string {
	if len(ua) > 256 {
		return strings.ToValidUTF8(ua[:256], "")
	}
	return ua
}
