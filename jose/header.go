package jose

import (
	"errors"
	"fmt"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

// Header is the protected header of a verified JWS, as far as this package
// reads it (RFC 7515 section 4.1). Members that point at keys elsewhere
// ("jku", "x5u", "jwk", "x5c") are never read, followed or trusted.
type Header struct {
	Algorithm   Algorithm
	KeyID       string
	Type        string // "typ", e.g. "at+jwt" or "JWT"; empty when absent
	ContentType string // "cty"
}

// rawHeader is the header as the hot path sees it: spans of the decoded
// header bytes, valid while that buffer lives.
type rawHeader struct {
	alg, kid, typ, cty []byte
	hasAlg, hasKID     bool
}

// parseHeader reads a decoded protected header strictly. It refuses "crit"
// (this package understands no extension, so every critical one is unknown,
// RFC 7515 section 4.1.11), "b64": false (RFC 7797 unencoded payloads) and
// the JWE members "zip" and "enc".
// The result aliases b; it is returned by value so b can stay on the stack.
func parseHeader(b []byte) (rawHeader, error) {
	var h rawHeader
	var d strictjson.Decoder
	d.Reset(b)
	if err := d.ObjectStart(); err != nil {
		return h, headerErr(err)
	}
	var m strictjson.Member
	for {
		more, err := d.Member(&m)
		if err != nil {
			return h, headerErr(err)
		}
		if !more {
			break
		}
		switch string(m.Name) {
		case "alg":
			h.alg, err = m.StringBytes()
			h.hasAlg = true
		case "kid":
			h.kid, err = m.StringBytes()
			h.hasKID = true
		case "typ":
			h.typ, err = m.StringBytes()
		case "cty":
			h.cty, err = m.StringBytes()
		default:
			err = otherHeaderMember(&m)
		}
		if err != nil {
			return h, memberErr(m.Name, err)
		}
	}
	if err := d.End(); err != nil {
		return h, headerErr(err)
	}
	switch {
	case !h.hasAlg:
		return h, errorf(ErrMalformed, `header has no "alg"`)
	case len(h.alg) == 0:
		return h, errorf(ErrMalformed, `header's "alg" is empty`)
	}
	return h, nil
}

// otherHeaderMember handles the members the hot path does not keep. Members
// pointing at keys elsewhere (jku, x5u, jwk, x5c) are validated and skipped,
// never read.
func otherHeaderMember(m *strictjson.Member) error {
	switch string(m.Name) {
	case "crit":
		return errorf(ErrUnsupportedHeader, `header has "crit"; no critical extension is supported`)
	case "zip", "enc":
		// JWE members (RFC 7516 section 4.1): a JWS that carries them asks
		// for decompression or decryption this package never does, and
		// security rule 7 refuses compressed tokens outright.
		return errorf(ErrUnsupportedHeader, fmt.Sprintf("header has %q, a JWE member; encrypted and compressed tokens are not accepted", string(m.Name)))
	case "b64":
		b, err := m.Bool()
		if err == nil && !b {
			return errorf(ErrUnsupportedHeader, `"b64": false (unencoded payload) is not supported`)
		}
		return err
	}
	return nil // scalars are validated; objects and arrays are skipped and validated by the decoder
}

func memberErr(name []byte, err error) error {
	var je *joseError
	if errors.As(err, &je) {
		return err
	}
	return errorf(ErrMalformed, fmt.Sprintf("header member %q: %v", string(name), err))
}

func headerErr(err error) error {
	return errorf(ErrMalformed, "header: "+err.Error())
}

func (h *rawHeader) export() Header {
	return Header{Algorithm: Algorithm(h.alg), KeyID: string(h.kid), Type: string(h.typ), ContentType: string(h.cty)}
}
