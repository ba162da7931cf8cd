package oauth2

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// PKCE (RFC 7636), S256 only: plain would give an attacker who sees the
// authorization request the verifier itself (RFC 9700 section 2.1.1).

// validVerifier reports whether v is a code_verifier: 43 to 128 characters
// of [A-Za-z0-9-._~] (RFC 7636 section 4.1).
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// validChallenge reports whether c is an S256 code_challenge: the
// base64url form, without padding, of a SHA-256 digest (43 characters).
func validChallenge(c string) bool {
	b, err := base64.RawURLEncoding.Strict().DecodeString(c)
	return err == nil && len(b) == sha256.Size
}

// verifierMatches reports, in constant time, whether verifier hashes to the
// challenge (RFC 7636 section 4.6).
func verifierMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}
