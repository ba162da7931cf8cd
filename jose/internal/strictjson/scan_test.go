package strictjson

import (
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose/internal/cpu"
)

// checkScan compares ScanPlain, on the vector path where the processor has
// it and on the word path, with isPlain and a byte-by-byte search for quotes.
func checkScan(t *testing.T, data []byte) {
	t.Helper()
	wantPlain := isPlain(data) && len(data) <= MaxScan
	for _, vector := range []bool{true, false} {
		var q Quotes
		var got bool
		if vector {
			if !cpu.AVX2 {
				continue
			}
			got = len(data) <= MaxScan && scanPlainVector(data, &q)
		} else {
			got = len(data) <= MaxScan && scanPlainWords(data, &q)
		}
		if got != wantPlain {
			t.Fatalf("ScanPlain(%q) (vector %v) = %v, want %v", data, vector, got, wantPlain)
		}
		if !got {
			continue
		}
		want := -1 // the first quote at or after i, walking i down from the end
		for i := len(data); i >= 0; i-- {
			if i < len(data) && data[i] == '"' {
				want = i
			}
			if n := q.Next(i); n != want {
				t.Fatalf("ScanPlain(%q) (vector %v): Next(%d) = %d, want %d", data, vector, i, n, want)
			}
		}
	}
}

func TestScanPlain(t *testing.T) {
	if !cpu.AVX2 {
		t.Log("this processor has no AVX2: only the word path is checked")
	}
	for _, s := range []string{
		"", `"`, `""`, `{"a":"b"}`, strings.Repeat(`x"`, 70), strings.Repeat("y", 63) + `"`,
		strings.Repeat("y", 64) + `"`, strings.Repeat(`"`, MaxScan), strings.Repeat("z", MaxScan+1),
		strings.Repeat("z", 200) + `\`, strings.Repeat("z", 130) + "\x80",
	} {
		checkScan(t, []byte(s))
	}
	// Every byte value at every position of two vector blocks and a tail,
	// among quotes and plain bytes.
	base := []byte(strings.Repeat(`ab"cd efg"`, 15)[:150])
	for i := range base {
		for c := range 256 {
			b := append([]byte(nil), base...)
			b[i] = byte(c)
			checkScan(t, b)
		}
	}
}

func FuzzScanPlain(f *testing.F) {
	f.Add([]byte(`{"iss":"https://a.example","aud":["x","y"]}`))
	f.Add([]byte(strings.Repeat(`"\`, 40)))
	f.Fuzz(func(t *testing.T, data []byte) { checkScan(t, data) })
}
