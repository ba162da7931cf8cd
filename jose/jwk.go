package jose

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

// maxJWKSize bounds the input ParseJWK reads; an 8192-bit RSA private key in
// JWK form is about 6 KiB.
const maxJWKSize = 16 << 10

// JWKOption adjusts how ParseJWK and ParseJWKS read keys.
type JWKOption func(*jwkConfig)

type jwkConfig struct {
	defaultAlg map[string]Algorithm // by kty
}

// WithDefaultAlgorithm binds JWKs that carry no "alg" member to alg, for keys
// of the type alg applies to (RSA for RS*/PS*, oct for HS*). EC and OKP keys
// never need it: their curve names their algorithm. A JWK that carries its own
// "alg" keeps it.
func WithDefaultAlgorithm(alg Algorithm) JWKOption {
	return func(c *jwkConfig) {
		info, _ := lookupAlg(alg)
		switch info.fam {
		case famHMAC:
			c.defaultAlg["oct"] = alg
		case famRSA, famPSS:
			c.defaultAlg["RSA"] = alg
		case famECDSA:
			c.defaultAlg["EC"] = alg
		case famEdDSA:
			c.defaultAlg["OKP"] = alg
		}
	}
}

func newJWKConfig(opts []JWKOption) *jwkConfig {
	c := &jwkConfig{defaultAlg: map[string]Algorithm{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// jwk holds the raw members of one JWK (RFC 7517 section 4, RFC 7518
// section 6, RFC 8037 section 2).
type jwk struct {
	kty, kid, use, alg, crv string
	keyOps                  []string
	hasOps                  bool
	x, y, d, n, e, k        []byte
	p, q, dp, dq, qi        []byte
	oth                     bool
}

// ParseJWK parses one JSON Web Key into a Key bound to the JWK's "alg" (or,
// when absent, to the curve's algorithm for EC and OKP keys, or to the
// WithDefaultAlgorithm option). Private members make a signing key. Keys meant
// for encryption ("use": "enc", or "key_ops" allowing neither "sign" nor
// "verify"), unsupported key types and weak keys are refused with
// ErrInvalidKey; bad JSON with ErrMalformed.
func ParseJWK(data []byte, opts ...JWKOption) (*Key, error) {
	j, err := decodeJWK(data)
	if err != nil {
		return nil, err
	}
	return j.key(newJWKConfig(opts))
}

func decodeJWK(data []byte) (*jwk, error) {
	if len(data) > maxJWKSize {
		return nil, errorf(ErrMalformed, fmt.Sprintf("JWK larger than %d bytes", maxJWKSize))
	}
	var d strictjson.Decoder
	d.Reset(data)
	j, err := readJWK(&d)
	if err == nil {
		err = d.End()
	}
	if err != nil {
		return nil, jwkErr(err)
	}
	return j, nil
}

func jwkErr(err error) error {
	var je *joseError
	if errors.As(err, &je) {
		return err
	}
	return errorf(ErrMalformed, "JWK: "+err.Error())
}

// readJWK reads one JWK object from d, which is positioned at its value.
func readJWK(d *strictjson.Decoder) (*jwk, error) {
	if err := d.ObjectStart(); err != nil {
		return nil, err
	}
	j := &jwk{}
	for {
		name, more, err := d.NextMember()
		if err != nil || !more {
			return j, err
		}
		if err := j.member(d, string(name)); err != nil {
			return nil, err
		}
	}
}

func (j *jwk) member(d *strictjson.Decoder, name string) error {
	str := map[string]*string{"kty": &j.kty, "kid": &j.kid, "use": &j.use, "alg": &j.alg, "crv": &j.crv}
	bin := map[string]*[]byte{"x": &j.x, "y": &j.y, "d": &j.d, "n": &j.n, "e": &j.e, "k": &j.k,
		"p": &j.p, "q": &j.q, "dp": &j.dp, "dq": &j.dq, "qi": &j.qi}
	switch {
	case str[name] != nil:
		b, err := d.StringBytes()
		if err != nil {
			return fmt.Errorf("member %q: %w", name, err)
		}
		*str[name] = string(b)
	case bin[name] != nil:
		b, err := d.StringBytes()
		if err != nil {
			return fmt.Errorf("member %q: %w", name, err)
		}
		v, err := base64.RawURLEncoding.Strict().DecodeString(string(b))
		if err != nil || len(b) == 0 {
			return errorf(ErrMalformed, fmt.Sprintf("JWK member %q is not non-empty unpadded base64url", name))
		}
		*bin[name] = v
	case name == "key_ops":
		ops, err := readStrings(d)
		if err != nil {
			return fmt.Errorf("member \"key_ops\": %w", err)
		}
		j.keyOps, j.hasOps = ops, true
	default:
		if name == "oth" {
			j.oth = true
		}
		_, err := d.Skip()
		return err
	}
	return nil
}

func readStrings(d *strictjson.Decoder) ([]string, error) {
	if err := d.ArrayStart(); err != nil {
		return nil, err
	}
	out := []string{}
	for {
		more, err := d.NextElement()
		if err != nil || !more {
			return out, err
		}
		b, err := d.StringBytes()
		if err != nil {
			return nil, err
		}
		out = append(out, string(b))
	}
}

// key turns the raw members into a Key.
func (j *jwk) key(c *jwkConfig) (*Key, error) {
	if j.use != "" && j.use != "sig" {
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("JWK %q has \"use\": %q; only signature keys are accepted", j.kid, j.use))
	}
	canSign := !j.hasOps || slices.Contains(j.keyOps, "sign")
	canVer := !j.hasOps || slices.Contains(j.keyOps, "verify")
	if !canSign && !canVer {
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("JWK %q has \"key_ops\" allowing neither sign nor verify", j.kid))
	}
	alg, err := j.algorithm(c)
	if err != nil {
		return nil, err
	}
	k, err := j.material(alg)
	if err != nil {
		return nil, err
	}
	k.use, k.keyOps = j.use, j.keyOps
	k.canSign = k.canSign && canSign
	k.canVer = canVer
	return k, nil
}

func (j *jwk) algorithm(c *jwkConfig) (Algorithm, error) {
	alg := Algorithm(j.alg)
	if alg == "" {
		switch {
		case j.kty == "EC":
			alg = map[string]Algorithm{"P-256": ES256, "P-384": ES384, "P-521": ES512}[j.crv]
		case j.kty == "OKP" && j.crv == "Ed25519":
			alg = EdDSA
		default:
			alg = c.defaultAlg[j.kty]
		}
		if alg == "" {
			return "", errorf(ErrInvalidKey, fmt.Sprintf("JWK %q (kty %q) has no \"alg\"; give one with WithDefaultAlgorithm", j.kid, j.kty))
		}
	}
	info, ok := lookupAlg(alg)
	if !ok {
		return "", errorf(ErrUnsupportedAlgorithm, fmt.Sprintf("JWK %q names algorithm %q", j.kid, j.alg))
	}
	want := map[family]string{famHMAC: "oct", famRSA: "RSA", famPSS: "RSA", famECDSA: "EC", famEdDSA: "OKP"}[info.fam]
	if j.kty != want {
		return "", errorf(ErrInvalidKey, fmt.Sprintf("JWK %q: kty %q cannot be used with %s", j.kid, j.kty, alg))
	}
	return alg, nil
}

func (j *jwk) material(alg Algorithm) (*Key, error) {
	switch j.kty {
	case "oct":
		if j.k == nil {
			return nil, errorf(ErrMalformed, "oct JWK lacks \"k\"")
		}
		return NewHMACKey(alg, j.kid, j.k)
	case "RSA":
		return j.rsaKey(alg)
	case "EC":
		return j.ecKey(alg)
	default: // OKP
		return j.okpKey(alg)
	}
}

func (j *jwk) rsaKey(alg Algorithm) (*Key, error) {
	if j.n == nil || j.e == nil || len(j.e) > 4 {
		return nil, errorf(ErrMalformed, "RSA JWK needs \"n\" and a \"e\" of at most 4 bytes")
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(j.n), E: int(new(big.Int).SetBytes(j.e).Int64())}
	if j.d == nil {
		return NewPublicKey(alg, j.kid, pub)
	}
	if j.oth || j.p == nil || j.q == nil {
		return nil, errorf(ErrInvalidKey, "RSA private JWK must have exactly two primes \"p\" and \"q\"")
	}
	priv := &rsa.PrivateKey{PublicKey: *pub, D: new(big.Int).SetBytes(j.d),
		Primes: []*big.Int{new(big.Int).SetBytes(j.p), new(big.Int).SetBytes(j.q)}}
	return NewPrivateKey(alg, j.kid, priv)
}

func (j *jwk) ecKey(alg Algorithm) (*Key, error) {
	curve := curveFor(alg)
	if j.crv != curveName(alg) {
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("EC JWK curve %q does not fit %s", j.crv, alg))
	}
	size := (curve.Params().BitSize + 7) / 8
	if len(j.x) != size || len(j.y) != size {
		return nil, errorf(ErrMalformed, fmt.Sprintf("EC JWK \"x\" and \"y\" must be %d bytes each", size))
	}
	point := append(append([]byte{4}, j.x...), j.y...)
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, errorf(ErrInvalidKey, "EC JWK is not a valid point on "+j.crv)
	}
	if j.d == nil {
		return NewPublicKey(alg, j.kid, pub)
	}
	if len(j.d) != size {
		return nil, errorf(ErrMalformed, fmt.Sprintf("EC JWK \"d\" must be %d bytes", size))
	}
	priv, err := ecdsa.ParseRawPrivateKey(curve, j.d)
	if err != nil || !priv.PublicKey.Equal(pub) {
		return nil, errorf(ErrInvalidKey, "EC JWK private key does not match its public point")
	}
	return NewPrivateKey(alg, j.kid, priv)
}

func (j *jwk) okpKey(alg Algorithm) (*Key, error) {
	if j.crv != "Ed25519" {
		return nil, errorf(ErrInvalidKey, fmt.Sprintf("OKP JWK curve %q is not supported; only Ed25519", j.crv))
	}
	if len(j.x) != ed25519.PublicKeySize {
		return nil, errorf(ErrMalformed, "Ed25519 JWK \"x\" must be 32 bytes")
	}
	if j.d == nil {
		return NewPublicKey(alg, j.kid, ed25519.PublicKey(j.x))
	}
	if len(j.d) != ed25519.SeedSize {
		return nil, errorf(ErrMalformed, "Ed25519 JWK \"d\" must be 32 bytes")
	}
	priv := ed25519.NewKeyFromSeed(j.d)
	if !priv.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(j.x)) {
		return nil, errorf(ErrInvalidKey, "Ed25519 JWK private key does not match \"x\"")
	}
	return NewPrivateKey(alg, j.kid, priv)
}
