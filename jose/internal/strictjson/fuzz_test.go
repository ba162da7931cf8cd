package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// fuzzSeeds are interesting documents: valid ones in many shapes and
// near-misses for every rule.
var fuzzSeeds = []string{
	`{}`,
	`{"a":1}`,
	claimsPayload,
	`{"a":[1,2,{"b":null}],"c":{"d":true,"e":false},"f":"\u00e9\n\ud83d\ude00"}`,
	`{"a":1,"a":2}`,
	`{"a":1,"\u0061":2}`,
	`{"x":{"y":1,"y":2}}`,
	`{"a":"\ud800"}`,
	`{"a":"\udc00\ud800"}`,
	"{\"a\":\"\xff\"}",
	"{\"a\":\"\xed\xa0\x80\"}",
	`{"a":01}`,
	`{"a":-}`,
	`{"a":1.}`,
	`{"a":.5}`,
	`{"a":+1}`,
	`{"a":1e+}`,
	`{"a":-0.0e-0}`,
	`{"a":[1,]}`,
	`{"a":1,}`,
	`{"a":1 "b":2}`,
	`{} x`,
	"\xef\xbb\xbf{}",
	`[]`,
	`"a"`,
	`{"a":NaN}`,
	`{'a':1}`,
	nest(31),
	nest(32),
	manyMembers(20, true),
	`{"a":` + manyMembers(17, false) + `,"b":[` + manyMembers(3, false) + `]}`,
	" {\t\"a\"\r:\n[ ] } ",
	`{"a":"\"\\\/\b\f\n\r\t"}`,
	"{\"a\":\"\t\"}",
}

// FuzzDecode checks the decoder against encoding/json. Whatever the strict
// decoder accepts, encoding/json must accept and decode to the same values;
// whatever encoding/json rejects, the strict decoder must reject. The
// strict decoder may refuse more, but only for its own reasons: duplicate
// names, invalid UTF-8, depth, or a top level that does not start with
// '{' (ErrType, decided by that first byte alone). A
// syntax error from the strict decoder must be a syntax error for
// encoding/json too.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	// Generated documents give the fuzzer deeper starting points.
	rng := rand.New(rand.NewPCG(5, 6))
	for range 30 {
		var b strings.Builder
		genObject(rng, &b, 0)
		f.Add([]byte(b.String()))
	}
	f.Fuzz(checkDecode)
}

