package signet

import (
	"context"
	"strings"
	"time"
)

// User is an account. ID is its `sub`: random, immutable, never the email.
type User struct {
	ID           string
	Email        string // normalized by NormalizeEmail; unique among users
	Name         string
	PasswordHash string // PHC string (argon2id); empty for an account without a password
	Roles        []string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NormalizeEmail returns the form in which emails are stored and compared:
// surrounding white space trimmed, lower case. Two addresses that differ only
// in case are the same account (PRODUCT.md, "emails are compared
// case-insensitively after trimming").
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// HasRole reports whether the user holds role.
func (u User) HasRole(role string) bool {
	for _, r := range u.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Validate reports an EINVALID error if the user cannot be stored: a missing
// id, an email that is empty or not normalized, or a missing creation time.
func (u User) Validate() error {
	switch {
	case u.ID == "":
		return Errorf(EINVALID, "user: id is required")
	case u.Email == "" || u.Email != NormalizeEmail(u.Email):
		return Errorf(EINVALID, "user: email must be set and normalized")
	case u.CreatedAt.IsZero() || u.UpdatedAt.IsZero():
		return Errorf(EINVALID, "user: created and updated times are required")
	}
	return nil
}

// UserUpdate is what the callback of UserStore.UpdateUser returns: the user's
// new state and, optionally, sessions to end in the same transaction.
type UserUpdate struct {
	// User is the new state. Its ID and CreatedAt are ignored: the stored
	// ones are kept.
	User User
	// Revoke, when not nil, ends sessions of this user and writes their
	// revocation entries in the same transaction: a password change ends
	// every other session, a disabled account ends them all.
	Revoke *SessionRevocation
}

// UserFilter selects a page of users, ordered by email.
type UserFilter struct {
	AfterEmail string // only users whose email sorts after this one; "" for the first page
	Limit      int    // at most this many; 0 means DefaultListLimit, capped at MaxListLimit
}

// Page limits for the list methods.
const (
	DefaultListLimit = 100
	MaxListLimit     = 1000
)

// ListLimit returns the limit a store applies for a requested one.
func ListLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultListLimit
	case n > MaxListLimit:
		return MaxListLimit
	}
	return n
}

// UserStore keeps accounts.
type UserStore interface {
	// CreateUser stores a new user. The email is normalized first. It returns
	// an EINVALID error if u fails Validate, and an ECONFLICT error if the id
	// or the email is taken.
	CreateUser(ctx context.Context, u User) error

	// User returns the user with the given id, or an ENOTFOUND error.
	User(ctx context.Context, id string) (User, error)

	// UserByEmail returns the user whose email matches after normalization,
	// or an ENOTFOUND error.
	UserByEmail(ctx context.Context, email string) (User, error)

	// UpdateUser reads the user, calls fn with it and stores what fn returns,
	// all in one transaction under the write lock; it returns the stored
	// user. An error from fn is returned as it is and nothing changes. It
	// returns an ENOTFOUND error for an unknown id, an EINVALID error if the
	// new state fails Validate, and an ECONFLICT error if the new email is
	// taken.
	UpdateUser(ctx context.Context, id string, fn func(User) (UserUpdate, error)) (User, error)

	// ListUsers returns a page of users in email order.
	ListUsers(ctx context.Context, f UserFilter) ([]User, error)
}
