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
// does not hold are validated and skipped.
func decodeClaims(payload []byte, c *Claims) error {
	var d strictjson.Decoder
	d.Reset(payload)
	if err := d.ObjectStart(); err != nil {
		return claimsErr("", err)
	}
	for {
		name, more, err := d.NextMember()
		if err != nil {
			return claimsErr("", err)
		}
		if !more {
			break
		}
		bit, err := c.member(&d, name)
		if err != nil {
			return claimsErr(string(name), err)
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

// member decodes the value of one claim into its field, returning the claim's
// bit, or skips it (bit 0) when Claims does not hold it.
func (c *Claims) member(d *strictjson.Decoder, name []byte) (claimSet, error) {
	var err error
	switch string(name) {
	case "iss":
		c.Issuer, err = str(d)
		return clIss, err
	case "sub":
		c.Subject, err = str(d)
		return clSub, err
	case "aud":
		c.Audience, err = c.audience(d)
		return clAud, err
	case "exp":
		c.ExpiresAt, err = date(d)
		return clExp, err
	case "nbf":
		c.NotBefore, err = date(d)
		return clNbf, err
	case "iat":
		c.IssuedAt, err = date(d)
		return clIat, err
	case "jti":
		c.ID, err = str(d)
		return clJti, err
	case "client_id":
		c.ClientID, err = str(d)
		return clClientID, err
	case "scope":
		c.Scope, err = str(d)
		return clScope, err
	case "sid":
		c.SessionID, err = str(d)
		return clSid, err
	case "roles":
		c.Roles, err = c.strs(d)
		return clRoles, err
	}
	return c.memberOIDC(d, name)
}

func (c *Claims) memberOIDC(d *strictjson.Decoder, name []byte) (claimSet, error) {
	var err error
	switch string(name) {
	case "auth_time":
		c.AuthTime, err = date(d)
		return clAuthTime, err
	case "azp":
		c.AuthorizedParty, err = str(d)
		return clAzp, err
	case "nonce":
		c.Nonce, err = str(d)
		return clNonce, err
	case "at_hash":
		c.AccessTokenHash, err = str(d)
		return clAtHash, err
	case "email":
		c.Email, err = str(d)
		return clEmail, err
	case "email_verified":
		c.EmailVerified, err = d.Bool()
		return clEmailVerified, err
	case "name":
		c.Name, err = str(d)
		return clName, err
	}
	_, err = d.Skip()
	return 0, err
}

// str reads a string value. The decoder never writes to the bytes it returns,
// and the payload they alias is never modified, so viewing them as a string
// without copying is safe.
func str(d *strictjson.Decoder) (string, error) {
	b, err := d.StringBytes()
	if err != nil || len(b) == 0 {
		return "", err
	}
	return unsafe.String(&b[0], len(b)), nil
}

func date(d *strictjson.Decoder) (NumericDate, error) {
	n, err := d.NumericDate()
	return NumericDate(n), err
}

// strs reads an array of strings into a slice of exactly its length, carved
// from c's inline storage while it lasts (the common case: one audience, a
// few roles) and allocated once otherwise.
func (c *Claims) strs(d *strictjson.Decoder) ([]string, error) {
	if err := d.ArrayStart(); err != nil {
		return nil, err
	}
	var small [16]string
	out := small[:0]
	for {
		more, err := d.NextElement()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		s, err := str(d)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
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

func (c *Claims) audience(d *strictjson.Decoder) (Audience, error) {
	if d.Kind() == strictjson.String {
		s, err := str(d)
		if err != nil {
			return nil, err
		}
		return c.keep([]string{s}), nil
	}
	return c.strs(d)
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
