package oauth2

import (
	"slices"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/token"
)

// TokenResponse is the token endpoint's answer (RFC 6749 section 5.1,
// OpenID Connect Core section 3.1.3.3).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"` // "Bearer"
	ExpiresIn    int64  `json:"expires_in"` // seconds
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// grant is what a user-bound token response is made of.
type grant struct {
	client  signet.Client
	user    signet.User
	session signet.Session
	scope   []string
	refresh string // the refresh token to hand out, "" for none
	nonce   string
	at      time.Time
}

// audiences is the "aud" of the client's access tokens: its registered
// audiences, or the server's; plus the issuer when the token may call
// userinfo (scope openid), as signet's own endpoints want it there.
func (p *Provider) audiences(c signet.Client, scope []string) []string {
	aud := slices.Clone(c.Audiences)
	if len(aud) == 0 {
		aud = slices.Clone(p.acct.Audiences)
	}
	if hasScope(scope, "openid") && !slices.Contains(aud, p.acct.Issuer) {
		aud = append(aud, p.acct.Issuer)
	}
	return aud
}

// idAlg is the algorithm of the client's ID tokens.
func (p *Provider) idAlg(c signet.Client) jose.Algorithm {
	if c.IDTokenAlg != "" {
		return jose.Algorithm(c.IDTokenAlg)
	}
	return p.defaultIDAlg()
}

// issueForUser signs the access token (and, with scope openid, the ID
// token) of a user grant.
func (p *Provider) issueForUser(g grant) (TokenResponse, error) {
	as, err := p.keys.AccessSigner()
	if err != nil {
		return TokenResponse{}, internal("access token key", err)
	}
	at, _, err := token.NewAccessToken(as, token.Access{Issuer: p.acct.Issuer, Subject: g.user.ID,
		Audience: p.audiences(g.client, g.scope), ClientID: g.client.ID, Scope: joinScope(g.scope),
		SessionID: g.session.ID, Roles: g.user.Roles, IssuedAt: g.at, TTL: p.acct.AccessTTL})
	if err != nil {
		return TokenResponse{}, internal("access token", err)
	}
	resp := TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresIn: int64(p.acct.AccessTTL / time.Second),
		RefreshToken: g.refresh, Scope: joinScope(g.scope)}
	if hasScope(g.scope, "openid") {
		if resp.IDToken, err = p.idToken(g, at); err != nil {
			return TokenResponse{}, err
		}
	}
	return resp, nil
}

// idToken signs the ID token of a grant, releasing the profile claims its
// scopes name (OpenID Connect Core section 5.4).
func (p *Provider) idToken(g grant, accessToken string) (string, error) {
	signer, err := p.keys.Signer(p.idAlg(g.client))
	if err != nil {
		return "", internal("ID token key", err)
	}
	id := token.ID{Issuer: p.acct.Issuer, Subject: g.user.ID, ClientID: g.client.ID, SessionID: g.session.ID,
		AuthTime: g.session.AuthTime, IssuedAt: g.at, TTL: p.acct.IDTokenTTL, Nonce: g.nonce, AccessToken: accessToken}
	if hasScope(g.scope, "email") {
		id.Email = g.user.Email // email_verified stays false until signet verifies addresses
	}
	if hasScope(g.scope, "profile") {
		id.Name = g.user.Name
	}
	t, err := token.NewIDToken(signer, id)
	if err != nil {
		return "", internal("ID token", err)
	}
	return t, nil
}

// issueForClient signs a client-credentials access token: the client is its
// own subject, and there is no session, refresh token or ID token.
func (p *Provider) issueForClient(c signet.Client, scope []string, now time.Time) (TokenResponse, error) {
	as, err := p.keys.AccessSigner()
	if err != nil {
		return TokenResponse{}, internal("access token key", err)
	}
	at, _, err := token.NewAccessToken(as, token.Access{Issuer: p.acct.Issuer, Subject: c.ID,
		Audience: p.audiences(c, nil), ClientID: c.ID, Scope: joinScope(scope), IssuedAt: now, TTL: p.acct.AccessTTL})
	if err != nil {
		return TokenResponse{}, internal("access token", err)
	}
	return TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresIn: int64(p.acct.AccessTTL / time.Second),
		Scope: joinScope(scope)}, nil
}
