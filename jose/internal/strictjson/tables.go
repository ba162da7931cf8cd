package strictjson

// Lookup tables replace chains of comparisons in the hot loops: one indexed
// load per byte, and indexing a [256] array with a byte needs no bounds
// check.

// strPlain marks the bytes that may appear in a string and need no further
// attention: printable ASCII other than '"' and '\\'. Everything else ends
// the fast scanning loop (end of string, escape, control character, or the
// start of a multi-byte UTF-8 sequence that must be validated).
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// kindOf maps the first byte of a value to its kind; Invalid marks bytes
// that cannot start any JSON value.
var kindOf = func() (t [256]Kind) {
	t['"'] = String
	t['-'] = Number
	for c := '0'; c <= '9'; c++ {
		t[c] = Number
	}
	t['{'] = Object
	t['['] = Array
	t['t'] = Bool
	t['f'] = Bool
	t['n'] = Null
	return t
}()

// hexVal holds the value of a hexadecimal digit, or 0xff for other bytes.
var hexVal = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = uint8(c - 'a' + 10)
		t[c-'a'+'A'] = uint8(c - 'a' + 10)
	}
	return t
}()

// unescapeByte maps the byte after a backslash to the byte it stands for;
// zero marks an invalid escape ('u' is handled separately).
var unescapeByte = func() (t [256]byte) {
	t['"'] = '"'
	t['\\'] = '\\'
	t['/'] = '/'
	t['b'] = '\b'
	t['f'] = '\f'
	t['n'] = '\n'
	t['r'] = '\r'
	t['t'] = '\t'
	return t
}()

// isSpace reports JSON whitespace (RFC 8259 "ws"). Only four bytes qualify;
// in particular a byte order mark, vertical tab and form feed do not.
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t'
}

// skipSpace returns the index of the first non-whitespace byte at or after i.
func skipSpace(data []byte, i int) int {
	for i < len(data) && data[i] <= ' ' && isSpace(data[i]) {
		i++
	}
	return i
}
