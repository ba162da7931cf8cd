package jose

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// plainPayloads are claims sets for the plain path: most are taken by it,
// and the rest must be handed to the general decoder.
var plainPayloads = []string{
	`{}`,
	`{"iss":"https://auth.example.com","sub":"u_1","aud":"api","exp":1700000900,"iat":1700000000,"nbf":1700000000,"jti":"j","client_id":"c","scope":"a b","sid":"s","roles":["user","admin"],"email":"a@example.com"}`,
	`{"aud":["a","b","c"],"roles":[],"email_verified":true,"name":"N","nonce":"n","azp":"z","at_hash":"h","auth_time":0}`,
	`{"email_verified":false,"x":null,"y":true,"z":false,"n":12345678901234567890,"arr":["a",1,"b",22],"e":[]}`,
	`{"":"empty name","aud":"x"}`,
	`{"big":` + strings.Repeat("9", 400) + `,"arr":[` + strings.Repeat("8", 300) + `]}`,
	`{"a":"` + strings.Repeat("long string ", 80) + `"}`,
	// Given up on, decided by decodeClaims.
	`{"iss":"a","iss":"b"}`,
	`{"x":1,"x":2}`,
	`{"x":1,"y":2,"x":3}`,
	`{"iss":"caf\u00e9"}`,
	`{"iss":"café"}`,
	`{"iss":"a\"b"}`,
	`{"iss":"tab	here"}`,
	`{ "iss":"a"}`,
	`{"iss" :"a"}`,
	`{"iss":"a" }`,
	`{"iss":"a"}  `,
	`{"iss":"a"}x`,
	`{"iss":"a",}`,
	`{"iss":"a"`,
	`{"iss":`,
	`{"iss"`,
	`{"`,
	`{`,
	`{}}`,
	`{"exp":01}`,
	`{"exp":1.5}`,
	`{"exp":1e3}`,
	`{"exp":-1}`,
	`{"exp":253402300799}`,
	`{"exp":253402300800}`,
	`{"exp":99999999999999}`,
	`{"exp":"1"}`,
	`{"iss":1}`,
	`{"iss":null}`,
	`{"iss":["a"]}`,
	`{"roles":"admin"}`,
	`{"roles":["a",1]}`,
	`{"roles":["a",]}`,
	`{"roles":["a"`,
	`{"aud":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"]}`,
	`{"email_verified":"true"}`,
	`{"email_verified":nul}`,
	`{"x":tru}`,
	`{"x":{"a":1}}`,
	`{"x":[{"a":1}]}`,
	`{"x":[[1]]}`,
	`{"x":[01]}`,
	`{"x":[1,]}`,
	`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}`,
	`[]`,
	`"x"`,
	``,
}

