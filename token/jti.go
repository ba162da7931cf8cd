package token

import (
	"crypto/rand"
	"encoding/base64"
)

// NewJTI returns a random token id ("jti", RFC 7519 section 4.1.7): 128 bits,
// base64url, so ids of different tokens never collide and a revocation entry
// by jti names exactly one token.
func NewJTI() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
