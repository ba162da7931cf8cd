package signet

import "context"

// Store is everything signet keeps. The SQLite store (package sqlite) and the
// PostgreSQL store implement it, and both pass the conformance suite in
// package storetest, which is the executable form of the contracts written on
// these interfaces.
//
// Errors: every method returns the documented *Error codes (match them with
// errors.Is and the sentinels ErrNotFound, ErrConflict, ErrInvalid); any other
// error is internal, and its text may name tables or driver details that must
// not reach a client (use ErrorMessage).
type Store interface {
	UserStore
	SessionStore
	KeyStore
	RevocationStore
	ThrottleStore
	OAuthStore

	// Ping reports whether the store can serve reads and writes; /readyz
	// calls it.
	Ping(ctx context.Context) error

	// Close releases the store's resources. The store must not be used
	// afterwards.
	Close() error
}
