package strictjson

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// validDocs are accepted by the decoder and must decode to what
// encoding/json produces.
var validDocs = []struct{ name, doc string }{
	{"empty", `{}`},
	{"empty with space", " \t\r\n{ \t\r\n} \t\r\n"},
	{"string", `{"a":"b"}`},
	{"empty name and value", `{"":""}`},
	{"numbers", `{"a":0,"b":-0,"c":1.5,"d":-1e10,"e":1E+2,"f":2e-3,"g":0.0,"h":123456789012345678901234567890}`},
	{"literals", `{"t":true,"f":false,"n":null}`},
	{"nested", `{"a":{"b":{"c":[1,[2,[3,{}]],[]]}}}`},
	{"same name in sibling objects", `{"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]}`},
	{"same name at different depths", `{"x":{"x":{"x":1}}}`},
	{"escapes", `{"e":"\"\\\/\b\f\n\r\t\u0000\u001f\u00e9\u20ac\ud83d\ude00"}`},
	{"escaped names", `{"\u0061":1,"b\n":2,"\"":3}`},
	{"utf8", `{"ключ":"значение","emoji":"😀","cjk":"漢字","fffd":"` + "\uFFFD" + `"}`},
	{"max code points", `{"a":"` + "\U0010FFFF\u07FF\u0800\uFFFF" + `","b":"\udbff\udfff"}`},
	{"whitespace everywhere", "{ \"a\" : [ 1 , 2 ] , \"b\" : { } }"},
	{"del and high ascii controls", "{\"a\":\"\x7f\"}"},
	{"many members", manyMembers(40, false)},
	{"nested large objects", `{"a":` + manyMembers(20, false) + `,"b":` + manyMembers(20, false) + `}`},
	{"depth 32", nest(31)},
	{"name of closed nested object reused by parent", `{"a":{"x":1,"y":{"z":1}},"x":2,"y":3,"z":4}`},
	{"names sharing prefixes", `{"client_id_a":1,"client_id_b":2,"client_id":3,"a\u0000":4,"a":5,"a\u0000\u0000":6,"":7}`},
	{"names spill beyond inline storage", `{` + members("t", 15) + `,"z":{` + members("t", 15) + `,"y":{` + members("t", 10) + `}}}`},
	{"filter mode then map mode nested", `{` + members("t", 10) + `,"z":{` + members("t", 30) + `},"w":[{` + members("t", 16) + `}]}`},
	{"long string", `{"s":"` + strings.Repeat("abcdefgh", 100) + `"}`},
	{"jwt payload", claimsPayload},
}

// manyMembers builds an object with n members named m0, m1, ... or, with
// escaped set, with the first letter written as \u006d.
func manyMembers(n int, escaped bool) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if escaped {
			b.WriteString(`"\u006d`)
		} else {
			b.WriteString(`"m`)
		}
		b.WriteString(strings.Repeat("x", i%3))
		b.WriteString(itoa(i))
		b.WriteString(`":`)
		b.WriteString(itoa(i))
	}
	b.WriteByte('}')
	return b.String()
}

