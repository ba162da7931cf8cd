package jose

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
)

const (
	minRSABits = 2048
	maxRSABits = 8192 // bounds the cost an attacker-supplied key can impose
)

// NewHMACKey returns an HMAC key for alg (HS256, HS384 or HS512) under kid.
// The secret is copied. A secret shorter than the hash output (32 bytes for
// HS256, RFC 7518 section 3.2) is refused with ErrInvalidKey.
func NewHMACKey(alg Algorithm, kid string, secret []byte) (*Key, error) {
	info, ok := lookupAlg(alg)
	if !ok || info.fam != famHMAC {
		return nil, errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("%q is not an HMAC algorithm", alg))
	}
	if len(secret) < info.hash.Size() {
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("%s needs a secret of at least %d bytes, got %d", alg, info.hash.Size(), len(secret)))
	}
	k := &Key{kid: kid, alg: alg, info: info, canSign: true, canVer: true, secret: append([]byte(nil), secret...)}
	k.initHMAC()
	return k, nil
}

// NewPrivateKey returns a signing key for alg under kid from a standard
// library private key: *rsa.PrivateKey for RS*/PS*, *ecdsa.PrivateKey on the
// algorithm's curve for ES*, ed25519.PrivateKey for EdDSA. A key that does not
// fit alg, or is weak, is refused with ErrInvalidKey. The key also verifies.
func NewPrivateKey(alg Algorithm, kid string, priv any) (*Key, error) {
	info, ok := lookupAlg(alg)
	if !ok || info.fam == famHMAC {
		return nil, errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("%q is not an asymmetric algorithm", alg))
	}
	k := &Key{kid: kid, alg: alg, info: info, canSign: true, canVer: true}
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		if info.fam != famRSA && info.fam != famPSS {
			return nil, mismatch(alg, "an RSA key")
		}
		if err := p.Validate(); err != nil {
			return nil, errorf(ErrInvalidKey, "RSA private key is inconsistent: "+err.Error())
		}
		if err := checkRSAPublic(&p.PublicKey); err != nil {
			return nil, err
		}
		p.Precompute()
		k.rsaPriv, k.rsaPub = p, &p.PublicKey
	case *ecdsa.PrivateKey:
		if info.fam != famECDSA || algForCurve(p.Curve) != alg {
			return nil, mismatch(alg, "this ECDSA key")
		}
		if _, err := p.ECDH(); err != nil {
			return nil, errorf(ErrInvalidKey, "EC private key is invalid: "+err.Error())
		}
		k.ecPriv, k.ecPub = p, &p.PublicKey
		k.ecOrder = p.Curve.Params().N.Bytes()
	case ed25519.PrivateKey:
		if info.fam != famEdDSA {
			return nil, mismatch(alg, "an Ed25519 key")
		}
		if len(p) != ed25519.PrivateKeySize {
			return nil, errorf(ErrInvalidKey, "Ed25519 private key must be 64 bytes")
		}
		k.edPriv, k.edPub = p, p.Public().(ed25519.PublicKey)
	default:
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("unsupported private key type %T", priv))
	}
	return k, nil
}