// TestDecodeClaimsPlainAgrees shows that the plain path is only a faster
// way to reach decodeClaims' verdict: whatever it accepts, the general
// decoder accepts into the very same Claims, and mutations of every
// payload (each byte replaced, dropped, or doubled) keep that true.
func TestDecodeClaimsPlainAgrees(t *testing.T) {
	taken := 0
	for _, p := range plainPayloads {
		if checkPlainAgrees(t, []byte(p)) {
			taken++
		}
	}
	if taken < 5 {
		t.Fatalf("the plain path took only %d of the payloads meant for it", taken)
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(`{}[]",:0123456789.-e tfnulrsaxé\` + "\t")
	for _, p := range plainPayloads {
		for i := range len(p) {
			b := []byte(p)
			checkPlainAgrees(t, append(b[:i:i], b[i+1:]...))
			b = []byte(p)
			checkPlainAgrees(t, append(b[:i+1:i+1], b[i:]...))
			b = []byte(p)
			b[i] = alphabet[r.IntN(len(alphabet))]
			checkPlainAgrees(t, b)
		}
	}
}

// TestDecodeClaimsPlainTakesTypicalTokens shows the plain path is taken for
// what signet and other issuers write, so that the speed it is there for
// is real.
func TestDecodeClaimsPlainTakesTypicalTokens(t *testing.T) {
	for i, p := range plainPayloads[:7] {
		var c Claims
		if !decodeClaimsPlain([]byte(p), &c) {
			t.Errorf("payload %d not taken by the plain path: %s", i, p)
		}
	}
}

// checkPlainAgrees reports whether the plain path took p, failing the test
// when decodeClaims disagrees with what it read.
func checkPlainAgrees(t *testing.T, p []byte) bool {
	t.Helper()
	var fast, general Claims
	if !decodeClaimsPlain(p, &fast) {
		return false
	}
	err := decodeClaimsGeneral(p, &general)
	if err != nil {
		t.Fatalf("plain path accepted %q, which decodeClaims refuses: %v", p, err)
	}
	if !reflect.DeepEqual(fast, general) {
		t.Fatalf("plain path read %q as\n%+v\nbut decodeClaims as\n%+v", p, fast, general)
	}
	return true
}

func FuzzDecodeClaimsPlain(f *testing.F) {
	for _, p := range plainPayloads {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		checkPlainAgrees(t, p)
	})
}

// BenchmarkDecodeClaims reads access-token claims sets on the plain path
// and with the general decoder, over 1024 payloads that vary as real ones
// do (scopes, roles, lengths), like those of the bench module's pool.
func BenchmarkDecodeClaims(b *testing.B) {
	pool := variedPayloads(b, 1024)
	for _, path := range []string{"plain", "general"} {
		b.Run("path="+path, func(b *testing.B) {
			decode := decodeClaims
			if path == "general" {
				decode = decodeClaimsGeneral
			}
			c := new(Claims) // one, reset each time: the decoding alone is measured
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				*c = Claims{}
				if err := decode(pool[i&1023], c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// variedPayloads signs n access tokens whose claims vary from token to
// token and returns their payloads.
func variedPayloads(tb testing.TB, n int) [][]byte {
	scopeWords := []string{"openid", "profile", "email", "offline_access", "orders:read", "orders:write",
		"billing:read", "billing:write", "catalog:read", "admin:users"}
	roleWords := []string{"user", "admin", "support", "billing", "auditor", "developer", "viewer"}
	pool := make([][]byte, n)
	for i := range pool {
		r := rand.New(rand.NewPCG(uint64(i), 0x5167e7))
		var scopes []string
		for _, w := range scopeWords {
			if r.IntN(2) == 0 {
				scopes = append(scopes, w)
			}
		}
		roles := []string{roleWords[r.IntN(len(roleWords))]}
		if r.IntN(3) == 0 {
			roles = append(roles, roleWords[r.IntN(len(roleWords))])
		}
		iat := 1700000000 + int64(r.IntN(600))
		c := Claims{
			Issuer: "https://auth.example.com", Subject: fmt.Sprintf("usr_%08x", r.Uint32()),
			Audience: Audience{"https://api.example.com"}, ExpiresAt: NumericDate(iat + 900),
			NotBefore: NumericDate(iat), IssuedAt: NumericDate(iat),
			ID: fmt.Sprintf("at_%016x%04x", r.Uint64(), i), ClientID: fmt.Sprintf("client-%03d", r.IntN(200)),
			Scope: strings.Join(scopes, " "), SessionID: fmt.Sprintf("sid_%012x", r.Uint64()>>16),
			Roles: roles, Email: fmt.Sprintf("user%d.%s@example.org", i, roleWords[r.IntN(len(roleWords))]),
		}
		pool[i] = c.appendJSON(nil) // what Signer writes
		if !decodeClaimsPlain(pool[i], new(Claims)) {
			tb.Fatalf("the plain path gave up on %s", pool[i])
		}
	}
	return pool
}

// TestClaimKeys checks each name constant of claimBit against its name,
// and that every claim Claims holds is found under its own name, whether or
// not eight bytes can be read from the name's start.
func TestClaimKeys(t *testing.T) {
	for name, bit := range claimBits {
		p := []byte(name + `":1}` + "xxxxxxxx")
		if got := claimBit(p[:len(name)]); got != bit {
			t.Errorf("claimBit(%q) = %b, want %b", name, got, bit)
		}
		exact := []byte(name) // capacity = length: no load past the name
		if got := claimBit(exact[:len(name):len(name)]); got != bit {
			t.Errorf("claimBit(%q) with no room past it = %b, want %b", name, got, bit)
		}
		for _, other := range []string{name[:len(name)-1] + "X", "X" + name[1:], name + "s"} {
			p := []byte(other + `":1}` + "xxxxxxxx")
			if got := claimBit(p[:len(other)]); got != claimBits[other] {
				t.Errorf("claimBit(%q) = %b, want %b", other, got, claimBits[other])
			}
		}
	}
}

// TestSignedClaimsTakePlainPath shows that what Signer writes for every
// claim Claims holds (ASCII values) is read by the plain path: the speed it
// exists for reaches signet's own tokens.
func TestSignedClaimsTakePlainPath(t *testing.T) {
	k, err := GenerateKey(HS256, "k")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(k, WithType(TypeAccessToken))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Sign(&Claims{
		Issuer: "https://id.example", Subject: "u_42", Audience: Audience{"api", "billing"},
		ExpiresAt: 1700000900, NotBefore: 1700000000, IssuedAt: 1700000000, ID: "jti-1",
		ClientID: "web", Scope: "openid profile", SessionID: "s_1", Roles: []string{"user", "admin"},
		AuthTime: 1699999999, AuthorizedParty: "web", Nonce: "n-0S6_WzA2Mj", AccessTokenHash: "77QmUPtjPfzWtF2AnpK9RQ",
		Email: "u42@example.com", EmailVerified: true, Name: "Ada Lovelace",
	})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c Claims
	if !decodeClaimsPlain(payload, &c) {
		t.Fatalf("the plain path gave up on a signed payload: %s", payload)
	}
	checkPlainAgrees(t, payload)
}
