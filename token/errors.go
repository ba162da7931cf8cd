package token

import "errors"

// Errors returned by this package, found with errors.Is.
var (
	// ErrInvalidParams means a token cannot be made from what the caller
	// gave: a required claim is empty or the lifetime is not positive.
	ErrInvalidParams = errors.New("token: invalid parameters")

	// ErrUnsupportedAlgorithm means at_hash is not defined for the algorithm.
	ErrUnsupportedAlgorithm = errors.New("token: no at_hash for this algorithm")
)