// members returns n members named prefix0, prefix1, ... without braces.
func members(prefix string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = `"` + prefix + itoa(i) + `":` + itoa(i)
	}
	return strings.Join(parts, ",")
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// nest wraps an empty array in n arrays inside the top-level object, for a
// total depth of n+2 ... minus the innermost empty array counted once:
// nest(n) has depth n+1.
func nest(n int) string {
	return `{"a":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
}

func TestValidMatchesEncodingJSON(t *testing.T) {
	for _, tc := range validDocs {
		t.Run(tc.name, func(t *testing.T) {
			want, err := stdDecode([]byte(tc.doc))
			if err != nil {
				t.Fatalf("encoding/json rejects test document: %v", err)
			}
			got, err := walk([]byte(tc.doc))
			if err != nil {
				t.Fatalf("walk: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("walk = %#v\nencoding/json = %#v", got, want)
			}
			if err := validate([]byte(tc.doc)); err != nil {
				t.Fatalf("End-only validation: %v", err)
			}
		})
	}
}

// invalidDocs must be refused with the given sentinel, both when walked
// value by value and when validated by End alone.
var invalidDocs = []struct {
	name string
	doc  string
	want error
}{
	// Duplicates.
	{"duplicate top-level", `{"a":1,"a":2}`, ErrDuplicate},
	{"duplicate top-level not adjacent", `{"a":1,"b":2,"c":3,"a":4}`, ErrDuplicate},
	{"duplicate empty name", `{"":1,"":2}`, ErrDuplicate},
	{"duplicate nested", `{"a":{"b":1,"b":2}}`, ErrDuplicate},
	{"duplicate in array element", `{"a":[{"x":1},{"x":1,"x":2}]}`, ErrDuplicate},
	{"duplicate deep", `{"a":[[{"b":{"c":1,"d":2,"c":3}}]]}`, ErrDuplicate},
	{"duplicate escaped equal", `{"a":1,"\u0061":2}`, ErrDuplicate},
	{"duplicate both escaped", `{"\u0061":1,"\u0061":2}`, ErrDuplicate},
	{"duplicate escaped first", `{"\u0061b":1,"ab":2}`, ErrDuplicate},
	{"duplicate escape solidus", `{"/":1,"\/":2}`, ErrDuplicate},
	{"duplicate surrogate pair", `{"😀":1,"\ud83d\ude00":2}`, ErrDuplicate},
	{"duplicate after outer closes inner", `{"a":{"a":1},"a":2}`, ErrDuplicate},
	{"duplicate in large object", manyMembers(40, false)[:len(manyMembers(40, false))-1] + `,"mxx5":1}`, ErrDuplicate},
	{"duplicate escaped in large object", manyMembers(40, true)[:len(manyMembers(40, true))-1] + `,"mx31":1}`, ErrDuplicate},
	{"duplicate in large nested object", `{"a":` + manyMembers(30, false)[:len(manyMembers(30, false))-1] + `,"mxx29":1}}`, ErrDuplicate},
	{"duplicate in spilled names", `{` + members("t", 15) + `,"z":{` + members("t", 15) + `,"t3":1}}`, ErrDuplicate},
	{"duplicate of top-level after spilled nested", `{` + members("t", 15) + `,"z":{` + members("t", 15) + `},"t14":1}`, ErrDuplicate},
	{"duplicate of top-level after map nested", `{` + members("t", 10) + `,"z":{` + members("t", 30) + `},"t0":1}`, ErrDuplicate},
	{"duplicate in map nested in spilled", `{` + members("t", 20) + `,"z":{` + members("u", 20) + `,"u19":1}}`, ErrDuplicate},
	{"duplicate at exactly the threshold", `{` + members("t", mapThreshold) + `,"t0":1}`, ErrDuplicate},
	{"duplicate one before the threshold", `{` + members("t", mapThreshold-1) + `,"t0":1}`, ErrDuplicate},
	{"duplicate long names sharing a prefix", `{"client_id_a":1,"client_id_b":2,"client_id_a":3}`, ErrDuplicate},
	{"duplicate beyond inline names", `{"a":` + manyMembers(14, false) + `,"b":{"c":` + manyMembers(14, false) + `,"d":{"x":1,"y":2,"z":3,"x":4}}}`, ErrDuplicate},

	// UTF-8.
	{"invalid byte", "{\"a\":\"\xff\"}", ErrUTF8},
	{"invalid byte in name", "{\"\xff\":1}", ErrUTF8},
	{"truncated sequence", "{\"a\":\"\xe2\x82\"}", ErrUTF8},
	{"overlong encoding", "{\"a\":\"\xc0\xaf\"}", ErrUTF8},
	{"encoded surrogate", "{\"a\":\"\xed\xa0\x80\"}", ErrUTF8},
	{"above max code point", "{\"a\":\"\xf4\x90\x80\x80\"}", ErrUTF8},
	{"lone continuation", "{\"a\":\"\x80\"}", ErrUTF8},
	{"lone high surrogate", `{"a":"\ud800"}`, ErrUTF8},
	{"lone high surrogate then text", `{"a":"\ud800abcdef"}`, ErrUTF8},
	{"lone low surrogate", `{"a":"\udc00"}`, ErrUTF8},
	{"high then high", `{"a":"\ud800\ud800"}`, ErrUTF8},
	{"high then other escape", `{"a":"\ud800\n"}`, ErrUTF8},
	{"high then bmp escape", `{"a":"\ud800\u0041"}`, ErrUTF8},
	{"reversed pair", `{"a":"\udc00\ud800"}`, ErrUTF8},
	{"two low surrogates", `{"a":"\udc00\udc00"}`, ErrUTF8},
	{"two high surrogates then low", `{"a":"\ud800\ud800\udc00"}`, ErrUTF8},
	{"lone surrogate in name", `{"\udfff":1}`, ErrUTF8},

	// Strings.
	{"raw newline", "{\"a\":\"x\ny\"}", ErrSyntax},
	{"raw tab", "{\"a\":\"\t\"}", ErrSyntax},
	{"raw nul", "{\"a\":\"\x00\"}", ErrSyntax},
	{"raw 0x1f in name", "{\"\x1f\":1}", ErrSyntax},
	{"control char where a quote would make it valid", "{\"k\":\"aaaaaaaa\x1f,\"b\":\"c\"}", ErrSyntax},
	{"short control char where a quote would make it valid", "{\"k\":\"a\x1f,\"b\":\"c\"}", ErrSyntax},
	{"bad escape letter", `{"a":"\x41"}`, ErrSyntax},
	{"escaped single quote", `{"a":"\'"}`, ErrSyntax},
	{"short unicode escape", `{"a":"\u12"}`, ErrSyntax},
	{"bad hex", `{"a":"\u12g4"}`, ErrSyntax},
	{"bad hex first", `{"a":"\ug123"}`, ErrSyntax},
	{"bad hex last", `{"a":"\u123g"}`, ErrSyntax},
	{"bad hex in low surrogate", `{"a":"\ud83d\ude0x"}`, ErrSyntax},
	{"uppercase U", `{"a":"\U0041"}`, ErrSyntax},
	{"unterminated string", `{"a":"abc`, ErrSyntax},
	{"unterminated escape", `{"a":"\`, ErrSyntax},
	{"unterminated after high surrogate", `{"a":"\ud800`, ErrSyntax},
	{"single quotes", `{'a':1}`, ErrSyntax},
	{"single quoted value", `{"a":'b'}`, ErrSyntax},
	{"unquoted name", `{a:1}`, ErrSyntax},
	{"number as name", `{1:1}`, ErrSyntax},

	// Numbers.
	{"leading zero", `{"a":01}`, ErrSyntax},
	{"negative leading zero", `{"a":-01}`, ErrSyntax},
	{"lone minus", `{"a":-}`, ErrSyntax},
	{"minus at end", `{"a":-`, ErrSyntax},
	{"trailing dot", `{"a":1.}`, ErrSyntax},
	{"leading dot", `{"a":.5}`, ErrSyntax},
	{"plus sign", `{"a":+1}`, ErrSyntax},
	{"empty exponent", `{"a":1e}`, ErrSyntax},
	{"exponent sign only", `{"a":1e+}`, ErrSyntax},
	{"dot exponent", `{"a":1.e5}`, ErrSyntax},
	{"hex number", `{"a":0x10}`, ErrSyntax},
	{"NaN", `{"a":NaN}`, ErrSyntax},
	{"Infinity", `{"a":Infinity}`, ErrSyntax},
	{"negative Infinity", `{"a":-Infinity}`, ErrSyntax},
	{"number then garbage", `{"a":1x}`, ErrSyntax},

	// Literals.
	{"short true", `{"a":tru}`, ErrSyntax},
	{"capital True", `{"a":True}`, ErrSyntax},
	{"true then garbage", `{"a":truex}`, ErrSyntax},
	{"nul", `{"a":nul}`, ErrSyntax},
	{"misspelt true", `{"a":trua,"b":1}`, ErrSyntax},
	{"misspelt false", `{"a":fals0,"b":1}`, ErrSyntax},
	{"misspelt null", `{"a":nulx,"b":1}`, ErrSyntax},
	{"misspelt true in array", `{"a":[trUe]}`, ErrSyntax},
	{"undefined", `{"a":undefined}`, ErrSyntax},

	// Structure.
	{"empty input", ``, ErrSyntax},
	{"only whitespace", "  \n", ErrSyntax},
	{"unclosed object", `{"a":1`, ErrSyntax},
	{"unclosed object after comma", `{"a":1,`, ErrSyntax},
	{"unclosed array", `{"a":[1,2}`, ErrSyntax},
	{"missing value", `{"a":}`, ErrSyntax},
	{"missing colon", `{"a" 1}`, ErrSyntax},
	{"missing name", `{:1}`, ErrSyntax},
	{"trailing comma object", `{"a":1,}`, ErrSyntax},
	{"trailing comma array", `{"a":[1,]}`, ErrSyntax},
	{"leading comma object", `{,"a":1}`, ErrSyntax},
	{"leading comma array", `{"a":[,1]}`, ErrSyntax},
	{"double comma array", `{"a":[1,,2]}`, ErrSyntax},
	{"missing comma object", `{"a":1 "b":2}`, ErrSyntax},
	{"missing comma array", `{"a":[1 2]}`, ErrSyntax},
	{"other byte for comma array", `{"a":[1 23]}`, ErrSyntax},
	{"other byte for comma object", `{"a":1 x"b":2}`, ErrSyntax},
	{"colon for comma object", `{"a":1:"b":2}`, ErrSyntax},
	{"other byte for colon", `{"a"=1}`, ErrSyntax},
	{"two values for one name", `{"a":"x" "y"}`, ErrSyntax},
	{"mismatched brackets", `{"a":[}`, ErrSyntax},
	{"trailing garbage", `{}x`, ErrSyntax},
	{"trailing second object", `{}{}`, ErrSyntax},
	{"trailing nul", "{}\x00", ErrSyntax},
	{"trailing close", `{}}`, ErrSyntax},
	{"leading BOM", "\xef\xbb\xbf{}", ErrSyntax},
	{"form feed whitespace", "{\f}", ErrSyntax},
	{"vertical tab whitespace", "\v{}", ErrSyntax},
	{"nbsp whitespace", "{\u00a0}", ErrSyntax},
	{"comment", `{/*c*/}`, ErrSyntax},
	{"line comment", "{}//c", ErrSyntax},
	{"garbage first", `x{}`, ErrSyntax},

	// Top level must be an object.
	{"top-level array", `[]`, ErrType},
	{"top-level string", `"a"`, ErrType},
	{"top-level number", `1`, ErrType},
	{"top-level true", `true`, ErrType},
	{"top-level null", `null`, ErrType},

	// Depth.
	{"depth 33 arrays", nest(32), ErrDepth},
	{"depth 33 objects", strings.Repeat(`{"a":`, 33) + strings.Repeat("}", 33), ErrDepth},
	{"depth 1000", `{"a":` + strings.Repeat("[", 1000), ErrDepth},
}

func TestInvalidRejected(t *testing.T) {
	for _, tc := range invalidDocs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := walk([]byte(tc.doc))
			if !errors.Is(err, tc.want) {
				t.Errorf("walk: err = %v, want %v", err, tc.want)
			}
			if err := validate([]byte(tc.doc)); !errors.Is(err, tc.want) {
				t.Errorf("End: err = %v, want %v", err, tc.want)
			}
		})
	}
}

