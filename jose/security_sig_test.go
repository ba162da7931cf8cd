package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// Rule 5: signature encodings and key strength.
func TestRule5ECDSASignatureForm(t *testing.T) {
	k := mustKey(t, jose.ES256, "k")
	keys, _ := jose.NewKeySet(k.Public())
	v := accessVerifier(t, keys)
	priv := k.CryptoSigner().(*ecdsa.PrivateKey)
	hdr := `{"alg":"ES256","kid":"k","typ":"at+jwt"}`
	n := priv.Curve.Params().N
	fixed := func(r, s *big.Int) func([]byte) []byte {
		return func([]byte) []byte {
			out := make([]byte, 64)
			r.FillBytes(out[:32])
			s.FillBytes(out[32:])
			return out
		}
	}
	der := func(in []byte) []byte {
		d := sha256.Sum256(in)
		sig, _ := ecdsa.SignASN1(rand.Reader, priv, d[:])
		return sig
	}
	cases := []struct {
		name string
		sign func([]byte) []byte
		want error
	}{
		{"DER instead of r||s", der, jose.ErrMalformed},
		{"r||s one byte short", func(in []byte) []byte { return ecdsaSigner(priv, crypto.SHA256)(in)[1:] }, jose.ErrMalformed},
		{"r = 0", fixed(big.NewInt(0), big.NewInt(1)), jose.ErrBadSignature},
		{"s = 0", fixed(big.NewInt(1), big.NewInt(0)), jose.ErrBadSignature},
		{"r = n", fixed(n, big.NewInt(1)), jose.ErrBadSignature},
		{"s = n", fixed(big.NewInt(1), n), jose.ErrBadSignature},
		{"r above n", fixed(new(big.Int).Add(n, big.NewInt(5)), big.NewInt(1)), jose.ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { expectErr(t, v, rawToken(hdr, payloadJSON(), tc.sign), tc.want) })
	}
}

func TestRule5PSSSaltLength(t *testing.T) {
	k := mustKey(t, jose.PS256, "k")
	keys, _ := jose.NewKeySet(k.Public())
	v := accessVerifier(t, keys)
	priv := k.CryptoSigner().(*rsa.PrivateKey)
	hdr := `{"alg":"PS256","kid":"k","typ":"at+jwt"}`
	if _, err := v.Verify(rawToken(hdr, payloadJSON(), rsaSigner(priv, crypto.SHA256, &rsa.PSSOptions{SaltLength: 32}))); err != nil {
		t.Fatalf("salt as long as the hash refused: %v", err)
	}
	for _, salt := range []int{0, 20, 64} {
		tok := rawToken(hdr, payloadJSON(), rsaSigner(priv, crypto.SHA256, &rsa.PSSOptions{SaltLength: salt}))
		expectErr(t, v, tok, jose.ErrBadSignature)
	}
}

func TestRule5KeyStrength(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		make func() (*jose.Key, error)
	}{
		{"RSA 1024 public", func() (*jose.Key, error) { return jose.NewPublicKey(jose.RS256, "", &small.PublicKey) }},
		{"RSA 1024 private", func() (*jose.Key, error) { return jose.NewPrivateKey(jose.RS256, "", small) }},
		{"RSA with ROCA fingerprint", func() (*jose.Key, error) {
			return jose.NewPublicKey(jose.RS256, "", &rsa.PublicKey{N: rocaModulus(), E: 65537})
		}},
		{"RSA even exponent", func() (*jose.Key, error) {
			return jose.NewPublicKey(jose.RS256, "", &rsa.PublicKey{N: mustKey(t, jose.RS256, "").CryptoPublicKey().(*rsa.PublicKey).N, E: 65536})
		}},
		{"HS256 secret of 31 bytes", func() (*jose.Key, error) { return jose.NewHMACKey(jose.HS256, "", make([]byte, 31)) }},
		{"HS512 secret of 63 bytes", func() (*jose.Key, error) { return jose.NewHMACKey(jose.HS512, "", make([]byte, 63)) }},
		{"EC key on the wrong curve", func() (*jose.Key, error) {
			return jose.NewPublicKey(jose.ES384, "", mustKey(t, jose.ES256, "").CryptoPublicKey())
		}},
		{"RSA key as ES256", func() (*jose.Key, error) { return jose.NewPublicKey(jose.ES256, "", &small.PublicKey) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.make(); !errors.Is(err, jose.ErrInvalidKey) {
				t.Fatalf("got %v, want ErrInvalidKey", err)
			}
		})
	}
	t.Run("ROCA is the reason", func(t *testing.T) {
		n := rocaModulus()
		if n.BitLen() != 2048 {
			t.Fatalf("test modulus has %d bits", n.BitLen())
		}
		_, err := jose.NewPublicKey(jose.RS256, "", &rsa.PublicKey{N: n, E: 65537})
		if err == nil || !strings.Contains(err.Error(), "ROCA") {
			t.Fatalf("got %v, want a ROCA refusal", err)
		}
	})
	t.Run("ROCA check passes ordinary keys", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			mustKey(t, jose.RS256, "")
		}
	})
}

