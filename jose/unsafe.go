package jose

// Unverified is what UnsafeParseWithoutVerification returns: a token's parts,
// decoded but NOT verified. Nothing in it can be trusted.
type Unverified struct {
	Header    Header
	RawHeader []byte // the decoded protected header JSON
	Payload   []byte // the decoded payload
	Signature []byte // the decoded signature
	// Claims holds the payload read as JWT claims, or nil when it is not a
	// JWT claims set (ClaimsErr then says why).
	Claims    *Claims
	ClaimsErr error
}

// UnsafeParseWithoutVerification decodes a compact token without checking its
// signature or claims, for debugging tools such as `signet token decode`.
// Its result must never be used to make an access decision: anyone can make a
// token that decodes. It still applies the strict parsing rules (size, three
// parts, canonical base64url, strict JSON header) and fails with ErrMalformed
// or ErrUnsupportedHeader where Verify would.
func UnsafeParseWithoutVerification(token string) (*Unverified, error) {
	p, err := splitCompact(token, DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	u := &Unverified{}
	if u.RawHeader, err = decodePart(nil, p.header, "header"); err != nil {
		return nil, err
	}
	h, err := parseHeader(u.RawHeader)
	if err != nil {
		return nil, err
	}
	u.Header = h.export()
	if u.Payload, err = decodePart(nil, p.payload, "payload"); err != nil {
		return nil, err
	}
	if u.Signature, err = decodePart(nil, p.sig, "signature"); err != nil {
		return nil, err
	}
	c := new(Claims)
	if u.ClaimsErr = decodeClaims(append([]byte(nil), u.Payload...), c); u.ClaimsErr == nil {
		u.Claims = c
	}
	return u, nil
}