// The table must be honest about which refusals are plain JSON syntax and
// which are the strict rules: encoding/json rejects every ErrSyntax case and
// accepts every duplicate, UTF-8 and top-level-kind case.
func TestInvalidDocsAgreeWithEncodingJSON(t *testing.T) {
	for _, tc := range invalidDocs {
		t.Run(tc.name, func(t *testing.T) {
			_, stdErr := stdDecode([]byte(tc.doc))
			switch tc.want {
			case ErrSyntax:
				if stdErr == nil {
					t.Errorf("encoding/json accepts %q", tc.doc)
				}
			case ErrDuplicate, ErrUTF8, ErrType:
				if stdErr != nil {
					t.Errorf("encoding/json rejects %q: %v", tc.doc, stdErr)
				}
			}
		})
	}
}

func TestErrorCarriesOffset(t *testing.T) {
	_, err := walk([]byte(`{"a":1,"a":2}`))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %T %v, want *Error", err, err)
	}
	if e.Offset != 7 {
		t.Errorf("Offset = %d, want 7 (the second name)", e.Offset)
	}
	if !strings.Contains(e.Error(), "duplicate") || !strings.Contains(e.Error(), "offset 7") {
		t.Errorf("message %q lacks detail", e.Error())
	}
}

// TestStreamingClaims follows the usage pattern of the JOSE core.
func TestStreamingClaims(t *testing.T) {
	c, err := decodeClaims([]byte(claimsPayload))
	if err != nil {
		t.Fatal(err)
	}
	want := claims{
		Iss: "https://auth.example.com/realms/production", Sub: "5f0c1f5e-7d2a-4a7e-9a4b-2c8f0e1d3b6a",
		Aud: []string{"api.example.com", "billing.example.com"}, Exp: 1767225600, Iat: 1767222000, Nbf: 1767221990,
		Jti: "0b9d1c2e-3f4a-5b6c-7d8e-9f0a1b2c3d4e", ClientID: "web-frontend", Scope: "openid profile email orders:read orders:write",
		Sid: "a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6", Roles: []string{"user", "admin"}, Email: "jane.doe@example.com",
	}
	if got := c.toClaims(); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestAudAsString(t *testing.T) {
	c, err := decodeClaims([]byte(`{"aud":"one","exp":5}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.toClaims(); !reflect.DeepEqual(got.Aud, []string{"one"}) || got.Exp != 5 {
		t.Fatalf("got %+v", got)
	}
}

func TestZeroAllocs(t *testing.T) {
	data := []byte(claimsPayload)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := decodeClaims(data); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("decodeClaims allocates %v times per run, want 0", allocs)
	}
	nested := []byte(`{"a":{"b":[1,2,{"c":true,"d":null}],"e":"x"},"f":` + manyMembers(12, false) + `}`)
	allocs = testing.AllocsPerRun(100, func() {
		if err := validate(nested); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("validating nested objects allocates %v times per run, want 0", allocs)
	}
}

func TestStringAliasing(t *testing.T) {
	data := []byte(`{"plain":"abc","esc":"a\nb","arr":["x","y\"z"]}`)
	orig := bytes.Clone(data)
	inInput := func(b []byte) bool {
		if len(b) == 0 {
			return false
		}
		p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
		return p >= lo && p < lo+uintptr(len(data))
	}
	var d Decoder
	d.Reset(data)
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	var want []string
	for {
		name, more, err := d.NextMember()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		switch string(name) {
		case "plain", "esc":
			b, err := d.StringBytes()
			if err != nil {
				t.Fatal(err)
			}
			if string(name) == "plain" {
				if !inInput(b) {
					t.Error("string without escapes was copied, want a subslice of the input")
				}
				if cap(b) != len(b) {
					t.Errorf("cap = %d, want %d so appends cannot overwrite the input", cap(b), len(b))
				}
			} else if inInput(b) {
				t.Error("unescaped string aliases the input")
			}
			got = append(got, b)
			want = append(want, string(b))
		case "arr":
			if err := d.ArrayStart(); err != nil {
				t.Fatal(err)
			}
			for {
				more, err := d.NextElement()
				if err != nil {
					t.Fatal(err)
				}
				if !more {
					break
				}
				b, err := d.StringBytes()
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, b)
				want = append(want, string(b))
			}
		}
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	// Reusing the decoder must not disturb earlier results either.
	d.Reset([]byte(`{"\u0071":"\u0072\u0073\u0074\u0075\u0076"}`))
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if string(got[i]) != want[i] {
			t.Errorf("result %d changed to %q, want %q", i, got[i], want[i])
		}
	}
	if !bytes.Equal(data, orig) {
		t.Error("decoder modified its input")
	}
	if want := []string{"abc", "a\nb", "x", "y\"z"}; !reflect.DeepEqual(want, toStrings(got)) {
		t.Errorf("values = %q, want %q", toStrings(got), want)
	}
}

func toStrings(bs [][]byte) []string {
	s := make([]string, len(bs))
	for i, b := range bs {
		s[i] = string(b)
	}
	return s
}

func TestEscapedNames(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"\u0069ss":1,"a\"b":2,"\ud83d\ude00":3,"plain":4}`))
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	var names []string
	for {
		name, more, err := d.NextMember()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		if cap(name) != len(name) {
			t.Errorf("name %q: cap %d > len %d", name, cap(name), len(name))
		}
		names = append(names, string(name))
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"iss", "a\"b", "😀", "plain"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
}

func TestTypeErrorIsRecoverable(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"a":[1,"x"],"b":"s"}`))
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.NextMember(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.StringBytes(); !errors.Is(err, ErrType) {
		t.Fatalf("StringBytes on array: err = %v, want ErrType", err)
	}
	if _, err := d.NumericDate(); !errors.Is(err, ErrType) {
		t.Fatalf("NumericDate on array: err = %v, want ErrType", err)
	}
	if k := d.Kind(); k != Array {
		t.Fatalf("Kind after ErrType = %v, want array", k)
	}
	if err := d.ArrayStart(); err != nil {
		t.Fatal(err)
	}
	if more, err := d.NextElement(); !more || err != nil {
		t.Fatalf("NextElement = %v, %v", more, err)
	}
	if _, err := d.Bool(); !errors.Is(err, ErrType) {
		t.Fatalf("Bool on number: err = %v, want ErrType", err)
	}
	if err := d.Null(); !errors.Is(err, ErrType) {
		t.Fatalf("Null on number: err = %v, want ErrType", err)
	}
	if err := d.ObjectStart(); !errors.Is(err, ErrType) {
		t.Fatalf("ObjectStart on number: err = %v, want ErrType", err)
	}
	if n, err := d.NumericDate(); n != 1 || err != nil {
		t.Fatalf("NumericDate = %d, %v", n, err)
	}
	// Leave "x" and "b" unread: NextElement, NextMember and End skip them.
	if more, err := d.NextElement(); !more || err != nil {
		t.Fatalf("NextElement = %v, %v", more, err)
	}
	if err := d.End(); err != nil {
		t.Fatalf("End: %v", err)
	}
}

func TestKinds(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"s":"","n":-1,"o":{},"a":[],"t":true,"f":false,"z":null}`))
	if k := d.Kind(); k != Object {
		t.Fatalf("top-level Kind = %v", k)
	}
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	if k := d.Kind(); k != Invalid {
		t.Errorf("Kind between members = %v, want invalid", k)
	}
	want := []Kind{String, Number, Object, Array, Bool, Bool, Null}
	for i := 0; ; i++ {
		_, more, err := d.NextMember()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		if k := d.Kind(); k != want[i] {
			t.Errorf("member %d: Kind = %v, want %v", i, k, want[i])
		}
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	if Kind(99).String() != "Kind(99)" || Number.String() != "number" {
		t.Error("Kind.String")
	}
}

