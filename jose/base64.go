package jose

import (
	"encoding/base64"
	"encoding/binary"
)

// The compact serialization is decoded by a purpose-built base64url decoder
// (RFC 4648 section 5, without padding) rather than encoding/base64, for
// two reasons. It is strict by construction: every byte outside the
// alphabet is refused, line breaks included (encoding/base64 skips CR and
// LF), and so are the non-zero trailing bits that would give one byte
// string a second spelling, so each decoded value has exactly one accepted
// encoding (RFC 7515 section 2). And it is about twice as fast, which
// matters because decoding the payload is, after the signature itself, the
// largest cost of verifying an HMAC token.

// b64 encodes the parts of a token (unpadded base64url). Decoding never goes
// through it: see b64Decode.
var b64 = base64.RawURLEncoding

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// b64Invalid marks a byte outside the alphabet in b64Table.
const b64Invalid = 1 << 63

// b64Table[j][c] is the 6-bit value of character c already shifted to its
// place as the j-th character of an 8-character group, whose 48 bits are
// the low 48 bits of a uint64 (most significant first); bytes outside the
// alphabet map to b64Invalid. Decoding a group is then eight loads ORed
// together, and one test of the top bit finds any bad character.
var b64Table = func() (t [8][256]uint64) {
	for j := range t {
		for c := range t[j] {
			t[j][c] = b64Invalid
		}
		for v := range len(b64Alphabet) {
			t[j][b64Alphabet[v]] = uint64(v) << (42 - 6*j)
		}
	}
	return t
}()

// b64DecodedLen is the length of the bytes that n characters of unpadded
// base64url encode; n%4 == 1 is no valid length, see b64Decode.
func b64DecodedLen(n int) int { return n/4*3 + n%4*3/4 }

// b64Decode decodes the unpadded base64url src into dst, which must hold
// b64DecodedLen(len(src)) bytes, and reports whether src was canonical:
// characters of the URL-safe alphabet only, a length that is not 1 modulo
// 4, and zero bits where the last character holds more bits than the
// output needs.
func b64Decode(dst []byte, src string) (int, bool) {
	// Whole blocks of 32 characters are 24 whole bytes, so the vector code
	// can take a prefix and leave the rest, trailing bits included.
	i, n, ok := b64DecodeVector(dst, src)
	m, rest := b64DecodeWith(&b64Table, dst[n:], src[i:])
	return n + m, ok && rest
}

// b64DecodeWith is b64Decode with the table passed in, so that its address
// stays in a register.
func b64DecodeWith(t *[8][256]uint64, dst []byte, src string) (int, bool) {
	n, i := 0, 0
	var bad uint64
	// Each step reads two groups of 8 characters and stores 8 bytes for
	// each, of which the 6 decoded ones are kept: the second store, and the
	// next step, overwrite the other 2.
	for ; i+16 <= len(src) && n+14 <= len(dst); i += 16 {
		s := src[i : i+16]
		v := t[0][s[0]] | t[1][s[1]] | t[2][s[2]] | t[3][s[3]] |
			t[4][s[4]] | t[5][s[5]] | t[6][s[6]] | t[7][s[7]]
		w := t[0][s[8]] | t[1][s[9]] | t[2][s[10]] | t[3][s[11]] |
			t[4][s[12]] | t[5][s[13]] | t[6][s[14]] | t[7][s[15]]
		bad |= v | w
		d := dst[n : n+14]
		binary.BigEndian.PutUint64(d[:8], v<<16)
		binary.BigEndian.PutUint64(d[6:], w<<16)
		n += 12
	}
	for ; i+8 <= len(src) && n+8 <= len(dst); i += 8 {
		s := src[i : i+8]
		v := t[0][s[0]] | t[1][s[1]] | t[2][s[2]] | t[3][s[3]] |
			t[4][s[4]] | t[5][s[5]] | t[6][s[6]] | t[7][s[7]]
		bad |= v
		binary.BigEndian.PutUint64(dst[n:n+8], v<<16)
		n += 6
	}
	for ; i+4 <= len(src); i += 4 {
		v := t[0][src[i]] | t[1][src[i+1]] | t[2][src[i+2]] | t[3][src[i+3]]
		bad |= v
		dst[n], dst[n+1], dst[n+2] = byte(v>>40), byte(v>>32), byte(v>>24)
		n += 3
	}
	switch len(src) - i {
	case 1:
		return 0, false // 6 bits cannot make a byte
	case 2: // 12 bits: one byte and 4 bits that must be zero
		v := t[0][src[i]] | t[1][src[i+1]]
		if bad |= v; v>>36&0xf != 0 {
			bad |= b64Invalid
		}
		dst[n] = byte(v >> 40)
		n++
	case 3: // 18 bits: two bytes and 2 bits that must be zero
		v := t[0][src[i]] | t[1][src[i+1]] | t[2][src[i+2]]
		if bad |= v; v>>30&0x3 != 0 {
			bad |= b64Invalid
		}
		dst[n], dst[n+1] = byte(v>>40), byte(v>>32)
		n += 2
	}
	return n, bad&b64Invalid == 0
}
