package strictjson

import "encoding/binary"

// Plain input is what almost every token payload is: printable ASCII with
// no backslash, so that every string in it is its bytes between two quotes,
// valid as it stands. In plain input a string runs from its opening quote
// to the next quote, holds no escape and needs no UTF-8 check, and a byte
// outside strings that is not a JSON token byte is caught by whoever reads
// it. ScanPlain (scan.go) tells plain input and finds its quotes; Uint reads
// its numbers. A reader that relies on them must still check the grammar
// byte by byte and leave anything it does not expect to the Decoder, which
// decides.

// notPlainMask is non-zero when one of the eight bytes of x is not plain:
// a backslash, below 0x20 or at least 0x80. Unlike specialMask it need not
// say which byte: a borrow may flag a neighbour, but only after flagging a
// byte that is itself not plain, so the mask is zero exactly for plain
// words.
func notPlainMask(x uint64) uint64 {
	b := x ^ ('\\' * ones)
	return ((b-ones)&^b | (x - 0x20*ones) | x) & highs
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
