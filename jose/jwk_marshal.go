package jose

import (
	"crypto"
	"encoding/base64"
	"fmt"
	"math/big"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

// MarshalJSON encodes the key as a JWK (RFC 7517) with its "kid", "alg" and,
// when set, "use" and "key_ops". Private members are included only for a
// private key or HMAC secret: publish k.Public(), never k, in a JWKS.
func (k *Key) MarshalJSON() ([]byte, error) {
	var m jwkWriter
	m.b = append(m.b, '{')
	m.str("kty", k.kty())
	if k.kid != "" {
		m.str("kid", k.kid)
	}
	if k.use != "" {
		m.str("use", k.use)
	}
	if k.keyOps != nil {
		m.b = append(m.b, `,"key_ops":[`...)
		for i, op := range k.keyOps {
			if i > 0 {
				m.b = append(m.b, ',')
			}
			m.b = strictjson.AppendString(m.b, op)
		}
		m.b = append(m.b, ']')
	}
	m.str("alg", string(k.alg))
	k.writeMaterial(&m, true)
	m.b = append(m.b, '}')
	return m.b, nil
}

func (k *Key) kty() string {
	return map[family]string{famHMAC: "oct", famRSA: "RSA", famPSS: "RSA", famECDSA: "EC", famEdDSA: "OKP"}[k.info.fam]
}

// writeMaterial writes the key's parameters in lexicographic member order, as
// RFC 7638 requires for thumbprints; withPrivate adds the private members.
func (k *Key) writeMaterial(m *jwkWriter, withPrivate bool) {
	switch {
	case k.secret != nil:
		if withPrivate {
			m.bin("k", k.secret)
		}
	case k.rsaPub != nil:
		m.bin("e", big.NewInt(int64(k.rsaPub.E)).Bytes())
		m.bin("n", k.rsaPub.N.Bytes())
		if withPrivate && k.rsaPriv != nil {
			p := k.rsaPriv
			m.bin("d", p.D.Bytes())
			m.bin("p", p.Primes[0].Bytes())
			m.bin("q", p.Primes[1].Bytes())
			m.bin("dp", p.Precomputed.Dp.Bytes())
			m.bin("dq", p.Precomputed.Dq.Bytes())
			m.bin("qi", p.Precomputed.Qinv.Bytes())
		}
	case k.ecPub != nil:
		m.str("crv", curveName(k.alg))
		point, _ := k.ecPub.Bytes() // 0x04 || x || y, validated when the key was made
		size := (len(point) - 1) / 2
		m.bin("x", point[1:1+size])
		m.bin("y", point[1+size:])
		if withPrivate && k.ecPriv != nil {
			d, _ := k.ecPriv.Bytes()
			m.bin("d", d)
		}
	case k.edPub != nil:
		m.str("crv", "Ed25519")
		m.bin("x", k.edPub)
		if withPrivate && k.edPriv != nil {
			m.bin("d", k.edPriv.Seed())
		}
	}
}

type jwkWriter struct{ b []byte }

func (m *jwkWriter) sep() {
	if len(m.b) > 1 {
		m.b = append(m.b, ',')
	}
}

func (m *jwkWriter) str(name, v string) {
	m.sep()
	m.b = append(append(append(m.b, '"'), name...), `":`...)
	m.b = strictjson.AppendString(m.b, v)
}

func (m *jwkWriter) bin(name string, v []byte) {
	m.sep()
	m.b = append(append(append(m.b, '"'), name...), `":"`...)
	m.b = base64.RawURLEncoding.AppendEncode(m.b, v)
	m.b = append(m.b, '"')
}

// Thumbprint returns the RFC 7638 JWK thumbprint of the key's public
// parameters (the secret, for an HMAC key) under hash h.
func (k *Key) Thumbprint(h crypto.Hash) ([]byte, error) {
	if !h.Available() {
		return nil, errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("hash %v is not available", h))
	}
	var m jwkWriter
	m.b = append(m.b, '{')
	// Required members only, in lexicographic order (RFC 7638 section 3.2).
	switch k.info.fam {
	case famECDSA:
		point, _ := k.ecPub.Bytes()
		size := (len(point) - 1) / 2
		m.str("crv", curveName(k.alg))
		m.str("kty", "EC")
		m.bin("x", point[1:1+size])
		m.bin("y", point[1+size:])
	case famEdDSA:
		m.str("crv", "Ed25519")
		m.str("kty", "OKP")
		m.bin("x", k.edPub)
	case famRSA, famPSS:
		m.bin("e", big.NewInt(int64(k.rsaPub.E)).Bytes())
		m.str("kty", "RSA")
		m.bin("n", k.rsaPub.N.Bytes())
	case famHMAC:
		m.bin("k", k.secret)
		m.str("kty", "oct")
	}
	m.b = append(m.b, '}')
	d := h.New()
	d.Write(m.b)
	return d.Sum(nil), nil
}

// ThumbprintString returns the base64url SHA-256 RFC 7638 thumbprint, the
// usual choice of "kid" for a generated key.
func (k *Key) ThumbprintString() (string, error) {
	t, err := k.Thumbprint(crypto.SHA256)
	return base64.RawURLEncoding.EncodeToString(t), err
}
