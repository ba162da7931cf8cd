package oauth2

import (
	"context"
	"errors"
	"strings"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/token"
)

// Introspection is the answer of the introspection endpoint (RFC 7662
// section 2.2). An inactive token is {"active": false} and nothing else, so
// the answer says nothing about why.
type Introspection struct {
	Active    bool     `json:"active"`
	Scope     string   `json:"scope,omitempty"`
	ClientID  string   `json:"client_id,omitempty"`
	TokenType string   `json:"token_type,omitempty"` // "Bearer" or "refresh_token"
	Exp       int64    `json:"exp,omitempty"`
	Iat       int64    `json:"iat,omitempty"`
	Sub       string   `json:"sub,omitempty"`
	Aud       []string `json:"aud,omitempty"`
	Iss       string   `json:"iss,omitempty"`
	JTI       string   `json:"jti,omitempty"`
	SID       string   `json:"sid,omitempty"`
}

// Introspect answers whether a token is active (RFC 7662). The caller must
// be a confidential client (a resource server). An access token is active
// when it verifies (signature, issuer, type, time) and is not revoked,
// whatever its audience, which the answer reports; a refresh token when it
// is current, unexpired, its session live, and it is the caller's own.
func (p *Provider) Introspect(ctx context.Context, a ClientAuth, tok string) (Introspection, error) {
	c, err := p.authenticateClient(ctx, a)
	if err != nil {
		return Introspection{}, err
	}
	if c.Public() {
		return Introspection{}, oauthErr(ErrInvalidClient, "a public client cannot introspect tokens")
	}
	if tok == "" {
		return Introspection{}, oauthErr(ErrInvalidRequest, "token is required")
	}
	if claims, ok := p.verifyAccess(tok); ok {
		return Introspection{Active: true, Scope: claims.Scope, ClientID: claims.ClientID, TokenType: "Bearer",
			Exp: int64(claims.ExpiresAt), Iat: int64(claims.IssuedAt), Sub: claims.Subject,
			Aud: []string(claims.Audience), Iss: claims.Issuer, JTI: claims.ID, SID: claims.SessionID}, nil
	}
	return p.introspectRefresh(ctx, c, tok)
}

// verifyAccess verifies an access token of any audience and checks the
// revocation set; a token verified before is answered from the verifier's
// cache, whose entries a revocation reaches at once.
func (p *Provider) verifyAccess(tok string) (*jose.Claims, bool) {
	if strings.Count(tok, ".") != 2 {
		return nil, false
	}
	c, err := p.access.Verify(tok)
	return c, err == nil
}

func (p *Provider) introspectRefresh(ctx context.Context, c signet.Client, tok string) (Introspection, error) {
	t, sess, ok, err := p.liveRefresh(ctx, tok)
	if err != nil || !ok || t.ClientID != c.ID {
		return Introspection{}, err
	}
	return Introspection{Active: true, Scope: sess.Scope, ClientID: t.ClientID, TokenType: "refresh_token",
		Exp: t.ExpiresAt.Unix(), Iat: t.CreatedAt.Unix(), Sub: sess.UserID, Iss: p.acct.Issuer, SID: sess.ID}, nil
}

// liveRefresh finds a refresh token and its session, and reports whether it
// can still be used: current, unexpired, its session live.
func (p *Provider) liveRefresh(ctx context.Context, tok string) (signet.RefreshToken, signet.Session, bool, error) {
	if !token.LooksLikeRefreshToken(tok) {
		return signet.RefreshToken{}, signet.Session{}, false, nil
	}
	t, err := p.store.RefreshToken(ctx, signet.HashRefreshToken(tok))
	if errors.Is(err, signet.ErrNotFound) {
		return t, signet.Session{}, false, nil
	}
	if err != nil {
		return t, signet.Session{}, false, internal("reading the refresh token", err)
	}
	sess, err := p.store.Session(ctx, t.SessionID)
	if err != nil {
		return t, sess, false, internal("reading the session", err)
	}
	now := p.now()
	return t, sess, !t.Rotated() && now.Before(t.ExpiresAt) && sess.Active(now), nil
}

// Revoke revokes a token (RFC 7009): a refresh token ends its session
// (every token of it, access tokens included); an access token is revoked
// by its jti. The client must be the token's: another client's token, an
// unknown or invalid one, is left alone and still answered with success
// (section 2.2), so the endpoint reveals nothing.
func (p *Provider) Revoke(ctx context.Context, a ClientAuth, tok string) error {
	c, err := p.authenticateClient(ctx, a)
	if err != nil {
		return err
	}
	if tok == "" {
		return oauthErr(ErrInvalidRequest, "token is required")
	}
	if claims, ok := p.verifyAccess(tok); ok {
		if claims.ClientID != c.ID {
			return nil
		}
		return p.svc.RevokeAccessToken(ctx, claims)
	}
	t, sess, _, err := p.liveRefresh(ctx, tok)
	if err != nil || t.ClientID != c.ID || sess.ID == "" {
		return err
	}
	return p.svc.EndSession(ctx, sess.UserID, sess.ID, "refresh token revoked by its client")
}
