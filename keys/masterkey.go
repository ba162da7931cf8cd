package keys

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// MasterKeyLen is the length of a master key in bytes (AES-256).
const MasterKeyLen = 32

// masterKeyIDDomain separates master key ids from any other hash of the key.
const masterKeyIDDomain = "signet master key id v1\x00"

var masterKeyEncoding = base64.StdEncoding.Strict()

// MasterKey is an AES-256 key that seals signing keys at rest. ID names it
// beside each ciphertext; it is derived from the key, so every instance
// given the same key agrees on it without storing it. The zero MasterKey
// is invalid.
//
// String and GoString print only the id, so a MasterKey passed to fmt or a
// logger shows no key material.
type MasterKey struct {
	ID  string
	key [MasterKeyLen]byte
}

// ParseMasterKey decodes the SIGNET_MASTER_KEY format: 32 bytes in
// standard, padded base64 (44 characters), with surrounding white space
// ignored. It returns an error wrapping ErrInvalidMasterKey for any other
// input, including 32 zero bytes; the error never quotes the input.
func ParseMasterKey(b64 string) (MasterKey, error) {
	s := strings.TrimSpace(b64)
	if s == "" {
		return MasterKey{}, fmt.Errorf("%w: empty", ErrInvalidMasterKey)
	}
	raw, err := masterKeyEncoding.DecodeString(s)
	if err != nil || masterKeyEncoding.EncodedLen(len(raw)) != len(s) {
		return MasterKey{}, fmt.Errorf("%w: not standard base64", ErrInvalidMasterKey)
	}
	if len(raw) != MasterKeyLen {
		return MasterKey{}, fmt.Errorf("%w: decodes to %d bytes, want %d", ErrInvalidMasterKey, len(raw), MasterKeyLen)
	}
	return newMasterKey([MasterKeyLen]byte(raw))
}

// GenerateMasterKey returns a new random master key and its base64 form,
// suitable for SIGNET_MASTER_KEY.
func GenerateMasterKey() (MasterKey, string, error) {
	var raw [MasterKeyLen]byte
	rand.Read(raw[:]) // never fails; see crypto/rand.Read
	k, err := newMasterKey(raw)
	return k, masterKeyEncoding.EncodeToString(raw[:]), err
}

func newMasterKey(raw [MasterKeyLen]byte) (MasterKey, error) {
	if raw == [MasterKeyLen]byte{} {
		return MasterKey{}, fmt.Errorf("%w: all zero bytes", ErrInvalidMasterKey)
	}
	sum := sha256.Sum256(append([]byte(masterKeyIDDomain), raw[:]...))
	return MasterKey{ID: hex.EncodeToString(sum[:8]), key: raw}, nil
}

// String returns "MasterKey(<id>)".
func (k MasterKey) String() string { return "MasterKey(" + k.ID + ")" }

// GoString returns the same as String, so %#v shows no key material.
func (k MasterKey) GoString() string { return k.String() }

func (k MasterKey) isZero() bool { return k.ID == "" }
