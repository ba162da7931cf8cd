package strictjson

import (
	"encoding/binary"
	"math/bits"
)

// Plain input is what almost every token payload is: printable ASCII with
// no backslash, so that every string in it is its bytes between two quotes,
// valid as it stands. The helpers below let a caller read such input with
// far less work than the general Decoder, which it must still use for
// everything else; see Plain.

// Plain reports whether data holds no backslash, no control byte and no
// byte of 0x80 or above. In plain input a string runs from its opening
// quote to the next quote, holds no escape and needs no UTF-8 check, and a
// byte outside strings that is not a JSON token byte is caught by whoever
// reads it. A reader that relies on Plain must still check the grammar
// byte by byte and leave anything it does not expect to the Decoder, which
// decides.
func Plain(data []byte) bool {
	var acc uint64
	i := 0
	for ; i+16 <= len(data); i += 16 {
		x := binary.LittleEndian.Uint64(data[i:])
		y := binary.LittleEndian.Uint64(data[i+8:])
		acc |= notPlainMask(x) | notPlainMask(y)
	}
	for ; i+8 <= len(data); i += 8 {
		acc |= notPlainMask(binary.LittleEndian.Uint64(data[i:]))
	}
	if acc != 0 {
		return false
	}
	for ; i < len(data); i++ {
		if c := data[i]; c < 0x20 || c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// notPlainMask is non-zero when one of the eight bytes of x is a backslash,
// below 0x20 or at least 0x80. Unlike specialMask it need not say which
// byte: a borrow may flag a neighbour, but only after flagging a byte that
// is itself not plain, so the mask is zero exactly for plain words.
func notPlainMask(x uint64) uint64 {
	b := x ^ ('\\' * ones)
	return ((b-ones)&^b | (x - 0x20*ones) | x) & highs
}

// IndexQuote returns the offset of the first '"' at or after data[i], or
// -1 when there is none. On input that is not Plain it finds quotes just
// the same, but a quote it finds may then be escaped.
func IndexQuote(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		q := binary.LittleEndian.Uint64(data[i:]) ^ ('"' * ones)
		// The lowest flag of the zero-byte test is exact (see specialMask).
		if m := (q - ones) &^ q & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(data); i++ {
		if data[i] == '"' {
			return i
		}
	}
	return -1
}

// Uint reads the JSON number at data[i] when it is a plain unsigned
// integer: one or more digits, no leading zero unless the number is 0, and
// followed by a byte (there must be one) that is neither a digit, '.', 'e'
// nor 'E', so that the number ends where the Decoder would end it. It
// returns the offset of that byte and the value, or -1 for a value of more
// than MaxNumericDate's digits. ok is false for any other number (negative,
// fraction, exponent), for a byte that starts no number, and at the end of
// the input: the Decoder decides those.
func Uint(data []byte, i int) (end int, v int64, ok bool) {
	start := i
	if i+8 <= len(data) {
		if x := binary.LittleEndian.Uint64(data[i:]); eightDigits(x) {
			v, i = parseEightDigits(x), i+8
		}
	}
	for i < len(data) {
		x := data[i] - '0'
		if x > 9 {
			break
		}
		v = v*10 + int64(x) // may wrap past maxDateDigits digits: v is then replaced
		i++
	}
	n := i - start
	if n == 0 || i >= len(data) || (n > 1 && data[start] == '0') {
		return i, 0, false
	}
	if c := data[i]; c == '.' || c|0x20 == 'e' {
		return i, 0, false
	}
	if n > maxDateDigits {
		v = -1
	}
	return i, v, true
}
