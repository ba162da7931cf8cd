package signet

import (
	"context"
	"slices"
	"time"
)

// Consent is a user's remembered grant to one client: the scopes the user
// agreed to let it have. An authorization request for a subset of them
// skips the consent page; one asking for more shows it again.
type Consent struct {
	UserID    string
	ClientID  string
	Scopes    []string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Covers reports whether every scope of want is among the consent's.
func (c Consent) Covers(want []string) bool {
	for _, s := range want {
		if !slices.Contains(c.Scopes, s) {
			return false
		}
	}
	return true
}

// Validate reports an EINVALID error if the consent cannot be stored.
func (c Consent) Validate() error {
	if c.UserID == "" || c.ClientID == "" || c.CreatedAt.IsZero() || c.UpdatedAt.IsZero() {
		return Errorf(EINVALID, "consent: user, client and times are required")
	}
	return nil
}

// ConsentStore keeps consents.
type ConsentStore interface {
	// PutConsent stores c, replacing the user's consent to that client if
	// there is one (its CreatedAt is kept). It returns an EINVALID error if
	// c fails Validate and an ENOTFOUND error if the user or the client does
	// not exist.
	PutConsent(ctx context.Context, c Consent) error

	// Consent returns the user's consent to the client, or an ENOTFOUND
	// error.
	Consent(ctx context.Context, userID, clientID string) (Consent, error)

	// ListConsents returns the user's consents, ordered by client id.
	ListConsents(ctx context.Context, userID string) ([]Consent, error)

	// RevokeConsent deletes the user's consent to the client and ends every
	// session of the user issued to that client, writing their revocation
	// entries as r says (r.SessionID, r.KeepSessionID and r.BySubject are
	// ignored), in one transaction. It returns the sessions it ended, or an
	// ENOTFOUND error if there was no such consent.
	RevokeConsent(ctx context.Context, userID, clientID string, r SessionRevocation) ([]Session, error)
}
