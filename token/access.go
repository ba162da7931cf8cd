package token

import (
	"fmt"
	"slices"
	"time"

	"github.com/signet-dev/signet/jose"
)

// Access is what an access token says (RFC 9068 section 2.2).
type Access struct {
	Issuer    string   // iss
	Subject   string   // sub: the user's id, never the email
	Audience  []string // aud: the APIs the token is for
	ClientID  string   // client_id: the client the token was issued to
	Scope     string   // scope, space-separated; may be empty
	SessionID string   // sid: the session, so revoking it kills the token
	Roles     []string // roles (RFC 7643 / RFC 9068 section 2.2.3.1)
	IssuedAt  time.Time
	TTL       time.Duration
}

// NewAccessToken signs an access token with s, which must be a Signer made
// with jose.WithType(jose.TypeAccessToken) so the header says "at+jwt"
// (RFC 9068 section 2.1). Each token gets a random jti. It returns the token
// and its claims, whose ExpiresAt the caller reports as expires_in. It
// returns an error wrapping ErrInvalidParams when iss, sub, aud, client_id or
// a positive lifetime is missing.
func NewAccessToken(s *jose.Signer, a Access) (string, *jose.Claims, error) {
	if a.Issuer == "" || a.Subject == "" || len(a.Audience) == 0 || a.ClientID == "" || a.TTL <= 0 || a.IssuedAt.IsZero() {
		return "", nil, fmt.Errorf("%w: access token needs iss, sub, aud, client_id, iat and a lifetime", ErrInvalidParams)
	}
	c := &jose.Claims{
		Issuer:    a.Issuer,
		Subject:   a.Subject,
		Audience:  slices.Clone(jose.Audience(a.Audience)),
		IssuedAt:  jose.NewNumericDate(a.IssuedAt),
		ExpiresAt: jose.NewNumericDate(a.IssuedAt.Add(a.TTL)),
		ID:        NewJTI(),
		ClientID:  a.ClientID,
		Scope:     a.Scope,
		SessionID: a.SessionID,
		Roles:     slices.Clone(a.Roles),
	}
	tok, err := s.Sign(c)
	if err != nil {
		return "", nil, fmt.Errorf("token: signing access token: %w", err)
	}
	return tok, c, nil
}
