package jose

import "crypto"

// Algorithm names a JWS signature algorithm (RFC 7518 section 3, RFC 8037).
// Every Key is bound to exactly one Algorithm when it is made; a token is only
// ever checked with the algorithm of the key chosen for it.
type Algorithm string

// The supported algorithms. "none" is deliberately absent: it is refused
// everywhere.
const (
	HS256 Algorithm = "HS256"
	HS384 Algorithm = "HS384"
	HS512 Algorithm = "HS512"
	RS256 Algorithm = "RS256"
	RS384 Algorithm = "RS384"
	RS512 Algorithm = "RS512"
	PS256 Algorithm = "PS256"
	PS384 Algorithm = "PS384"
	PS512 Algorithm = "PS512"
	ES256 Algorithm = "ES256"
	ES384 Algorithm = "ES384"
	ES512 Algorithm = "ES512"
	EdDSA Algorithm = "EdDSA"
)

// Algorithms lists every supported algorithm, in a stable order.
func Algorithms() []Algorithm {
	return []Algorithm{HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA}
}

type family uint8

const (
	famNone family = iota
	famHMAC
	famRSA
	famPSS
	famECDSA
	famEdDSA
)

// algInfo is what the signing and verifying code needs to know about an
// algorithm. It is looked up once, when a key is made.
type algInfo struct {
	fam     family
	hash    crypto.Hash
	sigSize int // fixed signature size for ECDSA (r||s) and EdDSA; 0 otherwise
}

func lookupAlg(a Algorithm) (algInfo, bool) {
	switch a {
	case HS256:
		return algInfo{famHMAC, crypto.SHA256, 0}, true
	case HS384:
		return algInfo{famHMAC, crypto.SHA384, 0}, true
	case HS512:
		return algInfo{famHMAC, crypto.SHA512, 0}, true
	case RS256:
		return algInfo{famRSA, crypto.SHA256, 0}, true
	case RS384:
		return algInfo{famRSA, crypto.SHA384, 0}, true
	case RS512:
		return algInfo{famRSA, crypto.SHA512, 0}, true
	case PS256:
		return algInfo{famPSS, crypto.SHA256, 0}, true
	case PS384:
		return algInfo{famPSS, crypto.SHA384, 0}, true
	case PS512:
		return algInfo{famPSS, crypto.SHA512, 0}, true
	case ES256:
		return algInfo{famECDSA, crypto.SHA256, 64}, true
	case ES384:
		return algInfo{famECDSA, crypto.SHA384, 96}, true
	case ES512:
		return algInfo{famECDSA, crypto.SHA512, 132}, true
	case EdDSA:
		return algInfo{famEdDSA, 0, 64}, true
	}
	return algInfo{}, false
}
