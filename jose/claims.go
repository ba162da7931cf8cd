package jose

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unsafe"
)

// NumericDate is a JWT time: whole seconds since the Unix epoch, UTC
// (RFC 7519 section 2). The zero value means the claim is absent. Fractional
// seconds in a token are truncated; negative values are refused as malformed.
type NumericDate int64

// NewNumericDate returns t as a NumericDate, truncated to the second.
func NewNumericDate(t time.Time) NumericDate { return NumericDate(t.Unix()) }

// Time returns d as a time.Time, or the zero time when d is absent.
func (d NumericDate) Time() time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Unix(int64(d), 0)
}

// Audience is the "aud" claim. A token may carry one audience as a string or
// several as an array (RFC 7519 section 4.1.3); both decode into Audience,
// and one audience is encoded as a plain string.
type Audience []string

// Contains reports whether a is one of the audiences.
func (a Audience) Contains(s string) bool {
	for _, x := range a {
		if x == s {
			return true
		}
	}
	return false
}

// MarshalJSON encodes a single audience as a string, several as an array.
func (a Audience) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

// UnmarshalJSON accepts a string or an array of strings.
func (a *Audience) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*a = Audience{s}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(a))
}

// Claims holds the registered JWT claims (RFC 7519 section 4.1) and the other
// IANA-registered claims an access or ID token commonly carries (RFC 9068,
// OpenID Connect Core section 2 and 5.1, RFC 7643 "roles"). Every token is
// read by the same strict decoder; a claim of the wrong JSON type is
// malformed. Claims not listed here stay available through Decode, or through
// UnmarshalClaim on a struct that embeds Claims.
//
// The field tags make Claims usable with encoding/json too, so a struct that
// embeds Claims and adds its own fields can be signed with Signer.Sign.
type Claims struct {
	Issuer          string      `json:"iss,omitempty"`
	Subject         string      `json:"sub,omitempty"`
	Audience        Audience    `json:"aud,omitempty"`
	ExpiresAt       NumericDate `json:"exp,omitempty"`
	NotBefore       NumericDate `json:"nbf,omitempty"`
	IssuedAt        NumericDate `json:"iat,omitempty"`
	ID              string      `json:"jti,omitempty"`
	ClientID        string      `json:"client_id,omitempty"`
	Scope           string      `json:"scope,omitempty"` // space-separated, as in OAuth
	SessionID       string      `json:"sid,omitempty"`
	Roles           []string    `json:"roles,omitempty"`
	AuthTime        NumericDate `json:"auth_time,omitempty"`
	AuthorizedParty string      `json:"azp,omitempty"`
	Nonce           string      `json:"nonce,omitempty"`
	AccessTokenHash string      `json:"at_hash,omitempty"`
	Email           string      `json:"email,omitempty"`
	EmailVerified   bool        `json:"email_verified,omitempty"`
	Name            string      `json:"name,omitempty"`

	raw     []byte // the verified payload; nil for claims built by hand
	present claimSet
	// inline backs Audience and Roles when they are short, so reading a
	// typical token allocates neither. Copying a Claims shares it, as copying
	// any struct shares the arrays behind its slices.
	inline     [4]string
	inlineUsed int
}

// ClaimsTarget is what VerifyInto fills: *Claims, or a pointer to any struct
// that embeds Claims. If the target also implements ClaimUnmarshaler, it is
// given every claim that Claims does not hold itself.
type ClaimsTarget interface {
	jwtClaims() *Claims
}

func (c *Claims) jwtClaims() *Claims { return c }

// ClaimUnmarshaler is implemented by a ClaimsTarget that wants claims beyond
// those of Claims. UnmarshalClaim is called once per such claim, with its raw
// JSON value, and only after the token's signature and registered claims have
// been validated, so a refused token never reaches it.
type ClaimUnmarshaler interface {
	UnmarshalClaim(name string, value []byte) error
}

// reset sets c to the zero Claims. Most targets are zero already (a new
// variable), and clearing one that is zero is skipped: clearing writes every
// pointer field, which costs a write barrier each while the garbage
// collector is marking.
func (c *Claims) reset() {
	if !bytes.Equal(unsafe.Slice((*byte)(unsafe.Pointer(c)), unsafe.Sizeof(*c)), zeroClaims[:]) {
		*c = Claims{}
	}
}

var zeroClaims [unsafe.Sizeof(Claims{})]byte

// Raw returns the verified payload JSON the claims were read from, or nil for
// claims that were not read from a token. The caller must not modify it.
func (c *Claims) Raw() []byte { return c.raw }

// Decode unmarshals the verified payload into v with encoding/json, for
// claims that Claims does not hold. It is the slow, general path.
func (c *Claims) Decode(v any) error {
	if c.raw == nil {
		return errorf(ErrMalformed, "claims were not read from a token")
	}
	return json.Unmarshal(c.raw, v)
}

// HasScope reports whether the space-separated "scope" claim contains s.
func (c *Claims) HasScope(s string) bool {
	if s == "" {
		return false
	}
	rest := c.Scope
	for rest != "" {
		var tok string
		tok, rest, _ = strings.Cut(rest, " ")
		if tok == s {
			return true
		}
	}
	return false
}

// HasRole reports whether the "roles" claim contains r.
func (c *Claims) HasRole(r string) bool {
	for _, x := range c.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Has reports whether the named claim was present in the token; it knows the
// claims Claims holds.
func (c *Claims) Has(name string) bool {
	bit, ok := claimBits[name]
	return ok && c.present&bit != 0
}
