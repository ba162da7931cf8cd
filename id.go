package signet

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// IDSize is the number of random bytes in an id made by NewID: 128 bits, so
// ids can neither be guessed nor collide.
const IDSize = 16

// NewID returns a new random identifier: IDSize bytes from crypto/rand,
// base64url without padding (22 characters). User ids (the `sub` claim) and
// session ids (`sid`) are made this way; they carry no meaning and never
// change.
func NewID() string {
	b := make([]byte, IDSize)
	rand.Read(b) // never fails since Go 1.24: it crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// Truncate returns t in UTC, truncated to the microsecond: the form in which
// every store keeps times. Logic that compares a time it wrote with one it
// read back should truncate its own first.
func Truncate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}
