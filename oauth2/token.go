package oauth2

import (
	"context"
	"errors"
	"log/slog"
	"slices"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
)

// TokenRequest is a request to the token endpoint (RFC 6749 sections 4.1.3,
// 4.4.2 and 6), its parameters taken from the form once each.
type TokenRequest struct {
	Client       ClientAuth
	GrantType    string
	Code         string // authorization_code
	RedirectURI  string // authorization_code
	CodeVerifier string // authorization_code (RFC 7636 section 4.5)
	RefreshToken string // refresh_token
	Scope        string // refresh_token (a narrowing) and client_credentials
	Meta         account.Meta
}

// Token answers a token request. Errors are *Error: invalid_client for a
// failed client authentication, unauthorized_client for a grant the client
// may not use, unsupported_grant_type, invalid_grant, invalid_scope,
// invalid_request; anything else is internal.
func (p *Provider) Token(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	c, err := p.authenticateClient(ctx, r.Client)
	if err != nil {
		return TokenResponse{}, err
	}
	switch r.GrantType {
	case signet.GrantAuthorizationCode, signet.GrantRefreshToken, signet.GrantClientCredentials:
	case "":
		return TokenResponse{}, oauthErr(ErrInvalidRequest, "grant_type is required")
	default:
		return TokenResponse{}, oauthErr(ErrUnsupportedGrantType, "the grant types are authorization_code, refresh_token and client_credentials")
	}
	if !c.AllowsGrant(r.GrantType) {
		return TokenResponse{}, oauthErr(ErrUnauthorizedClient, "the client is not registered for the "+r.GrantType+" grant")
	}
	switch r.GrantType {
	case signet.GrantAuthorizationCode:
		return p.redeemCode(ctx, c, r)
	case signet.GrantRefreshToken:
		return p.refresh(ctx, c, r)
	}
	return p.clientCredentials(ctx, c, r)
}

// clientCredentials issues a service token (RFC 6749 section 4.4).
func (p *Provider) clientCredentials(ctx context.Context, c signet.Client, r TokenRequest) (TokenResponse, error) {
	requested, err := parseScope(r.Scope)
	if err != nil {
		return TokenResponse{}, err
	}
	scope, err := clientScopes(c, requested)
	if err != nil {
		return TokenResponse{}, err
	}
	return p.issueForClient(c, scope, p.now())
}

// refresh rotates a refresh token of the client with the account service's
// own rotation (reuse after the grace window revokes the session); a scope
// parameter may only narrow the session's scope (RFC 6749 section 6).
func (p *Provider) refresh(ctx context.Context, c signet.Client, r TokenRequest) (TokenResponse, error) {
	if r.RefreshToken == "" {
		return TokenResponse{}, oauthErr(ErrInvalidRequest, "refresh_token is required")
	}
	narrower, err := parseScope(r.Scope)
	if err != nil {
		return TokenResponse{}, err
	}
	rot, err := p.svc.RotateFor(ctx, c.ID, r.RefreshToken, r.Meta)
	switch {
	case errors.Is(err, account.ErrInvalidGrant):
		return TokenResponse{}, oauthErr(ErrInvalidGrant, "the refresh token is unknown, expired, revoked, already used or not this client's")
	case err != nil:
		return TokenResponse{}, err
	}
	// The session's scope, narrowed as the first-party API narrows it (a
	// role taken away takes its scopes), except that the OpenID scopes are
	// the user's consent to give, not a role's.
	sessionScope, _ := parseScope(rot.Session.Scope)
	scope := forUser(sessionScope, p.svc.GrantedScopes(rot.User.Roles))
	if len(narrower) > 0 {
		for _, s := range narrower {
			if !slices.Contains(scope, s) {
				return TokenResponse{}, oauthErr(ErrInvalidScope, "a refresh may narrow the scope, never widen it")
			}
		}
		scope = narrower
	}
	return p.issueForUser(grant{client: c, user: rot.User, session: rot.Session, scope: scope,
		refresh: rot.RefreshToken, at: rot.At})
}

// logRefused logs a refused grant with its reason; never the code or token.
func (p *Provider) logRefused(ctx context.Context, c signet.Client, reason string, attrs ...slog.Attr) {
	p.event(ctx, slog.LevelInfo, "token.refused", "token request refused",
		append([]slog.Attr{slog.String("client_id", c.ID), slog.String("reason", reason)}, attrs...)...)
}
