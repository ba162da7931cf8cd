package jose

import (
	"errors"
	"fmt"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

// maxJWKSSize bounds the JWKS document ParseJWKS reads.
const maxJWKSSize = 1 << 20

// KeySet is an immutable set of keys looked up by "kid" (a JWKS, RFC 7517
// section 5). A KeySet never mixes HMAC secrets with public keys and never
// holds two keys under one kid: either would let one kind of key be mistaken
// for another. A KeySet is safe for concurrent use and is itself a KeySource.
type KeySet struct {
	keys  []*Key
	byKID map[string]*Key
}

// NewKeySet returns a set holding keys. It refuses, with ErrInvalidKey, a nil
// key, two keys with the same kid (the empty kid included), and a mix of HMAC
// secrets with asymmetric keys.
func NewKeySet(keys ...*Key) (*KeySet, error) {
	s := &KeySet{keys: make([]*Key, 0, len(keys)), byKID: make(map[string]*Key, len(keys))}
	for _, k := range keys {
		if k == nil {
			return nil, errorf(ErrInvalidKey, "nil key in key set")
		}
		if _, dup := s.byKID[k.kid]; dup {
			return nil, errorf(ErrInvalidKey, fmt.Sprintf("two keys share the kid %q", k.kid))
		}
		if len(s.keys) > 0 && s.keys[0].IsSymmetric() != k.IsSymmetric() {
			return nil, errorf(ErrInvalidKey, "a key set cannot mix HMAC secrets with public keys")
		}
		s.byKID[k.kid] = k
		s.keys = append(s.keys, k)
	}
	return s, nil
}

// Keys returns the keys in the order they were given. The slice is a copy.
func (s *KeySet) Keys() []*Key { return append([]*Key(nil), s.keys...) }

// Len returns the number of keys.
func (s *KeySet) Len() int { return len(s.keys) }

// Lookup returns the key with the given kid.
func (s *KeySet) Lookup(kid string) (*Key, bool) {
	k, ok := s.byKID[kid]
	return k, ok
}

// CurrentKeys returns s itself, making a KeySet a KeySource.
func (s *KeySet) CurrentKeys() *KeySet { return s }

// lookupBytes finds the key for a token's kid without allocating. A token
// without a kid matches only a set of exactly one key.
func (s *KeySet) lookupBytes(kid []byte, hasKID bool) *Key {
	if !hasKID {
		if len(s.keys) == 1 {
			return s.keys[0]
		}
		return nil
	}
	return s.byKID[string(kid)]
}

// MarshalJSON encodes the set as a JWKS document of PUBLIC keys only: private
// and secret members are never written. A set of HMAC secrets has no public
// form and encodes as an error.
func (s *KeySet) MarshalJSON() ([]byte, error) {
	b := []byte(`{"keys":[`)
	for i, k := range s.keys {
		pub := k.Public()
		if pub == nil {
			return nil, errorf(ErrInvalidKey, "an HMAC secret cannot be published in a JWKS")
		}
		j, _ := pub.MarshalJSON()
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, j...)
	}
	return append(b, "]}"...), nil
}

// ParseJWKS parses a JWKS document ({"keys":[...]}) into a KeySet. Keys that
// are not for signatures ("use": "enc", "key_ops" without "sign" or
// "verify") and keys of types or algorithms this package does not implement
// are skipped, so a provider's encryption keys do not break verification;
// but a malformed or weak signature key fails the whole set, as does a
// repeated kid (among all keys) or a mix of secrets and public keys.
func ParseJWKS(data []byte, opts ...JWKOption) (*KeySet, error) {
	if len(data) > maxJWKSSize {
		return nil, errorf(ErrMalformed, fmt.Sprintf("JWKS larger than %d bytes", maxJWKSSize))
	}
	raws, err := decodeJWKS(data)
	if err != nil {
		return nil, err
	}
	c := newJWKConfig(opts)
	seen := map[string]bool{}
	var keys []*Key
	for _, j := range raws {
		if seen[j.kid] {
			return nil, errorf(ErrInvalidKey, fmt.Sprintf("two keys share the kid %q", j.kid))
		}
		seen[j.kid] = true
		if !j.forSignatures() {
			continue
		}
		k, err := j.key(c)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", j.kid, err)
		}
		keys = append(keys, k)
	}
	return NewKeySet(keys...)
}

// forSignatures reports whether a JWK is meant for, and of a kind usable in,
// JWS signatures; other keys are skipped in a JWKS.
func (j *jwk) forSignatures() bool {
	if j.use == "enc" || (j.hasOps && !containsAny(j.keyOps, "sign", "verify")) {
		return false
	}
	switch j.kty {
	case "oct", "RSA":
		if j.alg == "" {
			return true
		}
	case "EC":
		if j.alg == "" {
			return j.crv == "P-256" || j.crv == "P-384" || j.crv == "P-521"
		}
	case "OKP":
		return j.crv == "Ed25519" && (j.alg == "" || j.alg == string(EdDSA))
	default:
		return false
	}
	_, ok := lookupAlg(Algorithm(j.alg))
	return ok
}

func containsAny(list []string, wanted ...string) bool {
	for _, s := range list {
		for _, w := range wanted {
			if s == w {
				return true
			}
		}
	}
	return false
}

func decodeJWKS(data []byte) ([]*jwk, error) {
	var d strictjson.Decoder
	d.Reset(data)
	var out []*jwk
	err := d.ObjectStart()
	found := false
	for err == nil {
		var name []byte
		var more bool
		if name, more, err = d.NextMember(); err != nil || !more {
			break
		}
		if string(name) != "keys" {
			_, err = d.Skip()
			continue
		}
		found = true
		out, err = readJWKArray(&d)
	}
	if err == nil {
		err = d.End()
	}
	if err == nil && !found {
		err = errors.New(`no "keys" member`)
	}
	if err != nil {
		return nil, jwkErr(fmt.Errorf("JWKS: %w", err))
	}
	return out, nil
}

func readJWKArray(d *strictjson.Decoder) ([]*jwk, error) {
	if err := d.ArrayStart(); err != nil {
		return nil, err
	}
	var out []*jwk
	for {
		more, err := d.NextElement()
		if err != nil || !more {
			return out, err
		}
		j, err := readJWK(d)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
}