// rocaModulus builds a 2048-bit number with the ROCA structure: congruent to a
// power of 65537 modulo every small prime the fingerprint looks at.
func rocaModulus() *big.Int {
	m := big.NewInt(1)
	for _, p := range []int64{3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73,
		79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167} {
		m.Mul(m, big.NewInt(p))
	}
	r := new(big.Int).Exp(big.NewInt(65537), big.NewInt(12345), m)
	// t*m lands between 2^2047 and 2^2048, so n has exactly 2048 bits.
	t := new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), 2047), m)
	jitter, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 100))
	t.Add(t, jitter.Add(jitter, big.NewInt(1)))
	n := new(big.Int).Add(r, new(big.Int).Mul(t, m))
	if n.Bit(0) == 0 { // keep it odd without leaving the residue class: add m (odd)
		n.Add(n, m)
	}
	return n
}

// Rule 5: encryption keys never verify; a JWKS repeating a kid or mixing
// secrets with public keys is refused.
func TestRule5KeyUseAndSets(t *testing.T) {
	ec := mustKey(t, jose.ES256, "a")
	pub, _ := ec.Public().MarshalJSON()
	withMember := func(member string) []byte { return append([]byte(`{`+member+`,`), pub[1:]...) }
	for _, tc := range []struct{ name, jwk string }{
		{"use enc", string(withMember(`"use":"enc"`))},
		{"key_ops encrypt only", string(withMember(`"key_ops":["encrypt","wrapKey"]`))},
		{"use unknown", string(withMember(`"use":"other"`))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := jose.ParseJWK([]byte(tc.jwk)); !errors.Is(err, jose.ErrInvalidKey) {
				t.Fatalf("got %v, want ErrInvalidKey", err)
			}
		})
	}
	t.Run("key_ops without verify cannot verify", func(t *testing.T) {
		k, err := jose.ParseJWK(withMember(`"key_ops":["sign"]`))
		if err != nil {
			t.Fatal(err)
		}
		keys, _ := jose.NewKeySet(k)
		expectErr(t, accessVerifier(t, keys), signAccess(t, ec, goodClaims()), jose.ErrInvalidKey)
	})
	t.Run("encryption keys in a JWKS are skipped", func(t *testing.T) {
		other, _ := mustKey(t, jose.ES256, "b").Public().MarshalJSON()
		encKey := append([]byte(`{"use":"enc",`), other[1:]...)
		set, err := jose.ParseJWKS([]byte(`{"keys":[` + string(pub) + `,` + string(encKey) + `]}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := set.Lookup("b"); ok || set.Len() != 1 {
			t.Fatalf("encryption key kept: %d keys", set.Len())
		}
	})
	t.Run("two keys under one kid", func(t *testing.T) {
		dup, _ := mustKey(t, jose.ES256, "a").Public().MarshalJSON()
		_, err := jose.ParseJWKS([]byte(`{"keys":[` + string(pub) + `,` + string(dup) + `]}`))
		if !errors.Is(err, jose.ErrInvalidKey) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("secret and public key in one JWKS", func(t *testing.T) {
		hs, _ := mustKey(t, jose.HS256, "h").MarshalJSON()
		_, err := jose.ParseJWKS([]byte(`{"keys":[` + string(pub) + `,` + string(hs) + `]}`))
		if !errors.Is(err, jose.ErrInvalidKey) {
			t.Fatalf("got %v", err)
		}
	})
}