func TestSkipRaw(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"a" :  {"b":[1, "x\"",true,null]}  ,"c":-1.5e3 }`))
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	var raws []string
	for {
		_, more, err := d.NextMember()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		raw, err := d.Skip()
		if err != nil {
			t.Fatal(err)
		}
		if cap(raw) != len(raw) {
			t.Errorf("Skip: cap %d > len %d; appending could overwrite the input", cap(raw), len(raw))
		}
		raws = append(raws, string(raw))
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	if want := []string{`{"b":[1, "x\"",true,null]}`, `-1.5e3`}; !reflect.DeepEqual(raws, want) {
		t.Errorf("raw = %q, want %q", raws, want)
	}
	// Skip of the whole document at the top level.
	d.Reset([]byte(` {"a":1} `))
	raw, err := d.Skip()
	if err != nil || string(raw) != `{"a":1}` {
		t.Fatalf("Skip = %q, %v", raw, err)
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
}

func TestBoolNull(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"t":true,"f":false,"n":null}`))
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	d.NextMember()
	if v, err := d.Bool(); !v || err != nil {
		t.Fatalf("Bool = %v, %v", v, err)
	}
	d.NextMember()
	if v, err := d.Bool(); v || err != nil {
		t.Fatalf("Bool = %v, %v", v, err)
	}
	d.NextMember()
	if err := d.Null(); err != nil {
		t.Fatal(err)
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
}

