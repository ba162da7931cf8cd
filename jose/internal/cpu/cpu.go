// Package cpu reports the processor features the JOSE core's vector code
// needs. It exists because the standard library's own detection
// (internal/cpu) cannot be imported, and golang.org/x/sys/cpu would be a
// dependency of the core.
package cpu

// AVX2 is whether the processor has AVX2 and the operating system saves the
// 256-bit registers it uses. It is false on every platform but amd64, and
// with the purego build tag.
var AVX2 = hasAVX2()
