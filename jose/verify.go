package jose

import (
	"fmt"
	"strings"
	"unsafe"
)

// Verify checks token and returns its claims. It checks, in order: size and
// shape, the header (strictly), the key by kid and its algorithm, the
// signature, the "typ", and the claims (exp, nbf, iat with the leeway, iss,
// aud, required claims). A token that fails any check returns nil claims and
// an error wrapping one sentinel: ErrMalformed, ErrUnsupportedAlgorithm,
// ErrUnsupportedHeader, ErrKeyNotFound, ErrInvalidKey, ErrBadSignature,
// ErrWrongType, ErrExpired, ErrNotYetValid, ErrWrongIssuer, ErrWrongAudience
// or ErrMissingClaim.
func (v *Verifier) Verify(token string) (*Claims, error) {
	p, err := splitCompact(token, v.maxSize)
	if err != nil {
		return nil, err
	}
	c, buf := newClaims(b64DecodedLen(len(p.payload)))
	if err := v.verify(p, c, nil, buf); err != nil {
		return nil, err
	}
	return c, nil
}

// newClaims allocates the Claims that Verify returns together with room for
// a decoded payload of n bytes, which its strings alias: one allocation, in
// the smallest of three sizes that holds both (a typical access or ID token
// needs the middle one). A larger payload gets a slice of its own (buf is
// nil). The payload sits outside the Claims, so clearing or reusing the
// Claims never writes to bytes that strings handed out earlier alias.
func newClaims(n int) (*Claims, []byte) {
	switch {
	case n <= len(claimsAndPayloadS{}.payload):
		cp := new(claimsAndPayloadS)
		return &cp.Claims, cp.payload[:]
	case n <= len(claimsAndPayloadM{}.payload):
		cp := new(claimsAndPayloadM)
		return &cp.Claims, cp.payload[:]
	case n <= len(claimsAndPayloadL{}.payload):
		cp := new(claimsAndPayloadL)
		return &cp.Claims, cp.payload[:]
	}
	return new(Claims), nil
}

// The payload room of each size fills a size class of the Go allocator (640,
// 896 and 1408 bytes), less the 8-byte header it puts on an object of more
// than 512 bytes with pointers.
type (
	claimsAndPayloadS struct {
		Claims
		payload [640 - 8 - claimsSize]byte
	}
	claimsAndPayloadM struct {
		Claims
		payload [896 - 8 - claimsSize]byte
	}
	claimsAndPayloadL struct {
		Claims
		payload [1408 - 8 - claimsSize]byte
	}
)

const claimsSize = int(unsafe.Sizeof(Claims{}))

// VerifyInto is Verify into dst, which must be *Claims or a pointer to a
// struct embedding Claims. On failure the embedded Claims is reset to its
// zero value and ClaimUnmarshaler is never called, so a refused token leaves
// nothing behind.
func (v *Verifier) VerifyInto(token string, dst ClaimsTarget) error {
	c := dst.jwtClaims()
	c.reset()
	u, _ := dst.(ClaimUnmarshaler)
	p, err := splitCompact(token, v.maxSize)
	if err != nil {
		return err
	}
	return v.verify(p, c, u, nil)
}

// verify is Verify of the split token p into the zero Claims c, decoding
// the payload into payloadBuf when it fits and handing the claims c does
// not hold to u when it is not nil. On failure it leaves c zero.
func (v *Verifier) verify(p parts, c *Claims, u ClaimUnmarshaler, payloadBuf []byte) error {
	var sc *scratch
	typ, payload, err := v.checkSignature(p, &sc, payloadBuf)
	if err == nil {
		err = v.checkType(typ)
	}
	if sc != nil {
		scratchPool.Put(sc) // typ may alias sc.header: checked above, not used below
	}
	if err == nil {
		err = decodeClaims(payload, c)
	}
	if err == nil {
		err = v.validate(c)
	}
	if err == nil && u != nil {
		err = unmarshalExtra(c.raw, u)
	}
	if err != nil {
		*c = Claims{}
	}
	return err
}

// checkType compares the "typ" header with the accepted type, ignoring case
// and an "application/" prefix (RFC 7515 section 4.1.9).
func (v *Verifier) checkType(typ []byte) error {
	if string(typ) == v.typ {
		return nil // the usual case, spelled exactly as configured
	}
	got := string(typ)
	if len(got) > 12 && strings.EqualFold(got[:12], "application/") {
		got = got[12:]
	}
	if strings.EqualFold(got, v.typ) || (got == "" && len(typ) == 0 && v.typ == TypeJWT) {
		return nil
	}
	if len(typ) == 0 {
		return errorf(ErrWrongType, fmt.Sprintf("token has no \"typ\"; want %q", v.typ))
	}
	return errorf(ErrWrongType, fmt.Sprintf("token type %q is not %q", string(typ), v.typ))
}

// validate checks the time claims, issuer, audience and required claims.
func (v *Verifier) validate(c *Claims) error {
	if missing := v.required &^ c.present; missing != 0 {
		return errorf(ErrMissingClaim, fmt.Sprintf("token lacks required claim %q", claimName(missing)))
	}
	now := v.now().Unix()
	if c.present&clExp != 0 && now-v.leeway >= int64(c.ExpiresAt) {
		return errorf(ErrExpired, fmt.Sprintf("token expired at %d", c.ExpiresAt))
	}
	if c.present&clNbf != 0 && now+v.leeway < int64(c.NotBefore) {
		return errorf(ErrNotYetValid, fmt.Sprintf("token not valid before %d", c.NotBefore))
	}
	if c.present&clIat != 0 && now+v.leeway < int64(c.IssuedAt) {
		return errorf(ErrNotYetValid, fmt.Sprintf("token issued in the future (%d)", c.IssuedAt))
	}
	if !v.skipIssuer && c.Issuer != v.issuer {
		return errorf(ErrWrongIssuer, fmt.Sprintf("issuer %q is not %q", c.Issuer, v.issuer))
	}
	if !v.skipAudience && !v.audienceOK(c.Audience) {
		return errorf(ErrWrongAudience, "token audience is not accepted here")
	}
	return nil
}

func (v *Verifier) audienceOK(aud Audience) bool {
	for _, want := range v.audiences {
		if aud.Contains(want) {
			return true
		}
	}
	return false
}

func claimName(set claimSet) string {
	for name, bit := range claimBits {
		if set&bit != 0 && bit == set&-set {
			return name
		}
	}
	return "?"
}

// VerifyJWS verifies a compact JWS whose payload need not be JWT claims and
// returns its header and payload. It is the same code path Verify takes up to
// and including the signature (size limit DefaultMaxTokenSize, strict header,
// key by kid, algorithm bound to the key), with no claim checks: use it for
// JOSE test suites or non-JWT payloads, never to accept a JWT.
func VerifyJWS(token string, keys KeySource) (Header, []byte, error) {
	c := core{keys: keys, maxSize: DefaultMaxTokenSize, headers: &headerCache{}}
	c.refresher, _ = keys.(KeyRefresher)
	var sc *scratch
	defer func() {
		if sc != nil {
			scratchPool.Put(sc)
		}
	}()
	p, err := splitCompact(token, c.maxSize)
	if err != nil {
		return Header{}, nil, err
	}
	_, payload, err := c.checkSignature(p, &sc, nil)
	if err != nil {
		return Header{}, nil, err
	}
	// The signature is good; read the header once more for the caller.
	hb, _ := decodePart(nil, p.header, "header")
	h, err := parseHeader(hb)
	if err != nil {
		return Header{}, nil, err
	}
	return h.export(), payload, nil
}