// Methods called where the document has no value for them must fail and
// must not let malformed input through.
func TestOutOfOrderCalls(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		call func(d *Decoder) error
	}{
		{"NextMember before ObjectStart", `{"a":"b"}`, func(d *Decoder) error { _, _, err := d.NextMember(); return err }},
		{"NextElement before ObjectStart", `{"a":"b"}`, func(d *Decoder) error { _, err := d.NextElement(); return err }},
		{"value right after ObjectStart", `{"a":"b"}`, func(d *Decoder) error {
			d.ObjectStart()
			_, err := d.StringBytes()
			return err
		}},
		{"second value for a member", `{"a":"b" "c"}`, func(d *Decoder) error {
			d.ObjectStart()
			d.NextMember()
			d.StringBytes()
			_, err := d.StringBytes()
			return err
		}},
		{"NextElement in object", `{"a":"b"}`, func(d *Decoder) error {
			d.ObjectStart()
			_, err := d.NextElement()
			return err
		}},
		{"NextMember in array", `{"a":["b"]}`, func(d *Decoder) error {
			d.ObjectStart()
			d.NextMember()
			d.ArrayStart()
			_, _, err := d.NextMember()
			return err
		}},
		{"NextMember after end", `{}`, func(d *Decoder) error {
			d.ObjectStart()
			d.NextMember()
			_, _, err := d.NextMember()
			return err
		}},
		{"ObjectStart after end", `{}{}`, func(d *Decoder) error {
			d.ObjectStart()
			d.NextMember()
			return d.ObjectStart()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d Decoder
			d.Reset([]byte(tc.doc))
			if err := tc.call(&d); !errors.Is(err, ErrSyntax) {
				t.Fatalf("err = %v, want ErrSyntax", err)
			}
			// Sticky: the document is not accepted afterwards.
			if err := d.End(); !errors.Is(err, ErrSyntax) {
				t.Fatalf("End after misuse: err = %v, want ErrSyntax", err)
			}
		})
	}
}

