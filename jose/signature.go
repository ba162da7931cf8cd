package jose

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
)

// sigBufSize holds the largest signature accepted: RSA with an 8192-bit key.
const sigBufSize = maxRSABits / 8

var pssOptions = rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}

// verifySignature checks sigPart (base64url) over input with k, using exactly
// k's algorithm. Lengths are checked before decoding so an oversized or
// mis-sized signature costs nothing. *sc is taken from scratchPool when the
// primitive needs a buffer that outlives the stack (see scratch).
func verifySignature(k *Key, input, sigPart string, sc **scratch) error {
	want := k.sigSize()
	if b64DecodedLen(len(sigPart)) != want {
		return errorf(ErrMalformed, fmt.Sprintf("signature is not %d bytes long", want))
	}
	if want > smallSigSize {
		var sbuf [sigBufSize]byte
		return checkSignatureBytes(k, input, sigPart, sbuf[:want], sc)
	}
	// A stack array is cleared on every call: an RSA-sized one would cost
	// more than the HMAC signatures it holds are worth.
	var sbuf [smallSigSize]byte
	return checkSignatureBytes(k, input, sigPart, sbuf[:want], sc)
}

// smallSigSize holds every signature but RSA's: ES512's 132 bytes.
const smallSigSize = 132

// checkSignatureBytes is verifySignature with the signature decoded into
// sbuf, which has exactly its length.
func checkSignatureBytes(k *Key, input, sigPart string, sbuf []byte, sc **scratch) error {
	sig, err := decodePart(sbuf, sigPart, "signature")
	if err != nil {
		return err
	}
	msg := readOnlyBytes(input)
	var ok bool
	switch k.info.fam {
	case famHMAC:
		ok = k.verifyHMAC(msg, sig)
	case famEdDSA:
		ok = ed25519.Verify(k.edPub, msg, sig)
	case famRSA:
		var d [64]byte // crypto/rsa.VerifyPKCS1v15 keeps no reference to it
		ok = rsa.VerifyPKCS1v15(k.rsaPub, k.info.hash, digest(k.info.hash, msg, &d), sig) == nil
	case famPSS:
		ok = rsa.VerifyPSS(k.rsaPub, k.info.hash, digest(k.info.hash, msg, &scratchFor(sc).digest), sig, &pssOptions) == nil
	case famECDSA:
		ok = k.verifyECDSA(msg, sig, scratchFor(sc))
	}
	if !ok {
		return errorf(ErrBadSignature, "signature does not verify")
	}
	return nil
}

// scratchFor returns *sc, taking it from scratchPool first if need be.
func scratchFor(sc **scratch) *scratch {
	if *sc == nil {
		*sc = scratchPool.Get().(*scratch)
	}
	return *sc
}

// sigSize is the exact decoded signature length k's algorithm produces.
func (k *Key) sigSize() int {
	switch k.info.fam {
	case famHMAC:
		return k.info.hash.Size()
	case famRSA, famPSS:
		return (k.rsaPub.N.BitLen() + 7) / 8
	}
	return k.info.sigSize
}

func (k *Key) verifyHMAC(msg, sig []byte) bool {
	st := k.macs.Get().(*macState)
	st.h.Reset()
	st.h.Write(msg)
	ok := hmac.Equal(st.h.Sum(st.sum[:0]), sig) // constant time
	k.macs.Put(st)
	return ok
}

// verifyECDSA checks a fixed-length r||s signature (RFC 7518 section 3.4).
// DER-encoded signatures never reach here: their length differs. r and s must
// lie in [1, n-1]; the standard library only accepts ASN.1, so the pair is
// re-encoded on the stack.
func (k *Key) verifyECDSA(msg, sig []byte, sc *scratch) bool {
	half := len(sig) / 2
	r, s := sig[:half], sig[half:]
	if !inScalarRange(r, k.ecOrder) || !inScalarRange(s, k.ecOrder) {
		return false
	}
	var d [64]byte // crypto/ecdsa.VerifyASN1 keeps no reference to the digest, only to the signature
	return ecdsa.VerifyASN1(k.ecPub, digest(k.info.hash, msg, &d), appendDERSignature(sc.der[:0], r, s))
}

// inScalarRange reports whether the big-endian v is in [1, order-1].
func inScalarRange(v, order []byte) bool {
	v = bytes.TrimLeft(v, "\x00")
	if len(v) == 0 || len(v) > len(order) {
		return false
	}
	return len(v) < len(order) || bytes.Compare(v, order) < 0
}

// appendDERSignature encodes SEQUENCE { INTEGER r, INTEGER s } (X9.62).
func appendDERSignature(dst, r, s []byte) []byte {
	r, s = bytes.TrimLeft(r, "\x00"), bytes.TrimLeft(s, "\x00")
	rl, sl := len(r)+int(r[0]>>7), len(s)+int(s[0]>>7)
	body := 2 + rl + 2 + sl
	dst = append(dst, 0x30)
	if body >= 0x80 {
		dst = append(dst, 0x81)
	}
	dst = append(dst, byte(body))
	dst = appendDERInt(dst, r, rl)
	return appendDERInt(dst, s, sl)
}

// appendFixedSignature appends the fixed-length r||s form (RFC 7518
// section 3.4), each value left-padded to size bytes, of the DER signature
// der, which crypto/ecdsa.SignASN1 has just made.
func appendFixedSignature(dst, der []byte, size int) ([]byte, error) {
	// SEQUENCE (short or one-byte long form) { INTEGER r, INTEGER s }.
	if len(der) < 2 || der[0] != 0x30 {
		return nil, errors.New("jose: ECDSA signature is not a DER sequence")
	}
	body := der[2:]
	if der[1] == 0x81 && len(der) > 2 {
		body = der[3:]
	}
	for range 2 {
		if len(body) < 2 || body[0] != 0x02 || int(body[1]) > len(body)-2 {
			return nil, errors.New("jose: ECDSA signature is not two DER integers")
		}
		v := bytes.TrimLeft(body[2:2+body[1]], "\x00")
		if len(v) > size {
			return nil, errors.New("jose: ECDSA signature value is too large")
		}
		dst = append(dst, make([]byte, size-len(v))...)
		dst = append(dst, v...)
		body = body[2+body[1]:]
	}
	return dst, nil
}

func appendDERInt(dst, v []byte, l int) []byte {
	dst = append(dst, 0x02, byte(l))
	if l > len(v) {
		dst = append(dst, 0)
	}
	return append(dst, v...)
}

// digest hashes msg with h into buf without allocating.
func digest(h crypto.Hash, msg []byte, buf *[64]byte) []byte {
	switch h {
	case crypto.SHA256:
		s := sha256.Sum256(msg)
		return append(buf[:0], s[:]...)
	case crypto.SHA384:
		s := sha512.Sum384(msg)
		return append(buf[:0], s[:]...)
	default:
		s := sha512.Sum512(msg)
		return append(buf[:0], s[:]...)
	}
}
