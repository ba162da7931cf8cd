package strictjson

import (
	"strings"
	"testing"
)

func TestPlain(t *testing.T) {
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
		if got := Plain([]byte(tc.in)); got != tc.want {
			t.Errorf("Plain(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	// Every byte value at every position of the word loops and the tail.
	for i := range 40 {
		for c := range 256 {
			b := []byte(strings.Repeat("x", 40))
			b[i] = byte(c)
			want := c >= 0x20 && c < 0x80 && c != '\\'
			if got := Plain(b); got != want {
				t.Fatalf("Plain with byte %#x at %d = %v, want %v", c, i, got, want)
			}
		}
	}
}

func TestIndexQuote(t *testing.T) {
	for _, tc := range []struct {
		in   string
		from int
		want int
	}{
		{``, 0, -1},
		{`"`, 0, 0},
		{`abc`, 0, -1},
		{`a"b"`, 2, 3},
		{strings.Repeat("x", 15) + `"`, 0, 15},
		{strings.Repeat("x", 16) + `"`, 3, 16},
		{`""` + strings.Repeat("x", 20), 1, 1},
		{strings.Repeat("x", 30), 2, -1},
		{"\x22\xa2\x22", 1, 2}, // 0xa2 is not a quote, whatever its low bits
	} {
		if got := IndexQuote([]byte(tc.in), tc.from); got != tc.want {
			t.Errorf("IndexQuote(%q, %d) = %d, want %d", tc.in, tc.from, got, tc.want)
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
