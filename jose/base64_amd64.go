//go:build amd64 && !purego

package jose

import (
	"unsafe"

	"github.com/signet-dev/signet/jose/internal/cpu"
)

// On amd64 with AVX2 the bulk of every part is decoded 32 characters at a
// time by b64DecodeAVX2 (base64_amd64.s), and the rest by the portable
// code. Both refuse the same characters; TestB64EveryByteEverywhere and
// FuzzBase64 hold them to it.

//go:noescape
func b64DecodeAVX2(dst, src *byte, blocks int) bool

// b64Vector is whether b64Decode uses b64DecodeAVX2; tests turn it off to
// compare both paths.
var b64Vector = cpu.AVX2

// b64DecodeVector decodes the longest prefix of src that the vector code
// can take, of whole 32-character blocks, leaving at least 8 spare bytes in
// dst for its overlapping stores. It returns how many characters it read
// and bytes it wrote, and false if a character was outside the alphabet.
func b64DecodeVector(dst []byte, src string) (read, written int, ok bool) {
	blocks := min(len(src)/32, (len(dst)-8)/24)
	if !b64Vector || blocks <= 0 {
		return 0, 0, true
	}
	ok = b64DecodeAVX2(&dst[0], unsafe.StringData(src), blocks)
	return 32 * blocks, 24 * blocks, ok
}
