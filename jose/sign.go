package jose

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"unsafe"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

// Signer makes compact JWTs with one key. Its protected header is fixed when
// it is made: "alg" from the key, "kid" when the key has one, and "typ". A
// Signer is immutable and safe for concurrent use.
type Signer struct {
	key       *Key
	headerB64 string // base64url protected header, followed by "."
}

// SignerOption configures a Signer.
type SignerOption func(*signerConfig)

type signerConfig struct{ typ string }

// WithType sets the "typ" header (default "JWT"; use TypeAccessToken for RFC
// 9068 access tokens). An empty type leaves "typ" out.
func WithType(typ string) SignerOption { return func(c *signerConfig) { c.typ = typ } }

// NewSigner returns a Signer for key, which must be private (or an HMAC
// secret) and allowed to sign.
func NewSigner(key *Key, opts ...SignerOption) (*Signer, error) {
	if key == nil || !key.canSign {
		return nil, errorf(ErrInvalidKey, "signing needs a private key or HMAC secret allowed to sign")
	}
	c := signerConfig{typ: TypeJWT}
	for _, o := range opts {
		o(&c)
	}
	h := []byte(`{"alg":`)
	h = strictjson.AppendString(h, string(key.alg))
	if key.kid != "" {
		h = strictjson.AppendString(append(h, `,"kid":`...), key.kid)
	}
	if c.typ != "" {
		h = strictjson.AppendString(append(h, `,"typ":`...), c.typ)
	}
	h = append(h, '}')
	return &Signer{key: key, headerB64: b64.EncodeToString(h) + "."}, nil
}

// Key returns the signer's key.
func (s *Signer) Key() *Key { return s.key }

// Sign encodes claims as the JWT payload and signs it. *Claims is encoded by
// a purpose-built encoder; any other value (a struct embedding Claims with
// its own fields, a map) with encoding/json.
func (s *Signer) Sign(claims any) (string, error) {
	if c, ok := claims.(*Claims); ok {
		buf := getBuf()
		defer putBuf(buf)
		*buf = c.appendJSON((*buf)[:0])
		return s.SignPayload(*buf)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("jose: encoding claims: %w", err)
	}
	return s.SignPayload(payload)
}

// SignPayload signs an arbitrary payload (a JWS that need not be a JWT).
func (s *Signer) SignPayload(payload []byte) (string, error) {
	n := len(s.headerB64) + b64.EncodedLen(len(payload))
	out := make([]byte, 0, n+1+b64.EncodedLen(s.key.maxSigSize()))
	out = append(out, s.headerB64...)
	out = b64.AppendEncode(out, payload)
	return finish(s.key, out)
}

// SignCompact signs exactly the given protected header bytes and payload.
// The header must be a JSON object whose "alg" is key's algorithm. It exists
// for known-answer tests and interoperability; prefer a Signer.
func SignCompact(key *Key, protectedHeader, payload []byte) (string, error) {
	if key == nil || !key.canSign {
		return "", errorf(ErrInvalidKey, "signing needs a private key or HMAC secret allowed to sign")
	}
	h, err := parseHeader(protectedHeader)
	if err != nil {
		return "", err
	}
	if string(h.alg) != string(key.alg) {
		return "", errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("header alg %q does not match the key's algorithm %s", string(h.alg), key.alg))
	}
	out := b64.AppendEncode(nil, protectedHeader)
	out = append(out, '.')
	out = b64.AppendEncode(out, payload)
	return finish(key, out)
}

// finish appends "." and the signature over out, which holds the signing
// input, and returns the token.
func finish(k *Key, out []byte) (string, error) {
	var sbuf [sigBufSize]byte
	sig, err := k.sign(sbuf[:0], out)
	if err != nil {
		return "", err
	}
	out = append(out, '.')
	out = b64.AppendEncode(out, sig)
	return unsafe.String(unsafe.SliceData(out), len(out)), nil // out is never touched again
}

func (k *Key) maxSigSize() int {
	if k.rsaPub != nil {
		return (k.rsaPub.N.BitLen() + 7) / 8
	}
	if k.info.fam == famHMAC {
		return k.info.hash.Size()
	}
	return k.info.sigSize
}

// sign appends the JWS signature of msg (RFC 7518 section 3, RFC 8037) to
// dst, which the caller keeps on its stack: every primitive's output is
// copied into it rather than returned.
func (k *Key) sign(dst, msg []byte) ([]byte, error) {
	switch k.info.fam {
	case famHMAC:
		st := k.macs.Get().(*macState)
		st.h.Reset()
		st.h.Write(msg)
		dst = append(dst, st.h.Sum(st.sum[:0])...)
		k.macs.Put(st)
		return dst, nil
	case famEdDSA:
		return append(dst, ed25519.Sign(k.edPriv, msg)...), nil
	}
	return k.signDigest(dst, msg)
}

// signDigest signs with RSA or ECDSA, which take the digest rather than the
// message and keep a reference to it (so it lives on the heap).
func (k *Key) signDigest(dst, msg []byte) ([]byte, error) {
	var dbuf [64]byte
	d := digest(k.info.hash, msg, &dbuf)
	switch k.info.fam {
	case famRSA:
		return rsa.SignPKCS1v15(nil, k.rsaPriv, k.info.hash, d)
	case famPSS:
		return rsa.SignPSS(rand.Reader, k.rsaPriv, k.info.hash, d, &pssOptions)
	}
	der, err := ecdsa.SignASN1(rand.Reader, k.ecPriv, d)
	if err != nil {
		return nil, err
	}
	return appendFixedSignature(dst, der, k.info.sigSize/2)
}
