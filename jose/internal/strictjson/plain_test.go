package strictjson

import (
	"strings"
	"testing"
)

// isPlain is the byte-by-byte definition ScanPlain is checked against.
func isPlain(data []byte) bool {
	for _, c := range data {
		if c < 0x20 || c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

func TestScanPlainVerdict(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", true},
		{`{"a":"b c"}`, true},
		{strings.Repeat("x", 40) + "~", true},
		{strings.Repeat("x", 40) + "\x7f", true}, // DEL is not a control byte for JSON
		{`a\b`, false},
		{strings.Repeat("x", 17) + `\`, false},
		{"tab\there", false},
		{strings.Repeat("x", 33) + "\x1f", false},
		{strings.Repeat("x", 8) + "\x00", false},
		{"caf\xc3\xa9", false},
		{strings.Repeat("x", 23) + "\x80", false},
		{strings.Repeat("x", 5) + "\xff" + strings.Repeat("x", 30), false},
	} {
		var q Quotes
		if got := ScanPlain([]byte(tc.in), &q); got != tc.want {
			t.Errorf("ScanPlain(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestUint(t *testing.T) {
	for _, tc := range []struct {
		in  string
		end int
		v   int64
		ok  bool
	}{
		{"0,", 1, 0, true},
		{"7}", 1, 7, true},
		{"1700000000,", 10, 1700000000, true},
		{"253402300799]", 12, 253402300799, true},
		{"1234567890123,", 13, -1, true}, // more digits than a NumericDate: no value
		{"12345678901234567890123}", 23, -1, true},
		{"12345678,", 8, 12345678, true},
		{"01,", 2, 0, false},
		{"00,", 2, 0, false},
		{"1.5,", 1, 0, false},
		{"1e3,", 1, 0, false},
		{"1E3,", 1, 0, false},
		{"-1,", 0, 0, false},
		{"x", 0, 0, false},
		{"123", 3, 0, false}, // the end of the input: the Decoder reports it
		{"", 0, 0, false},
	} {
		end, v, ok := Uint([]byte(tc.in), 0)
		if ok != tc.ok || (ok && (end != tc.end || v != tc.v)) {
			t.Errorf("Uint(%q) = %d, %d, %v; want %d, %d, %v", tc.in, end, v, ok, tc.end, tc.v, tc.ok)
		}
	}
}
