package token

import (
	"crypto"
	_ "crypto/sha256" // registers SHA-256
	_ "crypto/sha512" // registers SHA-384 and SHA-512
	"encoding/base64"
	"fmt"

	"github.com/signet-dev/signet/jose"
)

// AccessTokenHash returns the at_hash of an access token for an ID token
// signed with alg (OpenID Connect Core section 3.1.3.6): the left half of the
// hash of the token's ASCII form, base64url-encoded, where the hash is the
// one alg uses. EdDSA with Ed25519 uses SHA-512, as the OpenID Foundation's
// registration of EdDSA for OIDC specifies.
func AccessTokenHash(alg jose.Algorithm, accessToken string) (string, error) {
	h, ok := hashFor(alg)
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
	}
	d := h.New()
	d.Write([]byte(accessToken))
	sum := d.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), nil
}

func hashFor(alg jose.Algorithm) (crypto.Hash, bool) {
	switch alg {
	case jose.HS256, jose.RS256, jose.PS256, jose.ES256:
		return crypto.SHA256, true
	case jose.HS384, jose.RS384, jose.PS384, jose.ES384:
		return crypto.SHA384, true
	case jose.HS512, jose.RS512, jose.PS512, jose.ES512, jose.EdDSA:
		return crypto.SHA512, true
	}
	return 0, false
}
