package jose

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// stdB64 is the reference: encoding/base64's strict unpadded URL decoding,
// which additionally skips CR and LF; b64Decode refuses them.
func stdB64(s string) ([]byte, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return b, err == nil
}

// checkB64 decodes s with the vector code (where the processor has it) and
// with the portable code alone, and compares both with encoding/base64.
func checkB64(t *testing.T, s string) {
	t.Helper()
	want, wantOK := stdB64(s)
	vector := b64Vector
	defer func() { b64Vector = vector }()
	for _, b64Vector = range []bool{vector, false} {
		dst := make([]byte, b64DecodedLen(len(s)))
		n, ok := b64Decode(dst, s)
		if ok != wantOK {
			t.Fatalf("b64Decode(%q) (vector %v) ok = %v, encoding/base64 says %v", s, b64Vector, ok, wantOK)
		}
		if ok && !bytes.Equal(dst[:n], want) {
			t.Fatalf("b64Decode(%q) (vector %v) = %x, want %x", s, b64Vector, dst[:n], want)
		}
	}
}

// TestB64EveryByteEverywhere puts each of the 256 byte values at each
// position of the first two vector blocks and of the portable tail, so that
// the vector code's character classes are checked for every byte, not only
// for the usual wrong ones.
func TestB64EveryByteEverywhere(t *testing.T) {
	if !b64Vector {
		t.Log("this processor has no AVX2: only the portable code is checked")
	}
	valid := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte("signet?>~"), 10))[:76]
	for i := range len(valid) {
		for c := range 256 {
			checkB64(t, valid[:i]+string([]byte{byte(c)})+valid[i+1:])
		}
	}
}

// TestB64AgainstEncodingBase64 decodes every length up to a few blocks of
// random bytes, their encodings with one character changed (to each kind of
// wrong character, at each position) and their non-canonical spellings.
func TestB64AgainstEncodingBase64(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	bad := []byte("=+/.\r\n \x00\x80\xff")
	for n := range 80 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		s := base64.RawURLEncoding.EncodeToString(b)
		checkB64(t, s)
		for i := range len(s) {
			for _, c := range bad {
				checkB64(t, s[:i]+string(c)+s[i+1:])
			}
			// Every other alphabet character at the last position covers
			// the non-zero trailing bits of a non-canonical encoding.
			if i == len(s)-1 {
				for j := range len(b64Alphabet) {
					checkB64(t, s[:i]+string(b64Alphabet[j]))
				}
			}
		}
		checkB64(t, s+"A")
		if len(s) > 0 {
			checkB64(t, s[:len(s)-1])
		}
	}
}

// FuzzBase64 compares b64Decode with encoding/base64 on arbitrary input.
func FuzzBase64(f *testing.F) {
	for _, s := range []string{"", "A", "AA", "AB", "AAA", "AAB", "AAAA", "eyJhbGciOiJIUzI1NiJ9", "a+b/", "YQ==", "Y\nQ"} {
		f.Add(s)
	}
	f.Fuzz(checkB64)
}

// BenchmarkB64Decode decodes payload-sized parts with the vector code
// (where the processor has it) and with the portable code alone.
func BenchmarkB64Decode(b *testing.B) {
	src := make([]string, 64)
	for i := range src {
		raw := make([]byte, 330+i%7)
		for j := range raw {
			raw[j] = byte(' ' + (i*7+j*13)%90)
		}
		src[i] = b64.EncodeToString(raw)
	}
	dst := make([]byte, 512)
	vector := b64Vector
	defer func() { b64Vector = vector }()
	for _, path := range []string{"vector", "portable"} {
		b.Run("path="+path, func(b *testing.B) {
			if b64Vector = path == "vector" && vector; path == "vector" && !vector {
				b.Skip("no AVX2 on this processor")
			}
			b.SetBytes(int64(len(src[0])))
			for i := 0; b.Loop(); i++ {
				s := src[i&63]
				if _, ok := b64Decode(dst[:b64DecodedLen(len(s))], s); !ok {
					b.Fatal("bad")
				}
			}
		})
	}
}
