//go:build amd64 && !purego

#include "textflag.h"

DATA scanQuote<>+0x00(SB)/8, $0x2222222222222222
DATA scanQuote<>+0x08(SB)/8, $0x2222222222222222
DATA scanQuote<>+0x10(SB)/8, $0x2222222222222222
DATA scanQuote<>+0x18(SB)/8, $0x2222222222222222
GLOBL scanQuote<>(SB), (NOPTR+RODATA), $32
DATA scanSlash<>+0x00(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA scanSlash<>+0x08(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA scanSlash<>+0x10(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA scanSlash<>+0x18(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL scanSlash<>(SB), (NOPTR+RODATA), $32
DATA scanCtl<>+0x00(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA scanCtl<>+0x08(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA scanCtl<>+0x10(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA scanCtl<>+0x18(SB)/8, $0x1f1f1f1f1f1f1f1f
GLOBL scanCtl<>(SB), (NOPTR+RODATA), $32

// func scanPlainAVX2(data *byte, blocks int, quotes *uint64) bool
//
// For each block of 64 bytes it stores one word of quote bits (bit j for
// byte j), and it reports whether every byte was plain: a signed byte
// greater than 0x1f (0x20 to 0x7f; bytes of 0x80 and above are negative)
// that is not a backslash. blocks > 0.
TEXT ·scanPlainAVX2(SB), NOSPLIT, $0-25
	MOVQ data+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ quotes+16(FP), DI

	VMOVDQU  scanQuote<>(SB), Y13
	VMOVDQU  scanSlash<>(SB), Y14
	VMOVDQU  scanCtl<>(SB), Y15
	VPCMPEQB Y12, Y12, Y12 // every byte plain so far

loop:
	VMOVDQU   (SI), Y0
	VMOVDQU   32(SI), Y1
	VPCMPEQB  Y13, Y0, Y2
	VPCMPEQB  Y13, Y1, Y3
	VPMOVMSKB Y2, AX
	VPMOVMSKB Y3, BX
	SHLQ      $32, BX
	ORQ       BX, AX
	MOVQ      AX, (DI)

	VPCMPGTB Y15, Y0, Y4 // 0x20 to 0x7f
	VPCMPGTB Y15, Y1, Y5
	VPCMPEQB Y14, Y0, Y6 // backslashes
	VPCMPEQB Y14, Y1, Y7
	VPANDN   Y4, Y6, Y4
	VPANDN   Y5, Y7, Y5
	VPAND    Y4, Y12, Y12
	VPAND    Y5, Y12, Y12

	ADDQ $64, SI
	ADDQ $8, DI
	DECQ CX
	JNZ  loop

	VPMOVMSKB Y12, AX
	CMPL      AX, $-1
	SETEQ     ret+24(FP)
	VZEROUPPER
	RET
