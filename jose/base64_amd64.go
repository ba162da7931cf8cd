//go:build amd64 && !purego

package jose

import "unsafe"

// On amd64 with AVX2 the bulk of every part is decoded 32 characters at a
// time by b64DecodeAVX2 (base64_amd64.s), and the rest by the portable
// code. Both refuse the same characters; TestB64DecodeVectorAgrees and
// FuzzBase64 hold them to it.

//go:noescape
func b64DecodeAVX2(dst, src *byte, blocks int) bool

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// hasAVX2 reports whether the processor has AVX2 and the operating system
// saves the vector registers it uses (OSXSAVE, and XCR0 bits 1 and 2).
func hasAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// b64Vector is whether b64Decode uses b64DecodeAVX2; tests turn it off to
// compare both paths.
var b64Vector = hasAVX2()

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