// Scalar methods at the top level refuse with ErrType: the document must be
// an object.
func TestTopLevelScalars(t *testing.T) {
	calls := map[string]func(d *Decoder) error{
		"StringBytes": func(d *Decoder) error { _, err := d.StringBytes(); return err },
		"NumericDate": func(d *Decoder) error { _, err := d.NumericDate(); return err },
		"Bool":        func(d *Decoder) error { _, err := d.Bool(); return err },
		"Null":        func(d *Decoder) error { return d.Null() },
		"ArrayStart":  func(d *Decoder) error { return d.ArrayStart() },
		"Skip":        func(d *Decoder) error { _, err := d.Skip(); return err },
	}
	// Asking for a scalar where the top-level object is also ErrType.
	var d Decoder
	d.Reset([]byte(`{"a":"b"}`))
	if _, err := d.StringBytes(); !errors.Is(err, ErrType) {
		t.Fatalf("StringBytes on top-level object: err = %v, want ErrType", err)
	}
	docs := map[string]string{"StringBytes": `"a"`, "NumericDate": `1`, "Bool": `true`, "Null": `null`, "ArrayStart": `[]`, "Skip": `[]`}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var d Decoder
			d.Reset([]byte(docs[name]))
			if err := call(&d); !errors.Is(err, ErrType) {
				t.Fatalf("err = %v, want ErrType", err)
			}
		})
	}
}

