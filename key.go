package signet

import (
	"context"
	"time"
)

// KeyState is where a signing key is in its life.
type KeyState string

// A key is made "next" (published in the JWKS before it signs, so verifiers
// that cache the JWKS already know it), becomes "current" (it signs), and is
// "retired" (published, no longer signing) until DeleteAfter, when every token
// it signed has expired and it may be deleted.
const (
	KeyNext    KeyState = "next"
	KeyCurrent KeyState = "current"
	KeyRetired KeyState = "retired"
)

// Valid reports whether s is one of the three states.
func (s KeyState) Valid() bool {
	return s == KeyNext || s == KeyCurrent || s == KeyRetired
}

// SigningKey is one signing key. Several are current at once, one per
// algorithm (ES256 for access tokens, RS256 for ID tokens of clients that ask
// for it, HS256 in single-service mode); a store refuses a second current or a
// second next key for one algorithm with an ECONFLICT error.
type SigningKey struct {
	KID       string
	Algorithm string // a JOSE algorithm name: "ES256", "RS256", "HS256", ...
	State     KeyState
	// PublicJWK is the public key as a JWK (JSON), as published in the JWKS.
	// It is nil for an HMAC secret, which is never published.
	PublicJWK []byte
	// EncryptedPrivate is the private key or secret, encrypted with the
	// master key named by MasterKeyID (AES-256-GCM, the KID bound as
	// associated data), so the master key can be rotated.
	EncryptedPrivate []byte
	MasterKeyID      string
	CreatedAt        time.Time
	ActivatedAt      time.Time // when it became current; zero before
	RetiredAt        time.Time // when it stopped signing; zero before
	DeleteAfter      time.Time // RetiredAt plus the longest token lifetime; zero before retirement
}

// Published reports whether the key belongs in the JWKS at now: a public key
// that is next, current, or retired and not yet past DeleteAfter.
func (k SigningKey) Published(now time.Time) bool {
	if k.PublicJWK == nil {
		return false
	}
	return k.State != KeyRetired || now.Before(k.DeleteAfter)
}

// Validate reports an EINVALID error if the key cannot be stored.
func (k SigningKey) Validate() error {
	switch {
	case k.KID == "" || k.Algorithm == "":
		return Errorf(EINVALID, "signing key: kid and algorithm are required")
	case !k.State.Valid():
		return Errorf(EINVALID, "signing key: unknown state %q", k.State)
	case len(k.EncryptedPrivate) == 0 || k.MasterKeyID == "":
		return Errorf(EINVALID, "signing key: encrypted private key and master key id are required")
	case k.CreatedAt.IsZero():
		return Errorf(EINVALID, "signing key: creation time is required")
	}
	return nil
}

// KeyChange is what the callback of KeyStore.UpdateKeys returns.
type KeyChange struct {
	// Put stores each key: a new KID is inserted, a known one replaced. The
	// algorithm and public key of a stored KID never change (EINVALID).
	Put []SigningKey
	// Delete removes the keys with these KIDs; unknown ones are ignored.
	Delete []string
}

// KeyStore keeps signing keys.
type KeyStore interface {
	// CreateKey stores a new key. It returns an EINVALID error if k fails
	// Validate, and an ECONFLICT error if the KID is taken or if k would be a
	// second current or next key for its algorithm.
	CreateKey(ctx context.Context, k SigningKey) error

	// Key returns the key with the given KID, or an ENOTFOUND error.
	Key(ctx context.Context, kid string) (SigningKey, error)

	// ListKeys returns every stored key, ordered by algorithm, then creation.
	ListKeys(ctx context.Context) ([]SigningKey, error)

	// UpdateKeys reads every key, calls fn with them and applies its
	// KeyChange, all in one transaction under the write lock: a rotation
	// (current to retired, next to current, a new next) is one atomic step,
	// and two instances rotating at once apply one after the other. It
	// returns the keys as stored afterwards; an error from fn is returned as
	// it is and nothing changes. Deletions are applied first, then the puts in
	// the order retired, current, next, so a rotation never passes through a
	// state with two current keys; a change that would leave two current or
	// two next keys for one algorithm returns an ECONFLICT error.
	UpdateKeys(ctx context.Context, fn func(keys []SigningKey) (KeyChange, error)) ([]SigningKey, error)
}
