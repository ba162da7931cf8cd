//go:build amd64 && !purego

#include "textflag.h"

// b64DecodeAVX2 decodes blocks of 32 base64url characters, 24 bytes each,
// with the classic vector method: split every character into its high and
// low nibbles, look both up in 16-entry tables (VPSHUFB) to find the
// characters outside the alphabet, add the offset that maps each range of
// the alphabet to its 6-bit values (with one correction for '_', whose
// high nibble it shares with 'P'-'Z'), and pack four 6-bit values into
// three bytes with two multiply-adds and two shuffles.
//
// Character classes (b64LutHi, by high nibble) and the low nibbles that are
// invalid in each class (b64LutLo): a character is outside the alphabet
// exactly when its two lookups share a bit.
//   0x01: 0x2_, valid low nibble D ('-')
//   0x02: 0x3_, valid 0-9 (digits)
//   0x04: 0x4_ and 0x6_, valid 1-F ('A'-'O', 'a'-'o')
//   0x08: 0x5_, valid 0-A and F ('P'-'Z', '_')
//   0x10: 0x7_, valid 0-A ('p'-'z')
//   0x20: every other high nibble (0x80 and above included), nothing valid

DATA b64LutHi<>+0x00(SB)/8, $0x1004080402012020
DATA b64LutHi<>+0x08(SB)/8, $0x2020202020202020
DATA b64LutHi<>+0x10(SB)/8, $0x1004080402012020
DATA b64LutHi<>+0x18(SB)/8, $0x2020202020202020
GLOBL b64LutHi<>(SB), (NOPTR+RODATA), $32
DATA b64LutLo<>+0x00(SB)/8, $0x2121212121212125
DATA b64LutLo<>+0x08(SB)/8, $0x333b3a3b3b232121
DATA b64LutLo<>+0x10(SB)/8, $0x2121212121212125
DATA b64LutLo<>+0x18(SB)/8, $0x333b3a3b3b232121
GLOBL b64LutLo<>(SB), (NOPTR+RODATA), $32
DATA b64Roll<>+0x00(SB)/8, $0xb9b9bfbf04110000
DATA b64Roll<>+0x08(SB)/8, $0x0000000000000000
DATA b64Roll<>+0x10(SB)/8, $0xb9b9bfbf04110000
DATA b64Roll<>+0x18(SB)/8, $0x0000000000000000
GLOBL b64Roll<>(SB), (NOPTR+RODATA), $32
DATA b64Pack<>+0x00(SB)/8, $0x090a040506000102
DATA b64Pack<>+0x08(SB)/8, $0x808080800c0d0e08
DATA b64Pack<>+0x10(SB)/8, $0x090a040506000102
DATA b64Pack<>+0x18(SB)/8, $0x808080800c0d0e08
GLOBL b64Pack<>(SB), (NOPTR+RODATA), $32
DATA b64Perm<>+0x00(SB)/8, $0x0000000100000000
DATA b64Perm<>+0x08(SB)/8, $0x0000000400000002
DATA b64Perm<>+0x10(SB)/8, $0x0000000600000005
DATA b64Perm<>+0x18(SB)/8, $0x0000000700000003
GLOBL b64Perm<>(SB), (NOPTR+RODATA), $32
DATA b64Nibble<>+0x00(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA b64Nibble<>+0x08(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA b64Nibble<>+0x10(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA b64Nibble<>+0x18(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL b64Nibble<>(SB), (NOPTR+RODATA), $32
DATA b64Under<>+0x00(SB)/8, $0x5f5f5f5f5f5f5f5f
DATA b64Under<>+0x08(SB)/8, $0x5f5f5f5f5f5f5f5f
DATA b64Under<>+0x10(SB)/8, $0x5f5f5f5f5f5f5f5f
DATA b64Under<>+0x18(SB)/8, $0x5f5f5f5f5f5f5f5f
GLOBL b64Under<>(SB), (NOPTR+RODATA), $32
DATA b64Fix<>+0x00(SB)/8, $0x2121212121212121
DATA b64Fix<>+0x08(SB)/8, $0x2121212121212121
DATA b64Fix<>+0x10(SB)/8, $0x2121212121212121
DATA b64Fix<>+0x18(SB)/8, $0x2121212121212121
GLOBL b64Fix<>(SB), (NOPTR+RODATA), $32
DATA b64Madd1<>+0x00(SB)/8, $0x0140014001400140
DATA b64Madd1<>+0x08(SB)/8, $0x0140014001400140
DATA b64Madd1<>+0x10(SB)/8, $0x0140014001400140
DATA b64Madd1<>+0x18(SB)/8, $0x0140014001400140
GLOBL b64Madd1<>(SB), (NOPTR+RODATA), $32
DATA b64Madd2<>+0x00(SB)/8, $0x0001100000011000
DATA b64Madd2<>+0x08(SB)/8, $0x0001100000011000
DATA b64Madd2<>+0x10(SB)/8, $0x0001100000011000
DATA b64Madd2<>+0x18(SB)/8, $0x0001100000011000
GLOBL b64Madd2<>(SB), (NOPTR+RODATA), $32

// func b64DecodeAVX2(dst, src *byte, blocks int) bool
//
// It reads 32*blocks bytes at src and writes 24*blocks+8 bytes at dst (each
// block stores 32 bytes, the last 8 of which the next block overwrites),
// and reports whether every character was in the alphabet. blocks > 0.
TEXT ·b64DecodeAVX2(SB), NOSPLIT, $0-25
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ blocks+16(FP), CX

	VMOVDQU b64Perm<>(SB), Y5
	VMOVDQU b64Pack<>(SB), Y6
	VMOVDQU b64Madd2<>(SB), Y7
	VMOVDQU b64Madd1<>(SB), Y8
	VMOVDQU b64Fix<>(SB), Y9
	VMOVDQU b64Under<>(SB), Y10
	VMOVDQU b64Roll<>(SB), Y11
	VPXOR   Y12, Y12, Y12 // the invalid characters seen so far
	VMOVDQU b64LutLo<>(SB), Y13
	VMOVDQU b64LutHi<>(SB), Y14
	VMOVDQU b64Nibble<>(SB), Y15

loop:
	VMOVDQU (SI), Y0
	VPSRLD  $4, Y0, Y1
	VPAND   Y15, Y1, Y1 // high nibbles
	VPAND   Y15, Y0, Y2 // low nibbles
	VPSHUFB Y1, Y14, Y3
	VPSHUFB Y2, Y13, Y4
	VPAND   Y3, Y4, Y3
	VPOR    Y3, Y12, Y12

	VPSHUFB  Y1, Y11, Y4 // the offset for the range
	VPCMPEQB Y10, Y0, Y2
	VPAND    Y9, Y2, Y2  // and 33 more for '_'
	VPADDB   Y4, Y0, Y0
	VPADDB   Y2, Y0, Y0  // 6-bit values

	VPMADDUBSW Y8, Y0, Y0 // 16-bit lanes: a<<6 | b
	VPMADDWD   Y7, Y0, Y0 // 32-bit lanes: a<<18 | b<<12 | c<<6 | d
	VPSHUFB    Y6, Y0, Y0 // three bytes of each lane, in order, 12 per half
	VPERMD     Y0, Y5, Y0 // the two halves' 12 bytes side by side
	VMOVDQU    Y0, (DI)

	ADDQ $32, SI
	ADDQ $24, DI
	DECQ CX
	JNZ  loop

	VPTEST    Y12, Y12
	SETEQ     ret+24(FP)
	VZEROUPPER
	RET