// NewPublicKey returns a verification key for alg under kid from a standard
// library public key: *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey.
// A key that does not fit alg, is weak (RSA under 2048 bits or with the ROCA
// fingerprint) or is not a valid curve point is refused with ErrInvalidKey.
func NewPublicKey(alg Algorithm, kid string, pub any) (*Key, error) {
	info, ok := lookupAlg(alg)
	if !ok || info.fam == famHMAC {
		return nil, errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("%q is not an asymmetric algorithm", alg))
	}
	k := &Key{kid: kid, alg: alg, info: info, canVer: true}
	switch p := pub.(type) {
	case *rsa.PublicKey:
		if info.fam != famRSA && info.fam != famPSS {
			return nil, mismatch(alg, "an RSA key")
		}
		if err := checkRSAPublic(p); err != nil {
			return nil, err
		}
		k.rsaPub = p
	case *ecdsa.PublicKey:
		if info.fam != famECDSA || p.Curve == nil || algForCurve(p.Curve) != alg {
			return nil, mismatch(alg, "this ECDSA key")
		}
		if _, err := p.ECDH(); err != nil {
			return nil, errorf(ErrInvalidKey, "EC public key is not a valid point on "+curveName(alg))
		}
		k.ecPub = p
		k.ecOrder = p.Curve.Params().N.Bytes()
	case ed25519.PublicKey:
		if info.fam != famEdDSA {
			return nil, mismatch(alg, "an Ed25519 key")
		}
		if len(p) != ed25519.PublicKeySize {
			return nil, errorf(ErrInvalidKey, "Ed25519 public key must be 32 bytes")
		}
		k.edPub = append(ed25519.PublicKey(nil), p...)
	default:
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("unsupported public key type %T", pub))
	}
	return k, nil
}

// GenerateKey makes a new random key for alg: a secret as long as the hash
// output for HS*, a 2048-bit RSA key for RS*/PS* (use NewPrivateKey for a
// larger one), a key on the algorithm's curve for ES*, an Ed25519 key for
// EdDSA. When kid is empty the key id is the key's RFC 7638 SHA-256
// thumbprint, base64url-encoded.
func GenerateKey(alg Algorithm, kid string) (*Key, error) {
	info, ok := lookupAlg(alg)
	if !ok {
		return nil, errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("cannot generate a key for %q", alg))
	}
	var k *Key
	var err error
	switch info.fam {
	case famHMAC:
		secret := make([]byte, info.hash.Size())
		rand.Read(secret)
		k, err = NewHMACKey(alg, kid, secret)
	case famRSA, famPSS:
		var p *rsa.PrivateKey
		if p, err = rsa.GenerateKey(rand.Reader, minRSABits); err == nil {
			k, err = NewPrivateKey(alg, kid, p)
		}
	case famECDSA:
		var p *ecdsa.PrivateKey
		if p, err = ecdsa.GenerateKey(curveFor(alg), rand.Reader); err == nil {
			k, err = NewPrivateKey(alg, kid, p)
		}
	case famEdDSA:
		var p ed25519.PrivateKey
		if _, p, err = ed25519.GenerateKey(rand.Reader); err == nil {
			k, err = NewPrivateKey(alg, kid, p)
		}
	}
	if err != nil {
		return nil, err
	}
	if kid == "" {
		k.kid, err = k.ThumbprintString()
	}
	return k, err
}

func mismatch(alg Algorithm, what string) error {
	return errorf(ErrInvalidKey, fmt.Sprintf("algorithm %s cannot be used with %s", alg, what))
}

// checkRSAPublic refuses moduli outside 2048..8192 bits, bad exponents and
// moduli with the ROCA fingerprint (CVE-2017-15361).
func checkRSAPublic(p *rsa.PublicKey) error {
	if p.N == nil || p.N.Sign() <= 0 {
		return errorf(ErrInvalidKey, "RSA modulus is missing")
	}
	if bits := p.N.BitLen(); bits < minRSABits || bits > maxRSABits {
		return errorf(ErrInvalidKey, fmt.Sprintf("RSA modulus is %d bits; signet accepts %d to %d", bits, minRSABits, maxRSABits))
	}
	if p.N.Bit(0) == 0 {
		return errorf(ErrInvalidKey, "RSA modulus is even")
	}
	if p.E < 3 || p.E%2 == 0 || int64(p.E) > 1<<31-1 {
		return errorf(ErrInvalidKey, fmt.Sprintf("RSA public exponent %d is not acceptable", p.E))
	}
	if hasROCAFingerprint(p.N) {
		return errorf(ErrInvalidKey, "RSA modulus has the ROCA fingerprint (CVE-2017-15361); regenerate the key")
	}
	return nil
}
