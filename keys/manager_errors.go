package keys

import "errors"

// Errors of the key Manager, found with errors.Is. They name kids and
// algorithms, never key material.
var (
	// ErrNoSigningKey means there is no current key for the algorithm asked
	// for: the Manager was not loaded (Ensure, Reload) or the algorithm is
	// not in use.
	ErrNoSigningKey = errors.New("keys: no current signing key")

	// ErrBadStoredKey means a stored key cannot be used: its sealed private
	// part does not open to a key of the stored kid and algorithm.
	ErrBadStoredKey = errors.New("keys: stored signing key is unusable")

	// ErrConfig means a ManagerConfig is inconsistent.
	ErrConfig = errors.New("keys: invalid manager configuration")
)
