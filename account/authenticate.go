package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
)

// Authenticate verifies a bearer access token: signature with the access
// keys, "typ" at+jwt, issuer, an audience that is the issuer or a configured
// one, time claims with the leeway, then the in-memory revocation set. It
// goes through the verification library (jose/verify), as the APIs that
// trust signet do, so a token seen before is answered from its cache. It
// reads no store and is never throttled (SECURITY.md rule 10). Errors wrap
// ErrInvalidToken and the jose sentinel; a revoked token's error also
// matches ErrRevoked. The claims may be shared with other callers and must
// not be modified.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*jose.Claims, error) {
	c, err := s.access.Verify(bearer)
	switch {
	case errors.Is(err, verify.ErrRevoked):
		return nil, fmt.Errorf("%w: %w", ErrRevoked, ErrInvalidToken)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return c, nil
}

// RevocationSet returns the service's revocation set, kept current by Sync
// and Run, for verifiers that must refuse what it covers (the OpenID
// provider's introspection). Callers must not add to it.
func (s *Service) RevocationSet() *verify.RevocationSet { return &s.revoked }
