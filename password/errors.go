package password

import "errors"

// Errors returned by the Hasher. Callers test for them with errors.Is; the
// returned errors wrap them with detail that never includes a password or
// the stored hash.
var (
	// ErrMalformedHash means a stored hash is not a PHC string this package
	// can read: wrong shape, wrong algorithm or version, non-canonical
	// numbers or bad base64.
	ErrMalformedHash = errors.New("password: malformed PHC hash")

	// ErrUnsafeParams means argon2id parameters are outside the limits this
	// package accepts: a stored hash whose cost could exhaust memory or CPU,
	// or a configuration weaker than OWASP's minimum.
	ErrUnsafeParams = errors.New("password: unsafe argon2id parameters")
)

// Errors returned by Policy.Check. Their messages are written for the person
// choosing the password and can be shown to them as they are.
var (
	// ErrTooShort means the password has fewer code points than the policy's
	// minimum.
	ErrTooShort = errors.New("password is too short")

	// ErrTooLong means the password has more code points than the policy's
	// maximum.
	ErrTooLong = errors.New("password is too long")

	// ErrCommon means the password, ignoring case, is on the shipped list of
	// common passwords, is a list entry with digits or symbols around it or
	// simple letter-for-digit swaps, or is a trivial pattern such as a
	// repeated character or a run like "abcdefgh".
	ErrCommon = errors.New("password is too common")

	// ErrContainsContext means the password is derived from the account's own
	// details, such as its email address or name.
	ErrContainsContext = errors.New("password is based on your account details")
)
