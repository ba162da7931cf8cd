package account

import (
	"context"
	"fmt"

	"github.com/signet-dev/signet/jose"
)

// Authenticate verifies a bearer access token: signature with the access
// keys, "typ" at+jwt, issuer, an audience that is the issuer or a configured
// one, time claims with the leeway, then the in-memory revocation set. It
// reads no store and is never throttled (SECURITY.md rule 10). Errors wrap
// ErrInvalidToken and the jose sentinel; a revoked token's error also
// matches ErrRevoked.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*jose.Claims, error) {
	c, err := s.access.Verify(bearer)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	if s.revoked.Revoked(c) {
		return nil, fmt.Errorf("%w: %w", ErrRevoked, ErrInvalidToken)
	}
	return c, nil
}
