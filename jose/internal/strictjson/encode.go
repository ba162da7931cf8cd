package strictjson

import "unicode/utf8"

// AppendString appends s to dst as a JSON string literal, quotes included,
// producing exactly the bytes encoding/json.Marshal produces for a Go
// string. Matching encoding/json byte for byte matters because signatures
// cover the encoded bytes: a header built here must not change if code
// elsewhere re-encodes the same values.
//
// '"' and '\\' are escaped with a backslash; control characters become
// \b \f \n \r \t or \u00XX; '<', '>' and '&' become \u003c, \u003e and
// \u0026 so the output is safe to embed in HTML; U+2028 and U+2029 are
// escaped because JavaScript treats them as line terminators; each byte of
// invalid UTF-8 becomes \ufffd.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0 // s[start:i] is pending, to be copied unchanged
	for i := 0; i < len(s); {
		c := s[i]
		e := encEscape[c]
		if e == 0 {
			i++ // plain ASCII, the fast path
			continue
		}
		if e != encMultiByte {
			dst = append(dst, s[start:i]...)
			dst = appendByteEscape(dst, c, e)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		} else {
			i += size // valid UTF-8 stays in the pending run
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// encMultiByte marks bytes that start (or continue) a multi-byte sequence.
const encMultiByte = 1

// encEscape classifies bytes for AppendString: 0 is copied as is,
// encMultiByte needs UTF-8 decoding, 'u' needs a \u00XX escape, and any
// other value is the letter of a two-byte escape.
var encEscape = func() (t [256]byte) {
	for c := range 0x20 {
		t[c] = 'u'
	}
	t['\b'] = 'b'
	t['\f'] = 'f'
	t['\n'] = 'n'
	t['\r'] = 'r'
	t['\t'] = 't'
	t['"'] = '"'
	t['\\'] = '\\'
	t['<'] = 'u'
	t['>'] = 'u'
	t['&'] = 'u'
	for c := 0x80; c < 0x100; c++ {
		t[c] = encMultiByte
	}
	return t
}()

func appendByteEscape(dst []byte, c, e byte) []byte {
	if e != 'u' {
		return append(dst, '\\', e)
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
