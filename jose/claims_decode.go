package jose

import (
	"fmt"
	"unsafe"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

// claimSet is a bit set of the Claims fields present in a token.
type claimSet uint32

const (
	clIss claimSet = 1 << iota
	clSub
	clAud
	clExp
	clNbf
	clIat
	clJti
	clClientID
	clScope
	clSid
	clRoles
	clAuthTime
	clAzp
	clNonce
	clAtHash
	clEmail
	clEmailVerified
	clName
)

var claimBits = map[string]claimSet{
	"iss": clIss, "sub": clSub, "aud": clAud, "exp": clExp, "nbf": clNbf, "iat": clIat,
	"jti": clJti, "client_id": clClientID, "scope": clScope, "sid": clSid, "roles": clRoles,
	"auth_time": clAuthTime, "azp": clAzp, "nonce": clNonce, "at_hash": clAtHash,
	"email": clEmail, "email_verified": clEmailVerified, "name": clName,
}

// decodeClaims reads a JWT claims set strictly into c. payload must never be
// modified afterwards: strings without escapes alias it. Members that Claims
// does not hold are validated and skipped. Most payloads are read by
// decodeClaimsPlain; whatever it gives up on, decodeClaimsGeneral decides.
func decodeClaims(payload []byte, c *Claims) error {
	if decodeClaimsPlain(payload, c) {
		return nil
	}
	c.reset()
	return decodeClaimsGeneral(payload, c)
}

// decodeClaimsGeneral is decodeClaims for every payload, with every rule of
// strictjson.Decoder.
func decodeClaimsGeneral(payload []byte, c *Claims) error {
	var d strictjson.Decoder
	d.Reset(payload)
	if err := d.ObjectStart(); err != nil {
		return claimsErr("", err)
	}
	var m strictjson.Member
	for {
		more, err := d.Member(&m)
		if err != nil {
			return claimsErr("", err)
		}
		if !more {
			break
		}
		bit, err := c.member(&d, &m)
		if err != nil {
			return claimsErr(string(m.Name), err)
		}
		c.present |= bit
	}
	if err := d.End(); err != nil {
		return claimsErr("", err)
	}
	c.raw = payload
	return nil
}

func claimsErr(name string, err error) error {
	if name == "" {
		return errorf(ErrMalformed, "claims: "+err.Error())
	}
	return errorf(ErrMalformed, fmt.Sprintf("claim %q: %v", name, err))
}

// member stores the value of one claim in its field, returning the claim's
// bit, or leaves it (bit 0) when Claims does not hold it: a scalar has been
// validated by Member already, and an object or array is validated when the
// decoder skips it.
func (c *Claims) member(d *strictjson.Decoder, m *strictjson.Member) (claimSet, error) {
	var err error
	switch string(m.Name) {
	case "iss":
		c.Issuer, err = str(m)
		return clIss, err
	case "sub":
		c.Subject, err = str(m)
		return clSub, err
	case "aud":
		c.Audience, err = c.audience(d, m)
		return clAud, err
	case "exp":
		c.ExpiresAt, err = date(m)
		return clExp, err
	case "nbf":
		c.NotBefore, err = date(m)
		return clNbf, err
	case "iat":
		c.IssuedAt, err = date(m)
		return clIat, err
	case "jti":
		c.ID, err = str(m)
		return clJti, err
	case "client_id":
		c.ClientID, err = str(m)
		return clClientID, err
	case "scope":
		c.Scope, err = str(m)
		return clScope, err
	case "sid":
		c.SessionID, err = str(m)
		return clSid, err
	case "roles":
		c.Roles, err = c.strs(d, m)
		return clRoles, err
	}
	return c.memberOIDC(m)
}

func (c *Claims) memberOIDC(m *strictjson.Member) (claimSet, error) {
	var err error
	switch string(m.Name) {
	case "auth_time":
		c.AuthTime, err = date(m)
		return clAuthTime, err
	case "azp":
		c.AuthorizedParty, err = str(m)
		return clAzp, err
	case "nonce":
		c.Nonce, err = str(m)
		return clNonce, err
	case "at_hash":
		c.AccessTokenHash, err = str(m)
		return clAtHash, err
	case "email":
		c.Email, err = str(m)
		return clEmail, err
	case "email_verified":
		c.EmailVerified, err = m.Bool()
		return clEmailVerified, err
	case "name":
		c.Name, err = str(m)
		return clName, err
	}
	return 0, nil
}

// str returns a string value. The decoder never writes to the bytes it
// returns, and the payload they alias is never modified, so viewing them as
// a string without copying is safe.
func str(m *strictjson.Member) (string, error) {
	b, err := m.StringBytes()
	return unsafe.String(unsafe.SliceData(b), len(b)), err
}

func date(m *strictjson.Member) (NumericDate, error) {
	n, err := m.NumericDate()
	return NumericDate(n), err
}

// strs reads an array of strings into a slice of exactly its length, carved
// from c's inline storage while it lasts (the common case: one audience, a
// few roles) and allocated once otherwise.
func (c *Claims) strs(d *strictjson.Decoder, m *strictjson.Member) ([]string, error) {
	if m.Kind != strictjson.Array {
		return nil, fmt.Errorf("expected array of strings, found %v", m.Kind)
	}
	if err := d.ArrayStart(); err != nil {
		return nil, err
	}
	var small [16]string
	out := small[:0]
	for {
		b, more, err := d.NextString()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		out = append(out, unsafe.String(unsafe.SliceData(b), len(b)))
	}
	return c.keep(out), nil
}

// keep copies list into c.inline when it fits, else into a new slice.
func (c *Claims) keep(list []string) []string {
	if n := c.inlineUsed + len(list); n <= len(c.inline) {
		dst := c.inline[c.inlineUsed:n:n]
		copy(dst, list)
		c.inlineUsed = n
		return dst
	}
	return append(make([]string, 0, len(list)), list...)
}

func (c *Claims) audience(d *strictjson.Decoder, m *strictjson.Member) (Audience, error) {
	if m.Kind == strictjson.String {
		s, err := str(m)
		if err != nil {
			return nil, err
		}
		return c.keep([]string{s}), nil
	}
	return c.strs(d, m)
}

// unmarshalExtra hands every claim Claims does not hold to u, in token order.
func unmarshalExtra(payload []byte, u ClaimUnmarshaler) error {
	var d strictjson.Decoder
	d.Reset(payload)
	if err := d.ObjectStart(); err != nil {
		return claimsErr("", err)
	}
	for {
		name, more, err := d.NextMember()
		if err != nil || !more {
			return err
		}
		key := string(name)
		raw, err := d.Skip()
		if err != nil {
			return claimsErr(key, err)
		}
		if _, known := claimBits[key]; known {
			continue
		}
		if err := u.UnmarshalClaim(key, raw); err != nil {
			return errorf(ErrMalformed, fmt.Sprintf("claim %q: %v", key, err))
		}
	}
}
