package token

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/signet-dev/signet"
)

// RefreshTokenBytes is the number of random bytes in a refresh token: 256
// bits (SECURITY.md rule 11).
const RefreshTokenBytes = 32

// refreshTokenLen is the length of a refresh token's text form.
var refreshTokenLen = base64.RawURLEncoding.EncodedLen(RefreshTokenBytes)

// NewRefreshToken returns a new refresh token and the hash under which it is
// stored (signet.HashRefreshToken). The token goes to the client once and is
// never stored or logged.
func NewRefreshToken() (token string, hash []byte) {
	b := make([]byte, RefreshTokenBytes)
	rand.Read(b) // never fails since Go 1.24
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, signet.HashRefreshToken(token)
}

// LooksLikeRefreshToken reports whether s has the shape of a token made by
// NewRefreshToken, so that obvious garbage is refused without a store
// lookup. It says nothing about whether the token exists.
func LooksLikeRefreshToken(s string) bool {
	if len(s) != refreshTokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}
