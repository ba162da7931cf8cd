package jose

import (
	"fmt"
	"strings"
	"sync"
	"unsafe"
)

// DefaultMaxTokenSize is the size limit applied to a compact token before any
// decoding or cryptography (security rule 4).
const DefaultMaxTokenSize = 8 << 10

// headerBufSize is the buffer for a decoded protected header; larger headers
// (rare: certificate chains) go to the heap.
const headerBufSize = 384

// scratch holds the buffers a verification lends to code that keeps a
// reference to them, which would send a stack buffer to the heap: the
// decoded protected header (the strict JSON decoder and the parsed header
// alias it), the digest handed to crypto/rsa.VerifyPSS and the DER signature
// handed to crypto/ecdsa.VerifyASN1. Pooling them keeps a verification free
// of those allocations; a verification of a cached header with HMAC,
// PKCS #1 v1.5 or Ed25519 needs none of them.
type scratch struct {
	header [headerBufSize]byte
	digest [64]byte
	der    [2*67 + 8]byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// parts is a compact JWS split at its two dots. Each field aliases the token.
type parts struct {
	header, payload, sig string
	signingInput         string // header "." payload, the bytes the signature covers
}

// splitCompact checks the outer shape of a compact JWS: the size limit and
// exactly three parts, of which the header and signature are not empty.
// Everything else about the parts — the alphabet, padding, line breaks,
// canonical trailing bits — is checked by b64Decode, which every part goes
// through before it is used.
func splitCompact(token string, maxSize int) (parts, error) {
	if len(token) > maxSize {
		return parts{}, errorf(ErrMalformed, fmt.Sprintf("token is %d bytes; the limit is %d", len(token), maxSize))
	}
	i := strings.IndexByte(token, '.')
	if i < 0 {
		return parts{}, errorf(ErrMalformed, "token must have three dot-separated parts")
	}
	j := strings.IndexByte(token[i+1:], '.')
	if j < 0 {
		return parts{}, errorf(ErrMalformed, "token must have three dot-separated parts")
	}
	j += i + 1
	p := parts{header: token[:i], payload: token[i+1 : j], sig: token[j+1:], signingInput: token[:j]}
	switch {
	case strings.IndexByte(p.sig, '.') >= 0:
		return parts{}, errorf(ErrMalformed, "token has more than three parts (JWE and JSON serializations are not accepted)")
	case p.header == "" || p.sig == "":
		return parts{}, errorf(ErrMalformed, "token has an empty header or signature")
	}
	return p, nil
}

// decodePart decodes one base64url part into buf when it fits, else into a
// new slice, refusing padding, foreign characters (line breaks included) and
// non-canonical encodings.
func decodePart(buf []byte, part, what string) ([]byte, error) {
	n := b64DecodedLen(len(part))
	if n > len(buf) {
		buf = make([]byte, n)
	}
	n, ok := b64Decode(buf[:n], part)
	if !ok {
		return nil, errorf(ErrMalformed, what+" is not canonical unpadded base64url")
	}
	return buf[:n], nil
}

// readOnlyBytes views s as a byte slice without copying. Callers only ever
// read it (hashing, base64 decoding); nothing writes through it.
func readOnlyBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// checkSignature is the one code path every verification takes, after
// splitCompact: decode and parse the header strictly, decode the payload
// (so every encoding error is found before any cryptography), find the key
// by kid, bind the algorithm to the key, and verify the signature. A header
// already seen on a validly signed token is taken from the header cache
// instead of being decoded again. It returns the "typ" header, valid until
// sc is returned to its pool, and the payload, decoded into payloadBuf when
// it fits (else into a new slice) and never written again, so the claims
// may alias it. *sc is taken from scratchPool when needed; the caller puts
// it back if it is not nil.
func (c *core) checkSignature(p parts, sc **scratch, payloadBuf []byte) (typ []byte, payload []byte, err error) {
	set := c.keys.CurrentKeys()
	var k *Key
	cached := c.headers.lookup(p.header, set)
	if cached != nil {
		k, typ = cached.key, readOnlyBytes(cached.typ)
	} else if k, typ, err = c.resolveHeader(p.header, set, sc); err != nil {
		return nil, nil, err
	}
	if payload, err = decodePart(payloadBuf, p.payload, "payload"); err != nil {
		return nil, nil, err
	}
	if err := verifySignature(k, p.signingInput, p.sig, sc); err != nil {
		return nil, nil, err
	}
	if cached == nil {
		c.headers.store(p.header, set, k, typ)
	}
	return typ, payload, nil
}

// resolveHeader decodes and parses a protected header that is not cached
// and selects its key. typ aliases the scratch buffer.
func (c *core) resolveHeader(part string, set *KeySet, sc **scratch) (*Key, []byte, error) {
	if *sc == nil {
		*sc = scratchPool.Get().(*scratch)
	}
	hb, err := decodePart((*sc).header[:], part, "header")
	if err != nil {
		return nil, nil, err
	}
	h, err := parseHeader(hb)
	if err != nil {
		return nil, nil, err
	}
	k, err := c.selectKey(set, &h)
	if err != nil {
		return nil, nil, err
	}
	return k, h.typ, nil
}

// selectKey finds the key for the header's kid and checks that the token's
// "alg" is exactly the algorithm that key is bound to (RFC 8725 section 3.1).
func (c *core) selectKey(ks *KeySet, h *rawHeader) (*Key, error) {
	k := ks.lookupBytes(h.kid, h.hasKID)
	if k == nil && h.hasKID && c.refresher != nil {
		if ks = c.refresher.RefreshForKeyID(string(h.kid)); ks != nil {
			k = ks.lookupBytes(h.kid, true)
		}
	}
	if k == nil {
		if !h.hasKID {
			return nil, errorf(ErrKeyNotFound, "token has no kid and the key set does not hold exactly one key")
		}
		return nil, errorf(ErrKeyNotFound, fmt.Sprintf("no key with kid %q", string(h.kid)))
	}
	if string(h.alg) != string(k.alg) {
		return nil, errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("token alg %q does not match the key's algorithm %s", string(h.alg), k.alg))
	}
	if c.algs != nil && !c.algs[k.alg] {
		return nil, errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("algorithm %s is not allowed by this verifier", k.alg))
	}
	if !k.canVer {
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("key %q is not allowed to verify (key_ops)", k.kid))
	}
	return k, nil
}
