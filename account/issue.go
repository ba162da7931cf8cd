package account

import (
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/token"
)

// signers are the two signers a token response needs, fetched before any
// write so that a missing key fails a login before it creates a session.
type signers struct{ access, id *jose.Signer }

func (s *Service) signers() (signers, error) {
	at, err := s.keys.AccessSigner()
	if err != nil {
		return signers{}, internal("access token key", err)
	}
	id, err := s.keys.Signer(s.idTokenAlgorithm())
	if err != nil {
		return signers{}, internal("ID token key", err)
	}
	return signers{access: at, id: id}, nil
}

// idTokenAlgorithm signs first-party ID tokens: the access algorithm, so a
// client verifies both with one key type, except in HMAC mode, where the
// secret is the API's and the client could not verify it; RS256 then, which
// every OIDC client supports.
func (s *Service) idTokenAlgorithm() jose.Algorithm {
	switch alg := s.keys.AccessAlgorithm(); alg {
	case jose.HS256, jose.HS384, jose.HS512:
		return jose.RS256
	default:
		return alg
	}
}

// issue signs the access and ID tokens of a token response for u's session
// sess with the given scope, issued at now, with the refresh token to hand
// out.
func (s *Service) issue(sg signers, u signet.User, sess signet.Session, scope, refresh string, now time.Time) (TokenResponse, error) {
	at, _, err := token.NewAccessToken(sg.access, token.Access{
		Issuer: s.cfg.Issuer, Subject: u.ID, Audience: s.cfg.Audiences, ClientID: sess.ClientID,
		Scope: scope, SessionID: sess.ID, Roles: u.Roles, IssuedAt: now, TTL: s.cfg.AccessTTL,
	})
	if err != nil {
		return TokenResponse{}, internal("access token", err)
	}
	id := token.ID{Issuer: s.cfg.Issuer, Subject: u.ID, ClientID: sess.ClientID, SessionID: sess.ID,
		AuthTime: sess.AuthTime, IssuedAt: now, TTL: s.cfg.IDTokenTTL, AccessToken: at}
	if hasScope(scope, "email") {
		id.Email = u.Email // email_verified stays false until signet verifies addresses
	}
	if hasScope(scope, "profile") {
		id.Name = u.Name
	}
	idt, err := token.NewIDToken(sg.id, id)
	if err != nil {
		return TokenResponse{}, internal("ID token", err)
	}
	return TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresIn: int64(s.cfg.AccessTTL / time.Second),
		RefreshToken: refresh, IDToken: idt, Scope: scope}, nil
}