// checkDecode holds the properties FuzzDecode checks for one input.
func checkDecode(t *testing.T, data []byte) {
	orig := bytes.Clone(data)
	got, err := walk(data)
	verr := validate(data)
	if !bytes.Equal(data, orig) {
		t.Fatal("decoder modified its input")
	}
	// Reading value by value, reading member by member and validating
	// with End alone must agree on acceptance and on the kind of refusal,
	// and both readings on the values.
	if (err == nil) != (verr == nil) || sentinel(err) != sentinel(verr) {
		t.Fatalf("walk err = %v, End err = %v", err, verr)
	}
	gotM, merr := walkMembers(data)
	if (err == nil) != (merr == nil) || sentinel(err) != sentinel(merr) {
		t.Fatalf("walk err = %v, walkMembers err = %v", err, merr)
	}
	if err == nil && !reflect.DeepEqual(got, gotM) {
		t.Fatalf("walk and walkMembers differ for %q\nwalk: %#v\nwalkMembers: %#v", data, got, gotM)
	}
	stdValid := json.Valid(data)
	if err == nil {
		if !stdValid {
			t.Fatalf("strict decoder accepts what encoding/json rejects: %q", data)
		}
		want, stdErr := stdDecode(data)
		if stdErr != nil {
			t.Fatalf("encoding/json: %v", stdErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("values differ for %q\nstrict: %#v\nencoding/json: %#v", data, got, want)
		}
		checkSkipRaw(t, data)
		return
	}
	if s := sentinel(err); s == nil {
		t.Fatalf("error without sentinel: %v", err)
	}
	if errors.Is(err, ErrSyntax) && stdValid {
		t.Fatalf("strict decoder reports a syntax error for valid JSON %q: %v", data, err)
	}
	// ErrType is decided by the first byte of the top-level value,
	// which must be a byte that starts some value other than an
	// object; the rest of such a document is not examined.
	if errors.Is(err, ErrType) {
		trimmed := bytes.TrimLeft(data, " \t\r\n")
		if len(trimmed) == 0 || trimmed[0] == '{' || kindOf[trimmed[0]] == Invalid {
			t.Fatalf("ErrType for %q: %v", data, err)
		}
	}
}

// sentinel returns the sentinel error err wraps.
func sentinel(err error) error {
	for _, s := range []error{ErrSyntax, ErrDuplicate, ErrUTF8, ErrDepth, ErrType, ErrRange} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

// checkSkipRaw checks that Skip of the whole accepted document returns
// exactly the document without surrounding whitespace.
func checkSkipRaw(t *testing.T, data []byte) {
	t.Helper()
	var d Decoder
	d.Reset(data)
	raw, err := d.Skip()
	if err != nil {
		t.Fatalf("Skip: %v", err)
	}
	if want := bytes.Trim(data, " \t\r\n"); !bytes.Equal(raw, want) {
		t.Fatalf("Skip = %q, want %q", raw, want)
	}
	if err := d.End(); err != nil {
		t.Fatalf("End after Skip: %v", err)
	}
}

// TestDecodeRandomDocs complements the fuzzer, which rarely builds deep
// well-formed documents by itself: it generates random JSON objects from
// pieces chosen to hit every rule (a small pool of names so duplicates are
// common, escapes, surrogates, invalid UTF-8, odd numbers, whitespace),
// then also damages some of them byte by byte, and checks each with the
// same properties as FuzzDecode.
func TestDecodeRandomDocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	outcomes := map[error]int{}
	for range n {
		var b strings.Builder
		genObject(rng, &b, 0)
		doc := []byte(b.String())
		checkDecode(t, doc)
		outcomes[sentinel(validate(doc))]++
		for range 3 {
			checkDecode(t, mutate(rng, doc))
		}
	}
	// The generator is only useful if it produces both accepted
	// documents and every kind of strict refusal.
	for _, want := range []error{nil, ErrSyntax, ErrDuplicate, ErrUTF8, ErrDepth} {
		if outcomes[want] < n/100 {
			t.Errorf("generator produced only %d documents with outcome %v (all: %v)", outcomes[want], want, outcomes)
		}
	}
	t.Logf("outcomes: %v", outcomes)
}

// Pools of pieces for generated documents. The bad pools hold pieces that
// make a document invalid; they are drawn rarely, so that most generated
// documents are valid or fail in just one place.
var (
	genNames   = []string{`a`, `b`, `\u0061`, `iss`, `aud`, `\/`, `/`, `x\ny`, `x\u000ay`, `😀`, `\ud83d\ude00`, ``, `client_identifier`, `client_identifieR`, `k1`, `k2`, `k3`, `k4`, `k5`}
	genStrs    = []string{``, `abc`, `\"`, `\\`, `\b\f\n\r\t`, `\u00e9`, `é`, `\ud83d\ude00`, "\x7f", strings.Repeat("long", 5), "\uFFFD"}
	genBadStrs = []string{`\ud800`, `\udc00`, "\xff", "\xc3", "\x1f", `\x`, `\u12`}
	genNums    = []string{`0`, `-0`, `1`, `-1`, `12.5`, `1e5`, `1E-5`, `0.0e+0`, `253402300799`, `123456789012345678901234567890`}
	genBadNums = []string{`01`, `1.`, `.5`, `-`, `1e`, `+1`, `NaN`}
	genWS      = []string{``, ``, ``, ` `, "\n", "\t", "\r"}
	genBadWS   = []string{"\f", "\v", "\u00a0", "\xef\xbb\xbf"}
	genLits    = []string{"true", "false", "null"}
	genBadLits = []string{"nul", "True", "fals"}
)

// pick draws from good, or once in about ratio draws from bad.
func pick(rng *rand.Rand, good, bad []string, ratio int) string {
	if bad != nil && rng.IntN(ratio) == 0 {
		return bad[rng.IntN(len(bad))]
	}
	return good[rng.IntN(len(good))]
}

func ws(rng *rand.Rand) string { return pick(rng, genWS, genBadWS, 400) }

func genObject(rng *rand.Rand, b *strings.Builder, depth int) {
	b.WriteString(ws(rng) + "{")
	for i := range rng.IntN(6) {
		if i > 0 {
			b.WriteString(ws(rng) + ",")
		}
		b.WriteString(ws(rng) + `"` + pick(rng, genNames, nil, 1) + `"` + ws(rng) + ":")
		genValue(rng, b, depth+1)
	}
	b.WriteString(ws(rng) + "}" + ws(rng))
}

func genValue(rng *rand.Rand, b *strings.Builder, depth int) {
	b.WriteString(ws(rng))
	k := rng.IntN(8)
	if depth > 34 {
		k = 2 // make deep nesting end
	}
	switch k {
	case 0:
		genObject(rng, b, depth)
	case 1:
		b.WriteString("[")
		for i := range rng.IntN(4) {
			if i > 0 {
				b.WriteString(",")
			}
			genValue(rng, b, depth+1)
		}
		b.WriteString(ws(rng) + "]")
	case 2, 3:
		b.WriteString(`"` + pick(rng, genStrs, genBadStrs, 25) + `"`)
	case 4, 5:
		b.WriteString(pick(rng, genNums, genBadNums, 60))
	case 6:
		b.WriteString(pick(rng, genLits, genBadLits, 60))
	case 7:
		// Deep chains, around MaxDepth.
		n := rng.IntN(40)
		b.WriteString(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
}

// mutate returns a copy of doc with one random byte inserted, deleted or
// replaced by a byte that matters to JSON.
func mutate(rng *rand.Rand, doc []byte) []byte {
	out := bytes.Clone(doc)
	if len(out) == 0 {
		return out
	}
	i := rng.IntN(len(out))
	special := []byte(`{}[],:"\\0-.eE+ tfn` + "\x00\x80\xff")
	c := special[rng.IntN(len(special))]
	switch rng.IntN(3) {
	case 0:
		return append(out[:i], out[i+1:]...)
	case 1:
		return append(out[:i], append([]byte{c}, out[i:]...)...)
	default:
		out[i] = c
		return out
	}
}
