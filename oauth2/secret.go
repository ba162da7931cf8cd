package oauth2

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"strings"

	"github.com/signet-dev/signet"
)

// SecretBytes is the entropy of a generated client secret: 256 bits.
const SecretBytes = 32

// MinSecretBits is the least estimated entropy of a supplied secret.
const MinSecretBits = 256

// NewSecret returns a new client secret: SecretBytes random bytes,
// base64url without padding (43 characters).
func NewSecret() string {
	b := make([]byte, SecretBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CheckSecret reports an EINVALID error unless a supplied secret is as
// strong as a generated one: printable ASCII without spaces, at most 512
// characters, and at least MinSecretBits by a conservative estimate (its
// length times the bits of the smallest alphabet its characters fit: hex
// digits 4, base64 6, printable ASCII 6.5), with at least 16 distinct
// characters so that a long run of one character does not pass.
func CheckSecret(s string) error {
	if len(s) > 512 {
		return signet.Errorf(signet.EINVALID, "the client secret is longer than 512 characters")
	}
	distinct := map[byte]bool{}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return signet.Errorf(signet.EINVALID, "the client secret must be printable ASCII without spaces")
		}
		distinct[s[i]] = true
	}
	if bits := float64(len(s)) * alphabetBits(s); bits < MinSecretBits || len(distinct) < 16 {
		return signet.Errorf(signet.EINVALID, "the client secret is too weak: supply at least 256 random bits (e.g. 43 base64url or 64 hex characters), or let signet generate one")
	}
	return nil
}

func alphabetBits(s string) float64 {
	hex, b64 := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		isHex := c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
		isB64 := isHex || c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z' || c == '-' || c == '_' || c == '+' || c == '/'
		hex, b64 = hex && isHex, b64 && isB64
	}
	switch {
	case hex:
		return 4
	case b64:
		return 6
	}
	return math.Log2(94)
}

// secretKey returns the HMAC key of client secrets under the master key id.
func (p *Provider) secretKey(masterKeyID string) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k, ok := p.secretKeys[masterKeyID]; ok {
		return k, nil
	}
	k, err := p.ring.DeriveKey(masterKeyID, "oauth2 client secrets")
	if err != nil {
		return nil, err
	}
	p.secretKeys[masterKeyID] = k
	return k, nil
}

// hashSecret returns the stored form of a secret: HMAC-SHA-256 under the
// current master key's derived key, and that key's id. A plain hash would
// do for 256 random bits; the key also makes a stolen database useless for
// checking guesses of a weaker supplied secret. A slow password hash would
// add nothing and cap throughput (docs/decisions.md).
func (p *Provider) hashSecret(secret string) ([]byte, string, error) {
	key, err := p.secretKey(p.secretKeyID)
	if err != nil {
		return nil, "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(secret))
	return m.Sum(nil), p.secretKeyID, nil
}

// secretMatches reports, in constant time, whether secret is the client's.
func (p *Provider) secretMatches(c signet.Client, secret string) bool {
	key, err := p.secretKey(c.SecretKeyID)
	if err != nil || c.Public() {
		return false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(secret))
	return hmac.Equal(m.Sum(nil), c.SecretHash)
}

// hasSecretForm reports whether s could be a secret at all, so that garbage
// is refused before any lookup. It says nothing about whether it is right.
func hasSecretForm(s string) bool {
	return s != "" && len(s) <= 512 && !strings.ContainsAny(s, " \t\r\n")
}
