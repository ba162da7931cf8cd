package strictjson

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

func stdString(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAppendString(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", `""`},
		{"ascii", "hello world", `"hello world"`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"short escapes", "\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"other controls", "\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"html", "<a>&", `"\u003ca\u003e\u0026"`},
		{"del is not escaped", "\x7f", "\"\x7f\""},
		{"slash is not escaped", "a/b", `"a/b"`},
		{"unicode kept", "é漢😀", `"é漢😀"`},
		{"line separators", "\u2028\u2029", `"\u2028\u2029"`},
		{"invalid byte", "a\xffb", `"a\ufffdb"`},
		{"truncated sequence", "\xe2\x82", `"\ufffd\ufffd"`},
		{"encoded surrogate", "\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`},
		{"genuine U+FFFD kept", "\uFFFD", "\"\uFFFD\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(AppendString(nil, tc.in))
			if got != tc.want {
				t.Errorf("AppendString(%q) = %s, want %s", tc.in, got, tc.want)
			}
			if std := stdString(t, tc.in); got != std {
				t.Errorf("AppendString(%q) = %s, encoding/json = %s", tc.in, got, std)
			}
		})
	}
}

func TestAppendStringAppends(t *testing.T) {
	got := string(AppendString([]byte("x:"), "y"))
	if got != `x:"y"` {
		t.Fatalf("got %s", got)
	}
}

// Property test: random strings drawn from an alphabet rich in the bytes
// that matter (controls, quotes, HTML characters, pieces of multi-byte
// sequences, separators, invalid bytes) must encode exactly as
// encoding/json does, and what is encoded must decode back.
func TestAppendStringRandom(t *testing.T) {
	pieces := []string{
		"a", "Z", " ", "\"", "\\", "/", "<", ">", "&", "\x00", "\x1f", "\n", "\t", "\x7f",
		"é", "漢", "😀", "\u2028", "\u2029", "\uFFFD", "\x80", "\xbf", "\xc0", "\xc3", "\xe2\x82",
		"\xed\xa0\x80", "\xf0\x9f", "\xf4\x90\x80\x80", "\xff", "abcdefgh",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var s []byte
		for range rng.IntN(12) {
			s = append(s, pieces[rng.IntN(len(pieces))]...)
		}
		// Occasionally fully random bytes.
		if rng.IntN(4) == 0 {
			for range rng.IntN(8) {
				s = append(s, byte(rng.IntN(256)))
			}
		}
		checkAppendString(t, string(s))
	}
}

func checkAppendString(t *testing.T, s string) {
	t.Helper()
	got := AppendString(nil, s)
	if std := stdString(t, s); string(got) != std {
		t.Fatalf("AppendString(%q) = %s, encoding/json = %s", s, got, std)
	}
	// The output must be accepted by the strict decoder, and decode to
	// s with invalid UTF-8 replaced.
	doc := append(append([]byte(`{"k":`), got...), '}')
	v, err := walk(doc)
	if err != nil {
		t.Fatalf("strict decoder rejects AppendString(%q) = %s: %v", s, got, err)
	}
	var want string
	if err := json.Unmarshal(got, &want); err != nil {
		t.Fatal(err)
	}
	if v.(map[string]any)["k"] != want {
		t.Fatalf("round trip of %q: got %q, want %q", s, v.(map[string]any)["k"], want)
	}
}

func TestAppendStringNoAlloc(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendString(buf[:0], "plain ascii text with <html> & \"quotes\" and é")
	})
	if allocs != 0 {
		t.Errorf("allocs = %v, want 0 with enough capacity", allocs)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "abc", "\x00\"\\<>&", "\u2028\u2029", "\xff\xfe", "é😀", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAppendString(t, s)
	})
}
