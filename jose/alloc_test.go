package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// TestVerifyAllocations pins the allocations a verification adds to those
// of the signature primitive, for every algorithm: one, the payload buffer
// (the claims alias it), which for Verify holds the returned Claims too. The
// primitive's own allocations (crypto/rsa and crypto/ecdsa convert the
// public key on every call) are measured in the same test, by calling the
// primitive alone on the same token, so the test states exactly which
// allocations are signet's. One audience and a few roles fit the claims'
// inline storage, and Verify allocates the claims and the payload together.
func TestVerifyAllocations(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts are meaningless under coverage or the race detector (sync.Pool drops items at random)")
	}
	for _, alg := range jose.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			k := mustKey(t, alg, "k")
			vk := k.Public()
			if vk == nil {
				vk = k
			}
			keys, _ := jose.NewKeySet(vk)
			v := accessVerifier(t, keys)
			tok := signAccess(t, k, goodClaims())
			prim := primitiveAllocs(t, k, tok)
			var c jose.Claims
			into := testing.AllocsPerRun(100, func() {
				if err := v.VerifyInto(tok, &c); err != nil {
					t.Fatal(err)
				}
			})
			full := testing.AllocsPerRun(100, func() {
				if _, err := v.Verify(tok); err != nil {
					t.Fatal(err)
				}
			})
			t.Logf("%s: primitive %.0f, VerifyInto %.0f, Verify %.0f allocations", alg, prim, into, full)
			if into-prim > 1 || full-prim > 1 {
				t.Errorf("signet's own allocations: VerifyInto %.0f (want ≤ 1), Verify %.0f (want ≤ 1)", into-prim, full-prim)
			}
		})
	}
}

// primitiveAllocs returns the allocations of the bare signature check of tok
// with k, done as cheaply as the standard library allows: the hash on the
// stack where the primitive keeps no reference to it, in a reused buffer
// where it does (RSA-PSS), DER prepared in advance for ECDSA.
func primitiveAllocs(t *testing.T, k *jose.Key, tok string) float64 {
	i := strings.LastIndexByte(tok, '.')
	input := []byte(tok[:i])
	sig, err := enc.DecodeString(tok[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	h := map[byte]crypto.Hash{'2': crypto.SHA256, '3': crypto.SHA384, '5': crypto.SHA512}[k.Algorithm()[2]]
	var digest [64]byte
	sum := func() []byte {
		switch h {
		case crypto.SHA256:
			s := sha256.Sum256(input)
			return append(digest[:0], s[:]...)
		case crypto.SHA384:
			s := sha512.Sum384(input)
			return append(digest[:0], s[:]...)
		}
		s := sha512.Sum512(input)
		return append(digest[:0], s[:]...)
	}
	var verify func() bool
	switch pub := k.CryptoPublicKey().(type) {
	case nil: // HMAC, key schedule prepared once
		secret := mustSecret(t, k)
		m := hmac.New(h.New, secret)
		var out [64]byte
		verify = func() bool { m.Reset(); m.Write(input); return hmac.Equal(m.Sum(out[:0]), sig) }
	case ed25519.PublicKey:
		verify = func() bool { return ed25519.Verify(pub, input, sig) }
	case *rsa.PublicKey:
		if k.Algorithm()[0] == 'P' {
			opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
			verify = func() bool { return rsa.VerifyPSS(pub, h, sum(), sig, opts) == nil }
		} else {
			verify = func() bool {
				var d [64]byte
				s := sum()
				copy(d[:], s)
				return rsa.VerifyPKCS1v15(pub, h, d[:len(s)], sig) == nil
			}
		}
	case *ecdsa.PublicKey:
		half := len(sig) / 2
		der := derSignature(new(big.Int).SetBytes(sig[:half]), new(big.Int).SetBytes(sig[half:]))
		verify = func() bool {
			var d [64]byte
			s := sum()
			copy(d[:], s)
			return ecdsa.VerifyASN1(pub, d[:len(s)], der)
		}
	}
	if !verify() {
		t.Fatal("the primitive refuses the token")
	}
	return testing.AllocsPerRun(100, func() { verify() })
}

// derSignature encodes r and s as the ASN.1 DER signature crypto/ecdsa
// verifies.
func derSignature(r, s *big.Int) []byte {
	der, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		panic(err)
	}
	return der
}

// TestClaimStringsAreImmutable shows that the strings a verification hands
// out keep their bytes when the Claims they came from is cleared or reused
// for another token: the payload they alias is never written again, though
// Verify allocates it together with the Claims.
func TestClaimStringsAreImmutable(t *testing.T) {
	k := mustKey(t, jose.HS256, "k")
	keys, _ := jose.NewKeySet(k)
	v := accessVerifier(t, keys)
	first, second := goodClaims(), goodClaims()
	first.Subject, second.Subject = "first-subject", "other-subject"
	tok1, tok2 := signAccess(t, k, first), signAccess(t, k, second)

	c, err := v.Verify(tok1)
	if err != nil {
		t.Fatal(err)
	}
	sub, iss, aud := c.Subject, c.Issuer, c.Audience[0]
	*c = jose.Claims{}
	if err := v.VerifyInto(tok2, c); err != nil {
		t.Fatal(err)
	}
	if c.Subject != "other-subject" {
		t.Fatalf("reused claims read subject %q", c.Subject)
	}
	if sub != "first-subject" || iss != testIssuer || aud != testAudience {
		t.Fatalf("strings from the first token changed to %q, %q, %q", sub, iss, aud)
	}

	var into jose.Claims
	if err := v.VerifyInto(tok1, &into); err != nil {
		t.Fatal(err)
	}
	sub = into.Subject
	if err := v.VerifyInto(tok2, &into); err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyInto("x"+tok2, &into); err == nil {
		t.Fatal("a bad token was accepted")
	}
	if sub != "first-subject" {
		t.Fatalf("a string from the first token changed to %q", sub)
	}
}
