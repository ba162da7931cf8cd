package strictjson

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestMemberFastPath builds minified documents of the shape the fast path
// of Member is for, with every length of name and value around the word
// sizes it works in, interesting bytes at each position of them, numbers of
// every length and form, and repeated names, and checks each document, and
// damaged copies of it, as FuzzDecode does: Member must agree with
// NextMember, End and encoding/json.
func TestMemberFastPath(t *testing.T) {
	specials := []string{`"`, `\"`, `\\`, `\n`, `\u0041`, "\x01", "\x7f", "é", "\xff", `x`, ` `}
	var names, values, plain []string
	for n := range 19 {
		base := strings.Repeat("n", n)
		names = append(names, `"`+base+`"`)
		values = append(values, `"`+strings.Repeat("v", n)+`"`)
		plain = append(plain, `"`+strings.Repeat("v", n)+`"`)
		for i := 0; i <= n; i += 3 {
			for _, s := range specials {
				names = append(names, `"`+base[:i]+s+base[i:]+`"`)
				values = append(values, `"`+base[:i]+s+base[i:]+`"`)
			}
		}
	}
	for n := 1; n <= 14; n++ {
		d := strings.Repeat("7", n)
		values = append(values, d, "1"+d, "0"+d, d+".5", d+"e3", d+"E-1", "-"+d, d+"x")
	}
	values = append(values, "0", "true", "false", "null", "{}", "[]", `{"a":1}`, `["x",2]`, "tru", "{", "[")
	rng := rand.New(rand.NewPCG(11, 12))
	// Arrays of strings, read with NextString: strings of every shape,
	// sometimes another value among them, sometimes whitespace or damage.
	n := len(values)
	for range 300 {
		elems := make([]string, rng.IntN(5))
		for i := range elems {
			elems[i] = values[rng.IntN(n)]
			if rng.IntN(3) > 0 {
				elems[i] = plain[rng.IntN(len(plain))]
			}
		}
		sep := []string{",", ",", ", ", ",,"}[rng.IntN(4)]
		values = append(values, "["+strings.Join(elems, sep)+"]")
	}
	outcomes := map[error]int{}
	for range 20000 {
		var b strings.Builder
		b.WriteString("{")
		for i := range 1 + rng.IntN(20) {
			if i > 0 {
				b.WriteString(",")
			}
			name := names[rng.IntN(len(names))]
			if rng.IntN(4) == 0 {
				name = `"k` + itoa(rng.IntN(6)) + `"` // short and often repeated
			}
			b.WriteString(name + ":" + values[rng.IntN(len(values))])
		}
		b.WriteString("}")
		doc := []byte(b.String())
		checkDecode(t, doc)
		outcomes[sentinel(validate(doc))]++
		checkDecode(t, mutate(rng, doc))
	}
	for _, want := range []error{nil, ErrSyntax, ErrDuplicate, ErrUTF8} {
		if outcomes[want] < 200 {
			t.Errorf("only %d documents with outcome %v (all: %v)", outcomes[want], want, outcomes)
		}
	}
}

// TestMemberValues checks what Member reports for each kind of value, and
// the type errors of its accessors.
func TestMemberValues(t *testing.T) {
	doc := `{"s":"plain","e":"a\nb","n":1796346968,"f":12.5e1,"big":123456789012345,"t":true,"z":null,` +
		`"o":{"x":1},"a":[1],"last":"padding to leave the fast path room"}`
	var d Decoder
	d.Reset([]byte(doc))
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	var m Member
	next := func(name string, kind Kind) {
		t.Helper()
		more, err := d.Member(&m)
		if err != nil || !more || string(m.Name) != name || m.Kind != kind {
			t.Fatalf("Member = %v, %v, %q %v; want %q %v", more, err, m.Name, m.Kind, name, kind)
		}
	}
	next("s", String)
	if b, err := m.StringBytes(); err != nil || string(b) != "plain" {
		t.Fatalf("StringBytes = %q, %v", b, err)
	}
	if _, err := m.NumericDate(); !errors.Is(err, ErrType) {
		t.Fatalf("NumericDate of a string: %v", err)
	}
	next("e", String)
	if b, err := m.StringBytes(); err != nil || string(b) != "a\nb" {
		t.Fatalf("StringBytes = %q, %v", b, err)
	}
	next("n", Number)
	if v, err := m.NumericDate(); err != nil || v != 1796346968 {
		t.Fatalf("NumericDate = %d, %v", v, err)
	}
	if _, err := m.StringBytes(); !errors.Is(err, ErrType) {
		t.Fatalf("StringBytes of a number: %v", err)
	}
	next("f", Number)
	if v, err := m.NumericDate(); err != nil || v != 125 {
		t.Fatalf("NumericDate = %d, %v", v, err)
	}
	next("big", Number)
	if _, err := m.NumericDate(); !errors.Is(err, ErrRange) {
		t.Fatalf("NumericDate of a 15-digit number: %v", err)
	}
	next("t", Bool)
	if v, err := m.Bool(); err != nil || !v {
		t.Fatalf("Bool = %v, %v", v, err)
	}
	next("z", Null)
	if _, err := m.Bool(); !errors.Is(err, ErrType) {
		t.Fatalf("Bool of null: %v", err)
	}
	next("o", Object) // left unread: skipped and validated by the next call
	next("a", Array)
	if err := d.ArrayStart(); err != nil {
		t.Fatal(err)
	}
	if more, err := d.NextElement(); err != nil || !more {
		t.Fatal(more, err)
	}
	if more, err := d.NextElement(); err != nil || more { // the 1 is skipped, then ']'
		t.Fatal(more, err)
	}
	next("last", String)
	if more, err := d.Member(&m); err != nil || more {
		t.Fatalf("after the last member: %v, %v", more, err)
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
}
