package jose

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, so callers tell failures apart with errors.Is. The wrapping error's
// message says what was wrong in terms a person can act on; it never contains
// key material, and never the token itself.
var (
	// ErrMalformed reports a token, header, payload or JWK that is not
	// well formed: wrong number of parts, bad base64url, non-canonical
	// encoding, invalid or duplicate-member JSON, a claim of the wrong type,
	// or a token larger than the configured limit.
	ErrMalformed = errors.New("jose: malformed")

	// ErrUnsupportedAlgorithm reports an algorithm that is unknown, refused
	// (such as "none"), not allowed by the verifier, or different from the
	// algorithm the selected key is bound to.
	ErrUnsupportedAlgorithm = errors.New("jose: unsupported algorithm")

	// ErrUnsupportedHeader reports a protected header that asks for
	// processing this package refuses: a "crit" parameter, "b64": false, or
	// the JWE members "zip" and "enc" (encrypted or compressed tokens).
	ErrUnsupportedHeader = errors.New("jose: unsupported header parameter")

	// ErrKeyNotFound reports that no key of the verifier's key set matches the
	// token's "kid".
	ErrKeyNotFound = errors.New("jose: key not found")

	// ErrInvalidKey reports key material that is unusable or refused: too
	// short a secret, an RSA modulus under 2048 bits or with the ROCA
	// fingerprint, a point not on its curve, a key meant for encryption, or a
	// key set mixing secrets with public keys or repeating a "kid".
	ErrInvalidKey = errors.New("jose: invalid key")

	// ErrBadSignature reports a signature that does not verify.
	ErrBadSignature = errors.New("jose: bad signature")

	// ErrExpired reports a token whose "exp" has passed (leeway included).
	ErrExpired = errors.New("jose: token expired")

	// ErrNotYetValid reports a token whose "nbf" or "iat" lies in the future
	// (leeway included).
	ErrNotYetValid = errors.New("jose: token not yet valid")

	// ErrWrongIssuer reports an "iss" that is not the configured issuer.
	ErrWrongIssuer = errors.New("jose: wrong issuer")

	// ErrWrongAudience reports an "aud" that holds none of the accepted
	// audiences.
	ErrWrongAudience = errors.New("jose: wrong audience")

	// ErrWrongType reports a "typ" header that is not the kind of token the
	// verifier accepts (an ID token presented as an access token, say).
	ErrWrongType = errors.New("jose: wrong token type")

	// ErrMissingClaim reports a required claim that is absent.
	ErrMissingClaim = errors.New("jose: missing required claim")
)

// joseError carries a sentinel and a human-readable detail. It is used on the
// failure path only, so its allocation never touches a successful verify.
type joseError struct {
	kind   error
	detail string
}

func (e *joseError) Error() string { return e.kind.Error() + ": " + e.detail }
func (e *joseError) Unwrap() error { return e.kind }

func errorf(kind error, detail string) error { return &joseError{kind: kind, detail: detail} }
