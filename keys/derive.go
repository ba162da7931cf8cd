package keys

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// DeriveKey returns a 32-byte key for purpose (a fixed label such as
// "oauth2 client secret"), derived with HKDF-SHA-256 from the master key
// named masterKeyID, current or older. The same master key and purpose give
// the same key on every instance, so nothing is stored; different purposes
// give independent keys, none of which reveals the master key. An unknown
// id returns an error wrapping ErrUnknownMasterKey.
func (r *Keyring) DeriveKey(masterKeyID, purpose string) ([]byte, error) {
	for _, k := range append([]MasterKey{r.current}, r.older...) {
		if k.ID == masterKeyID {
			return hkdf.Key(sha256.New, k.key[:], nil, "signet derived key v1: "+purpose, 32)
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrUnknownMasterKey, masterKeyID)
}
