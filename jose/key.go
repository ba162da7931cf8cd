package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"hash"
	"sync"
)

// Key is a signing or verification key bound to exactly one Algorithm and
// identified by a key id ("kid"). A Key is immutable once made and safe for
// concurrent use. Make one with NewHMACKey, NewPrivateKey, NewPublicKey,
// GenerateKey or ParseJWK; the zero Key is not usable.
//
// Binding the algorithm to the key is what makes algorithm-confusion attacks
// impossible (RFC 8725 section 3.1): a token naming any other algorithm is
// refused before any cryptography runs, and an RSA or EC public key can never
// be used as an HMAC secret because the HMAC code only ever sees secrets.
type Key struct {
	kid  string
	alg  Algorithm
	info algInfo

	use     string   // "sig" or "" (absent); encryption keys are never made
	keyOps  []string // as given in a JWK; nil when absent
	canSign bool     // private material present and key_ops allows "sign"
	canVer  bool     // key_ops absent or allows "verify"

	secret []byte     // HMAC
	macs   *sync.Pool // of *macState, keyed with secret

	rsaPub  *rsa.PublicKey
	rsaPriv *rsa.PrivateKey
	ecPub   *ecdsa.PublicKey
	ecPriv  *ecdsa.PrivateKey
	ecOrder []byte // big-endian group order, for the r,s range check
	edPub   ed25519.PublicKey
	edPriv  ed25519.PrivateKey
}

// macState is one keyed HMAC with room for its output, pooled per key so a
// verification neither rebuilds the key schedule nor allocates.
type macState struct {
	h   hash.Hash
	sum [64]byte
}

// KeyID returns the key's "kid" (possibly empty).
func (k *Key) KeyID() string { return k.kid }

// Algorithm returns the one algorithm this key signs or verifies with.
func (k *Key) Algorithm() Algorithm { return k.alg }

// IsPrivate reports whether the key can sign: an HMAC secret or a private key.
func (k *Key) IsPrivate() bool { return k.canSign }

// IsSymmetric reports whether the key is an HMAC secret.
func (k *Key) IsSymmetric() bool { return k.info.fam == famHMAC }

// Public returns the public half of an asymmetric key, with the same kid and
// algorithm, or nil for an HMAC secret, which has no public half. For a key
// that is already public it returns the key itself.
func (k *Key) Public() *Key {
	switch {
	case k.info.fam == famHMAC:
		return nil
	case !k.canSign:
		return k
	}
	pub := &Key{kid: k.kid, alg: k.alg, info: k.info, use: k.use, canVer: true, ecOrder: k.ecOrder}
	switch {
	case k.rsaPriv != nil:
		pub.rsaPub = &k.rsaPriv.PublicKey
	case k.ecPriv != nil:
		pub.ecPub = &k.ecPriv.PublicKey
	case k.edPriv != nil:
		pub.edPub = k.edPriv.Public().(ed25519.PublicKey)
	}
	return pub
}

// CryptoPublicKey returns the public key as a standard library value
// (*rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey), or nil for an HMAC
// secret.
func (k *Key) CryptoPublicKey() crypto.PublicKey {
	switch {
	case k.rsaPub != nil:
		return k.rsaPub
	case k.ecPub != nil:
		return k.ecPub
	case k.edPub != nil:
		return k.edPub
	}
	return nil
}

// CryptoSigner returns the private key as a crypto.Signer, or nil when the key
// is public or an HMAC secret.
func (k *Key) CryptoSigner() crypto.Signer {
	switch {
	case k.rsaPriv != nil:
		return k.rsaPriv
	case k.ecPriv != nil:
		return k.ecPriv
	case k.edPriv != nil:
		return k.edPriv
	}
	return nil
}

func (k *Key) initHMAC() {
	secret, h := k.secret, k.info.hash
	k.macs = &sync.Pool{New: func() any { return &macState{h: hmac.New(h.New, secret)} }}
}

// curveFor returns the curve an ECDSA algorithm is defined on (RFC 7518
// section 3.4).
func curveFor(a Algorithm) elliptic.Curve {
	switch a {
	case ES256:
		return elliptic.P256()
	case ES384:
		return elliptic.P384()
	case ES512:
		return elliptic.P521()
	}
	return nil
}

func algForCurve(c elliptic.Curve) Algorithm {
	switch c {
	case elliptic.P256():
		return ES256
	case elliptic.P384():
		return ES384
	case elliptic.P521():
		return ES512
	}
	return ""
}

func curveName(a Algorithm) string {
	switch a {
	case ES256:
		return "P-256"
	case ES384:
		return "P-384"
	case ES512:
		return "P-521"
	}
	return ""
}