// A Decoder that was never Reset has no document and must not report one
// as valid.
func TestZeroDecoder(t *testing.T) {
	var d Decoder
	if err := d.End(); !errors.Is(err, ErrSyntax) {
		t.Errorf("End on zero Decoder: err = %v, want ErrSyntax", err)
	}
	var d2 Decoder
	if err := d2.ObjectStart(); !errors.Is(err, ErrSyntax) {
		t.Errorf("ObjectStart on zero Decoder: err = %v, want ErrSyntax", err)
	}
}

func TestStickyErrors(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"a":"\x"}`))
	d.ObjectStart()
	d.NextMember()
	_, err1 := d.StringBytes()
	if !errors.Is(err1, ErrSyntax) {
		t.Fatalf("err = %v", err1)
	}
	if _, _, err := d.NextMember(); err != err1 {
		t.Errorf("NextMember after error = %v, want the same error", err)
	}
	if err := d.End(); err != err1 {
		t.Errorf("End after error = %v, want the same error", err)
	}
	// Reset clears the error.
	d.Reset([]byte(`{}`))
	if err := d.End(); err != nil {
		t.Errorf("after Reset: %v", err)
	}
}

// The streaming methods share the depth limit with Skip.
func TestStreamingDepth(t *testing.T) {
	for _, n := range []int{MaxDepth, MaxDepth + 1} {
		doc := strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)
		var d Decoder
		d.Reset([]byte(doc))
		var err error
		for i := 0; i < n && err == nil; i++ {
			if err = d.ObjectStart(); err == nil {
				_, _, err = d.NextMember()
			}
		}
		if n <= MaxDepth {
			if err != nil {
				t.Fatalf("depth %d: %v", n, err)
			}
			if err := d.End(); err != nil {
				t.Fatalf("depth %d: End: %v", n, err)
			}
		} else if !errors.Is(err, ErrDepth) {
			t.Fatalf("depth %d: err = %v, want ErrDepth", n, err)
		}
	}
}

func TestResetLargeInputRefused(t *testing.T) {
	defer func(old int) { maxInput = old }(maxInput)
	maxInput = 8
	var d Decoder
	d.Reset([]byte(`{"a":12}`))
	if err := d.End(); err != nil {
		t.Fatalf("input of maxInput bytes: %v", err)
	}
	d.Reset([]byte(`{"a":123}`))
	if err := d.ObjectStart(); !errors.Is(err, ErrSyntax) {
		t.Fatalf("input above maxInput: err = %v, want ErrSyntax", err)
	}
}

func TestDecoderSize(t *testing.T) {
	// The decoder is meant to live on the stack of every verification;
	// keep an eye on its size.
	if s := unsafe.Sizeof(Decoder{}); s > 768 {
		t.Errorf("Decoder is %d bytes, want at most 768", s)
	}
}

// TestStringBytePositions puts each kind of interesting byte at every
// position relative to the eight-byte blocks of the fast scanning loop, in
// both short and long strings, in names and values, and near the end of the
// input where the loop falls back to the table.
func TestStringBytePositions(t *testing.T) {
	specials := []struct {
		name string
		b    string
		want error // nil: valid, compared with encoding/json
	}{
		{"escape", `\n`, nil},
		{"escaped quote", `\"`, nil},
		{"unicode escape", `\u00e9`, nil},
		{"surrogate pair", `\ud83d\ude00`, nil},
		{"two-byte utf8", "é", nil},
		{"four-byte utf8", "😀", nil},
		{"del", "\x7f", nil},
		{"control 0x00", "\x00", ErrSyntax},
		{"control 0x1f", "\x1f", ErrSyntax},
		{"newline", "\n", ErrSyntax},
		{"bad escape", `\q`, ErrSyntax},
		{"invalid utf8", "\xff", ErrUTF8},
		{"continuation byte", "\x80", ErrUTF8},
		{"truncated utf8", "\xe2\x82", ErrUTF8},
		{"lone surrogate", `\udc00`, ErrUTF8},
	}
	for _, sp := range specials {
		for pre := 0; pre < 20; pre++ {
			for _, post := range []int{0, 1, 7, 8, 9, 20} {
				str := strings.Repeat("a", pre) + sp.b + strings.Repeat("b", post)
				docs := []string{
					`{"k":"` + str + `"}`,
					`{"` + str + `":1}`,
					`{"k":"` + str + `","long":"` + strings.Repeat("x", 30) + `"}`,
				}
				for _, doc := range docs {
					got, err := walk([]byte(doc))
					if sp.want != nil {
						if !errors.Is(err, sp.want) {
							t.Fatalf("%s: %q: err = %v, want %v", sp.name, doc, err, sp.want)
						}
						continue
					}
					want, stdErr := stdDecode([]byte(doc))
					if err != nil || stdErr != nil || !reflect.DeepEqual(got, want) {
						t.Fatalf("%s: %q: got %#v, %v; encoding/json %#v, %v", sp.name, doc, got, err, want, stdErr)
					}
				}
			}
		}
	}
}

