package signet

import (
	"context"
	"time"
)

// RevocationKind says what a revocation entry covers.
type RevocationKind string

// The kinds of revocation entry (PRODUCT.md, "Revocation feed").
const (
	RevokeJTI RevocationKind = "jti" // one token, by its `jti`
	RevokeSID RevocationKind = "sid" // every token of a session, by `sid`
	RevokeSub RevocationKind = "sub" // every token of a subject issued before Before
)

// Valid reports whether k is one of the three kinds.
func (k RevocationKind) Valid() bool {
	return k == RevokeJTI || k == RevokeSID || k == RevokeSub
}

// Revocation is one entry of the revocation feed. It lives until ExpiresAt,
// the latest `exp` of the tokens it can cover plus the leeway.
type Revocation struct {
	// Cursor orders the feed. The store assigns it at commit: an entry
	// committed after another has a larger cursor, so a follower that resumes
	// after a cursor never misses a later entry. Clients see it as opaque.
	Cursor    int64
	Kind      RevocationKind
	Value     string    // the jti, sid or sub
	Before    time.Time // "sub" only: tokens issued (`iat`) before it are refused
	ExpiresAt time.Time
	CreatedAt time.Time
}

// Validate reports an EINVALID error if the entry cannot be stored.
func (r Revocation) Validate() error {
	switch {
	case !r.Kind.Valid():
		return Errorf(EINVALID, "revocation: unknown kind %q", r.Kind)
	case r.Value == "":
		return Errorf(EINVALID, "revocation: value is required")
	case (r.Kind == RevokeSub) != !r.Before.IsZero():
		return Errorf(EINVALID, "revocation: a cut-off time goes with kind sub, and only with it")
	case r.CreatedAt.IsZero() || r.ExpiresAt.IsZero():
		return Errorf(EINVALID, "revocation: created and expiry times are required")
	}
	return nil
}

// RevocationBounds are the cursors a store holds at one moment.
type RevocationBounds struct {
	// Oldest is the smallest cursor still stored, or Latest+1 if none is.
	Oldest int64
	// Latest is the largest cursor ever assigned (0 before the first entry),
	// whether or not its entry has been purged since.
	Latest int64
}

// CanResume reports whether a follower that has seen every entry up to and
// including cursor can resume from it: nothing after it has been purged, and
// it is not from the future (a cursor of another database). When it cannot,
// the follower starts again from the full list (HTTP 410).
func (b RevocationBounds) CanResume(cursor int64) bool {
	return cursor >= b.Oldest-1 && cursor <= b.Latest
}

// RevocationStore keeps the revocation feed.
type RevocationStore interface {
	// AddRevocations stores the entries in one transaction and returns them
	// with their cursors, in order. It returns an EINVALID error if one fails
	// Validate (and stores none then).
	AddRevocations(ctx context.Context, entries ...Revocation) ([]Revocation, error)

	// LiveRevocations returns every entry that has not expired at now, in
	// cursor order, and the Latest cursor, read from one snapshot: a follower
	// that then asks for what came after that cursor misses nothing.
	LiveRevocations(ctx context.Context, now time.Time) ([]Revocation, int64, error)

	// RevocationsAfter returns at most limit entries (see ListLimit) whose
	// cursor is greater than after, in cursor order.
	RevocationsAfter(ctx context.Context, after int64, limit int) ([]Revocation, error)

	// RevocationBounds returns the oldest stored and the latest assigned
	// cursor, for the 410 rule (RevocationBounds.CanResume).
	RevocationBounds(ctx context.Context) (RevocationBounds, error)

	// PurgeRevocations deletes the entries expired at now and returns how
	// many it deleted.
	PurgeRevocations(ctx context.Context, now time.Time) (int64, error)
}
