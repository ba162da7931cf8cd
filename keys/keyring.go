package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
)

// MaxKIDLen is the longest key id Seal and Open accept, in bytes.
const MaxKIDLen = 256

// adPrefix starts the associated data of every sealed key; the version
// lets a later format coexist with this one.
const adPrefix = "signet-key-v1"

// Keyring seals private keys under its current master key and opens them
// under the current or any older one. Create it with NewKeyring; it is
// immutable and safe for concurrent use.
type Keyring struct {
	current MasterKey
	older   []MasterKey
	aeads   map[string]cipher.AEAD // by master key id
}

// NewKeyring returns a Keyring that seals with current and opens with
// current or any of older. It returns an error wrapping ErrInvalidMasterKey
// if any key is the zero MasterKey or two keys share an id.
func NewKeyring(current MasterKey, older ...MasterKey) (*Keyring, error) {
	r := &Keyring{current: current, older: older, aeads: make(map[string]cipher.AEAD)}
	for _, k := range append([]MasterKey{current}, older...) {
		if k.isZero() {
			return nil, fmt.Errorf("%w: zero MasterKey in keyring", ErrInvalidMasterKey)
		}
		if _, dup := r.aeads[k.ID]; dup {
			return nil, fmt.Errorf("%w: master key %s given twice", ErrInvalidMasterKey, k.ID)
		}
		block, err := aes.NewCipher(k.key[:])
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err) // cannot happen: the key is 32 bytes
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		r.aeads[k.ID] = aead
	}
	return r, nil
}

// CurrentID returns the id of the master key Seal uses. A stored key whose
// master key id differs should be opened and sealed again.
func (r *Keyring) CurrentID() string { return r.current.ID }

// Seal encrypts plaintext, the private key named kid, with AES-256-GCM
// under the current master key. It returns that master key's id, to be
// stored beside the ciphertext, and the ciphertext: a random 96-bit nonce,
// then the encrypted key and its 16-byte tag. kid is bound as associated
// data, so the result opens only under the same kid. An empty or overlong
// kid yields an error wrapping ErrInvalidKID.
func (r *Keyring) Seal(kid string, plaintext []byte) (masterKeyID string, ciphertext []byte, err error) {
	if err := checkKID(kid); err != nil {
		return "", nil, err
	}
	return r.current.ID, r.aeads[r.current.ID].Seal(nil, nil, plaintext, associatedData(kid)), nil
}

// Open decrypts a ciphertext made by Seal for kid under the master key
// named masterKeyID. It returns an error wrapping ErrUnknownMasterKey if
// the Keyring lacks that master key, ErrDecrypt if the ciphertext does not
// authenticate (wrong kid, tampering, truncation), or ErrInvalidKID.
func (r *Keyring) Open(masterKeyID, kid string, ciphertext []byte) ([]byte, error) {
	if err := checkKID(kid); err != nil {
		return nil, err
	}
	aead, ok := r.aeads[masterKeyID]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownMasterKey, masterKeyID)
	}
	plaintext, err := aead.Open(nil, nil, ciphertext, associatedData(kid))
	if err != nil {
		return nil, fmt.Errorf("%w: kid %q under master key %s", ErrDecrypt, kid, masterKeyID)
	}
	return plaintext, nil
}

// associatedData encodes kid unambiguously: the fixed prefix, the kid's
// length as a big-endian uint32, then the kid.
func associatedData(kid string) []byte {
	ad := make([]byte, 0, len(adPrefix)+4+len(kid))
	ad = append(ad, adPrefix...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(kid)))
	return append(ad, kid...)
}

func checkKID(kid string) error {
	if kid == "" || len(kid) > MaxKIDLen {
		return fmt.Errorf("%w: want 1 to %d bytes, got %d", ErrInvalidKID, MaxKIDLen, len(kid))
	}
	return nil
}
