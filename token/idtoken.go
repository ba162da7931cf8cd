package token

import (
	"fmt"
	"time"

	"github.com/signet-dev/signet/jose"
)

// ID is what an ID token says (OpenID Connect Core section 2).
type ID struct {
	Issuer    string // iss
	Subject   string // sub
	ClientID  string // aud: the client the token is for
	SessionID string // sid (OIDC Front-/Back-Channel Logout)
	AuthTime  time.Time
	IssuedAt  time.Time
	TTL       time.Duration
	Nonce     string // echoed when the client sent one
	// AccessToken, when set, is the access token issued with this ID token;
	// its hash goes into at_hash (section 3.1.3.6) under the hash of the
	// signer's algorithm.
	AccessToken string
	// Profile claims, released by the caller according to the granted
	// scopes. Email, when set, goes with email_verified, written even when
	// false so a client never mistakes an absent claim for a verified one.
	Email         string
	EmailVerified bool
	Name          string
}

// idClaims adds an explicit email_verified to the registered claims.
type idClaims struct {
	jose.Claims
	EmailVerified *bool `json:"email_verified,omitempty"`
}

// NewIDToken signs an ID token with s, a Signer whose type is the default
// "JWT". It returns an error wrapping ErrInvalidParams when iss, sub, the
// client id, auth_time or a positive lifetime is missing, and
// ErrUnsupportedAlgorithm when at_hash is asked for an algorithm without one.
func NewIDToken(s *jose.Signer, id ID) (string, error) {
	if id.Issuer == "" || id.Subject == "" || id.ClientID == "" || id.AuthTime.IsZero() || id.IssuedAt.IsZero() || id.TTL <= 0 {
		return "", fmt.Errorf("%w: ID token needs iss, sub, aud, auth_time, iat and a lifetime", ErrInvalidParams)
	}
	c := idClaims{Claims: jose.Claims{
		Issuer:    id.Issuer,
		Subject:   id.Subject,
		Audience:  jose.Audience{id.ClientID},
		IssuedAt:  jose.NewNumericDate(id.IssuedAt),
		ExpiresAt: jose.NewNumericDate(id.IssuedAt.Add(id.TTL)),
		AuthTime:  jose.NewNumericDate(id.AuthTime),
		SessionID: id.SessionID,
		Nonce:     id.Nonce,
		Email:     id.Email,
		Name:      id.Name,
	}}
	if id.Email != "" {
		c.EmailVerified = &id.EmailVerified
	}
	if id.AccessToken != "" {
		h, err := AccessTokenHash(s.Key().Algorithm(), id.AccessToken)
		if err != nil {
			return "", err
		}
		c.AccessTokenHash = h
	}
	tok, err := s.Sign(&c)
	if err != nil {
		return "", fmt.Errorf("token: signing ID token: %w", err)
	}
	return tok, nil
}
