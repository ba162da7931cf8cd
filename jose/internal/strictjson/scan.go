package strictjson

import (
	"encoding/binary"
	"math/bits"

	"github.com/signet-dev/signet/jose/internal/cpu"
)

// MaxScan is the longest input ScanPlain takes; a token payload is
// typically well under half of it.
const MaxScan = 1024

// Quotes records where the quotes of an input are, one bit per byte, so
// that a reader of plain input finds the end of each string with a bit
// scan instead of reading the string. The zero value is ready for ScanPlain.
type Quotes struct {
	w [MaxScan / 64]uint64
}

// ScanPlain reports whether data is plain (see plain.go: no backslash, no
// control byte, no byte of 0x80 or above) and, when it is, leaves in q the
// offsets of its quotes. It returns false for input longer than MaxScan. q
// must be zero. With AVX2 it reads 64 bytes at a time (scan_amd64.s);
// elsewhere, eight.
func ScanPlain(data []byte, q *Quotes) bool {
	if len(data) > MaxScan {
		return false
	}
	if cpu.AVX2 {
		return scanPlainVector(data, q)
	}
	return scanPlainWords(data, q)
}

// scanPlainWords is ScanPlain eight bytes at a time: each word gives a
// byte mask of its quotes (exact, unlike the zero-byte test of specialMask,
// which may flag bytes after the first), gathered into eight bits by one
// multiplication.
func scanPlainWords(data []byte, q *Quotes) bool {
	var bad uint64
	i := 0
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		bad |= notPlainMask(x)
		q.w[i>>6] |= quoteBits(x) << (i & 63)
	}
	if i < len(data) {
		var tail [8]byte
		copy(tail[:], plainPadding[:])
		copy(tail[:], data[i:])
		x := binary.LittleEndian.Uint64(tail[:])
		bad |= notPlainMask(x)
		q.w[i>>6] |= quoteBits(x) << (i & 63)
	}
	return bad == 0
}

// quoteBits has bit j set when byte j of x (little-endian) is '"'. A byte
// is zero in t exactly when it is a quote; (t&0x7f..)+0x7f.. sets the high
// bit of every byte whose low seven bits are not all zero, without carrying
// between bytes, and ORing t adds those whose high bit is set.
func quoteBits(x uint64) uint64 {
	t := x ^ ('"' * ones)
	z := ^((t&^highs + ones*0x7f) | t) & highs
	return (z >> 7) * 0x0102040810204080 >> 56
}

// plainPadding fills the unused end of the last block: plain, and no quote.
var plainPadding = [64]byte{
	'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
	'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
	'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
	'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
}

// Next returns the offset of the first quote at or after i, or -1.
func (q *Quotes) Next(i int) int {
	w := i >> 6
	if uint(w) >= uint(len(q.w)) {
		return -1
	}
	if m := q.w[w] >> (uint(i) & 63); m != 0 {
		return i + bits.TrailingZeros64(m)
	}
	for w++; w < len(q.w); w++ {
		if m := q.w[w]; m != 0 {
			return w<<6 + bits.TrailingZeros64(m)
		}
	}
	return -1
}