// A name whose filter bit collides with an earlier name must still be told
// apart by length and content: "a\u0000" and "a" share their first eight
// bytes once padded, and only the length separates them.
func TestFilterCollisions(t *testing.T) {
	bit := func(name string) uint64 {
		return filterBit(nameRef{key: nameKey([]byte(name), 0, len(name)), n: int32(len(name))})
	}
	find := func(target uint64) string {
		for i := 0; ; i++ {
			if name := "c" + itoa(i); bit(name) == target {
				return name
			}
		}
	}
	// Names that collide with "a\x00" and with a long name, placed first
	// so that the later names take the comparison path.
	long := "client_identifier"
	c1, c2 := find(bit("a\x00")), find(bit(long))
	valid := `{"` + c1 + `":1,"` + c2 + `":2,"a":3,"a\u0000":4,"client_identifieR":5,"` + long + `":6}`
	if _, err := walk([]byte(valid)); err != nil {
		t.Fatalf("%s: %v", valid, err)
	}
	dup := `{"` + c1 + `":1,"` + c2 + `":2,"a\u0000":3,"` + long + `":4,"a\u0000":5}`
	if _, err := walk([]byte(dup)); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("%s: err = %v, want ErrDuplicate", dup, err)
	}
	dupLong := `{"` + c2 + `":1,"` + long + `":2,"client_identifier":3}`
	if _, err := walk([]byte(dupLong)); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("%s: err = %v, want ErrDuplicate", dupLong, err)
	}
}
