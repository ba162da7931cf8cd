package strictjson

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// StringBytes consumes a string value and returns its content with escapes
// resolved. Without escapes the result is a subslice of the input (no
// allocation); with escapes it is a newly allocated slice. The decoder never
// writes to the returned bytes afterwards, so the caller may turn them into
// a string with unsafe.String for as long as the input is kept unchanged.
// The capacity of the result is limited to its length, so appending to it
// cannot overwrite the input.
func (d *Decoder) StringBytes() ([]byte, error) {
	if pos := d.pos; !d.pending || uint(pos) >= uint(len(d.data)) || d.data[pos] != '"' || d.depth == 0 {
		// Not a string right at d.pos: whitespace, misuse or error.
		if err := d.expect(String); err != nil {
			return nil, err
		}
	}
	start := d.pos + 1
	end, escaped, code := scanString(d.data, start)
	if code != codeOK {
		return nil, d.fail(code, end)
	}
	d.pos = end + 1
	d.pending = false
	if !escaped {
		return d.data[start:end:end], nil
	}
	// The unescaped form is never longer than the escaped one.
	return appendUnescaped(make([]byte, 0, end-start), d.data[start:end]), nil
}

// scanString validates the string whose content starts at data[i] (just
// after the opening quote). It returns the index of the closing quote and
// whether any escape occurred. On failure it returns the offending offset
// and a non-zero code.
//
// This is the fast path for the common case, printable ASCII up to the
// closing quote: eight bytes per step, with the first byte needing
// attention located from the mask rather than by a byte loop. Everything
// else (escapes, multi-byte UTF-8, errors) continues in scanStringSlow, so
// this function stays small and keeps everything in registers.
func scanString(data []byte, i int) (end int, escaped bool, code errCode) {
	for ; i <= len(data)-8; i += 8 {
		if m := specialMask(binary.LittleEndian.Uint64(data[i : i+8])); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			if data[i] == '"' {
				return i, false, codeOK
			}
			return scanStringSlow(data, i)
		}
	}
	// Fewer than eight bytes remain in the input: use the table.
	for i < len(data) && strPlain[data[i]] {
		i++
	}
	if i < len(data) && data[i] == '"' {
		return i, false, codeOK
	}
	return scanStringSlow(data, i)
}

// scanStringSlow continues scanString at data[i], a byte that is not plain
// ASCII (or the end of the input).
func scanStringSlow(data []byte, i int) (end int, escaped bool, code errCode) {
	for {
		for i < len(data) && strPlain[data[i]] {
			i++
		}
		if i >= len(data) {
			return i, escaped, codeEOF
		}
		switch c := data[i]; {
		case c == '"':
			return i, escaped, codeOK
		case c == '\\':
			escaped = true
			n, code := checkEscape(data, i)
			if code != codeOK {
				return i, escaped, code
			}
			i += n
		case c < 0x20:
			return i, escaped, codeControl
		default:
			// A byte >= 0x80 starts a multi-byte sequence. DecodeRune
			// rejects overlong forms, surrogates and values above
			// U+10FFFF, reporting them as (RuneError, 1); a genuine
			// U+FFFD is three bytes long.
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return i, escaped, codeUTF8
			}
			i += size
		}
	}
}

// checkEscape validates the escape sequence starting with the backslash at
// data[i] and returns its length in bytes. A \u escape for a high surrogate
// must be followed directly by a \u escape for a low surrogate: the pair
// encodes one code point, and any other use of surrogates cannot be turned
// into valid UTF-8.
func checkEscape(data []byte, i int) (int, errCode) {
	if i+1 >= len(data) {
		return 0, codeEOF
	}
	if data[i+1] != 'u' {
		if unescapeByte[data[i+1]] == 0 {
			return 0, codeEscape
		}
		return 2, codeOK
	}
	r, code := hex4(data, i+2)
	if code != codeOK {
		return 0, code
	}
	switch {
	case r < 0xd800 || r > 0xdfff:
		return 6, codeOK
	case r >= 0xdc00:
		return 0, codeSurrogate // low surrogate without a high one
	}
	switch j := i + 6; {
	case j >= len(data):
		return 0, codeEOF
	case data[j] != '\\':
		return 0, codeSurrogate
	case j+1 >= len(data):
		return 0, codeEOF
	case data[j+1] != 'u':
		return 0, codeSurrogate
	}
	r2, code := hex4(data, i+8)
	if code != codeOK {
		return 0, code
	}
	if r2 < 0xdc00 || r2 > 0xdfff {
		return 0, codeSurrogate
	}
	return 12, codeOK
}

// hex4 decodes the four hexadecimal digits at data[i:].
func hex4(data []byte, i int) (rune, errCode) {
	if i+4 > len(data) {
		// Report a syntax error rather than end of input when a
		// non-hex byte shows up before the end.
		for ; i < len(data); i++ {
			if hexVal[data[i]] == 0xff {
				return 0, codeEscape
			}
		}
		return 0, codeEOF
	}
	a, b, c, e := hexVal[data[i]], hexVal[data[i+1]], hexVal[data[i+2]], hexVal[data[i+3]]
	if (a|b|c|e)&0xf0 != 0 { // valid digits are below 16, 0xff marks the rest
		return 0, codeEscape
	}
	return rune(a)<<12 | rune(b)<<8 | rune(c)<<4 | rune(e), codeOK
}

// appendUnescaped appends the content of a string already validated by
// scanString to dst, resolving escapes.
func appendUnescaped(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		j := i
		for j < len(src) && src[j] != '\\' {
			j++
		}
		dst = append(dst, src[i:j]...)
		if j == len(src) {
			break
		}
		if src[j+1] != 'u' {
			dst = append(dst, unescapeByte[src[j+1]])
			i = j + 2
			continue
		}
		r, _ := hex4(src, j+2)
		i = j + 6
		if r >= 0xd800 && r < 0xdc00 {
			lo, _ := hex4(src, j+8)
			r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
			i = j + 12
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// Word-at-a-time constants: each byte of ones is 0x01, of highs is 0x80.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// specialMask returns a word whose byte k has its high bit set if byte k of
// x (in little-endian order) is not plain (see strPlain); the lowest set
// bit therefore marks the first byte needing attention. It uses the
// classic zero-byte test, (v - ones) &^ v & highs, applied to x^'"' and
// x^'\\' to find quotes and backslashes; x - 0x20*ones sets the high bit of
// bytes below 0x20; x itself has the high bit set for bytes of 0x80 and
// above. The subtractions can borrow, which may flag a byte that is plain,
// but a borrow only starts at a byte that is itself flagged and only
// propagates upwards, so the lowest flag is always exact.
func specialMask(x uint64) uint64 {
	q := x ^ ('"' * ones)
	b := x ^ ('\\' * ones)
	return ((q-ones)&^q | (b-ones)&^b | (x - 0x20*ones) | x) & highs
}
