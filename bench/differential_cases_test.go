package bench

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/signet-dev/signet/jose"
)

// ---------------------------------------------------------------- JSON by hand

// member is one JSON object member as raw text: name is the quoted name
// literal (possibly with escapes), value any raw JSON (possibly invalid).
// Building JSON by hand is what lets the generator make duplicate members,
// escaped names, odd number forms and invalid UTF-8.
type member struct{ name, value string }

type object []member

// q quotes s as a JSON string, escaping only what must be escaped and
// leaving every other byte (invalid UTF-8 included) as it is.
func q(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// qAll quotes s with every character as a \u escape (surrogate pairs
// beyond the BMP).
func qAll(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r > 0xffff {
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	b.WriteByte('"')
	return b.String()
}

// qSome quotes s escaping a random, non-empty subset of its characters.
func qSome(r *mrand.Rand, s string) string {
	runes := []rune(s)
	esc := r.IntN(len(runes))
	var b strings.Builder
	b.WriteByte('"')
	for i, c := range runes {
		if i == esc || r.IntN(3) == 0 {
			b.WriteString(inner(qAll(string(c))))
		} else {
			b.WriteString(inner(q(string(c))))
		}
	}
	b.WriteByte('"')
	return b.String()
}

// inner strips the quotes of a string literal.
func inner(lit string) string { return lit[1 : len(lit)-1] }

func num(n int64) string { return strconv.FormatInt(n, 10) }

func (o object) idx(name string) int {
	lit := q(name)
	for i, m := range o {
		if m.name == lit {
			return i
		}
	}
	return -1
}

func (o object) get(name string) string {
	if i := o.idx(name); i >= 0 {
		return o[i].value
	}
	return ""
}

// set replaces the value of name, or appends the member.
func (o *object) set(name, value string) {
	if i := o.idx(name); i >= 0 {
		(*o)[i].value = value
		return
	}
	*o = append(*o, member{q(name), value})
}

func (o *object) del(name string) {
	if i := o.idx(name); i >= 0 {
		*o = append((*o)[:i], (*o)[i+1:]...)
	}
}

// rename gives the member name the literal nameLit, keeping its place.
func (o *object) rename(name, nameLit string) bool {
	if i := o.idx(name); i >= 0 {
		(*o)[i].name = nameLit
		return true
	}
	return false
}

func (o object) render(r *mrand.Rand, ws bool) []byte {
	sp := func() string {
		if !ws {
			return ""
		}
		return strings.Repeat(string(" \t\n\r"[r.IntN(4)]), r.IntN(3))
	}
	var b strings.Builder
	b.WriteString("{")
	for i, m := range o {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(sp() + m.name + sp() + ":" + sp() + m.value + sp())
	}
	b.WriteString("}")
	return []byte(b.String())
}

// unquote decodes a JSON string literal made by q (valid UTF-8 only).
func unquote(lit string) (string, bool) {
	var s string
	if !utf8.ValidString(lit) || json.Unmarshal([]byte(lit), &s) != nil {
		return "", false
	}
	return s, true
}

// ---------------------------------------------------------------- generator

// gen is a token under construction. A mutation changes it through hooks
// called at fixed stages (see generate), and records in tags what it did
// that a category may need to know.
type gen struct {
	r               *mrand.Rand
	key             *dkey
	header, payload object
	wsH, wsP        bool
	hjson, pjson    []byte
	h64, p64        string
	signAlg         string
	signWith        rawKey
	noSign          bool
	signFn          func(input []byte) ([]byte, error) // replaces rawSign
	sig             []byte
	s64             string
	token           string
	note            string
	tags            map[string]bool
}

// mutation is one way of making a token. Valid mutations make tokens every
// library must accept; the others make tokens that may or may not be
// refused, and the test compares the verdicts.
type mutation struct {
	name  string
	valid bool
	only  []string // algorithm prefixes (HS, RS, PS, ES, Ed) it applies to; nil: all
	// Hooks, each optional, in the order generate calls them.
	objects func(g *gen) // edit the header and payload members
	json    func(g *gen) // edit the rendered JSON bytes
	encode  func(g *gen) // edit the base64url header and payload (before signing)
	post    func(g *gen) // edit anything after signing (no re-signing)
	token   func(g *gen) // edit the assembled token
}

var b64lenient = base64.RawURLEncoding // decodes non-canonical endings, skips \r \n

const b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func generate(r *mrand.Rand, id int, m *mutation, all []*dkey) (*dcase, error) {
	var keys []*dkey
	for _, k := range all {
		if m.only == nil || contains(m.only, k.alg[:2]) {
			keys = append(keys, k)
		}
	}
	key := keys[r.IntN(len(keys))]
	g := &gen{r: r, key: key, signAlg: key.alg, signWith: key.raw, tags: map[string]bool{}}
	g.header = object{{q("alg"), q(key.alg)}, {q("kid"), q(key.kid)}, {q("typ"), q(jose.TypeAccessToken)}}
	if r.IntN(4) == 0 {
		r.Shuffle(len(g.header), func(i, j int) { g.header[i], g.header[j] = g.header[j], g.header[i] })
	}
	g.payload = g.baseClaims()
	if m.objects != nil {
		m.objects(g)
	}
	g.hjson = g.header.render(r, g.wsH)
	g.pjson = g.payload.render(r, g.wsP)
	if m.json != nil {
		m.json(g)
	}
	g.h64 = b64.EncodeToString(g.hjson)
	g.p64 = b64.EncodeToString(g.pjson)
	if m.encode != nil {
		m.encode(g)
	}
	if !g.noSign {
		input := []byte(g.h64 + "." + g.p64)
		var err error
		if g.signFn != nil {
			g.sig, err = g.signFn(input)
		} else {
			g.sig, err = rawSign(g.signAlg, g.signWith, input)
		}
		if err != nil {
			return nil, err
		}
	}
	g.s64 = b64.EncodeToString(g.sig)
	if m.post != nil {
		m.post(g)
	}
	g.token = g.h64 + "." + g.p64 + "." + g.s64
	if m.token != nil {
		m.token(g)
	}
	if len(g.token) > jose.DefaultMaxTokenSize {
		g.tags["size"] = true
	}
	return &dcase{id: id, mut: m, key: key, note: g.note, tags: g.tags, token: g.token}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var wordPieces = []string{"a", "b", "k", "z", "Q", "0", "7", "-", "_", ".", "@", " ", "é", "ß", "日本", "😀",
	"\"", "\\", "/", "<", "&", "\t", "\u2028", "~", "+"}

// word is a random string of n pieces, some needing JSON escapes, some
// beyond ASCII.
func (g *gen) word(n int) string {
	var b strings.Builder
	for range n {
		if g.r.IntN(3) == 0 {
			b.WriteString(wordPieces[g.r.IntN(len(wordPieces))])
		} else {
			b.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[g.r.IntN(36)])
		}
	}
	return b.String()
}

func (g *gen) now() int64 { return diffNow.Unix() }

// baseClaims is a random valid access token payload.
func (g *gen) baseClaims() object {
	r := g.r
	now := g.now()
	iat := now - 1 - r.Int64N(3000)
	aud := q(diffAudience)
	if r.IntN(2) == 0 {
		others := []string{q("https://billing.signet.example"), q("urn:signet:admin"), q(g.word(5))}
		list := append([]string(nil), others[:r.IntN(3)]...)
		at := r.IntN(len(list) + 1)
		list = append(list[:at], append([]string{aud}, list[at:]...)...)
		aud = "[" + strings.Join(list, ",") + "]"
	}
	var scopes []string
	for _, w := range scopeWords {
		if r.IntN(2) == 0 {
			scopes = append(scopes, w)
		}
	}
	roles := []string{q(roleWords[r.IntN(len(roleWords))])}
	if r.IntN(2) == 0 {
		roles = append(roles, q(roleWords[r.IntN(len(roleWords))]))
	}
	o := object{
		{q("iss"), q(diffIssuer)},
		{q("sub"), q("usr_" + g.word(6))},
		{q("aud"), aud},
		{q("exp"), num(now + 60 + r.Int64N(7200))},
	}
	if r.IntN(4) != 0 {
		o = append(o, member{q("nbf"), num(iat)})
	}
	if r.IntN(4) != 0 {
		o = append(o, member{q("iat"), num(iat)})
	}
	o = append(o,
		member{q("jti"), q(fmt.Sprintf("at_%016x", r.Uint64()))},
		member{q("client_id"), q("client-" + g.word(4))},
		member{q("scope"), q(strings.Join(scopes, " "))},
		member{q("sid"), q("sid_" + g.word(5))},
		member{q("roles"), "[" + strings.Join(roles, ",") + "]"},
		member{q("email"), q(g.word(5) + "@example.org")},
	)
	if r.IntN(3) == 0 {
		o = append(o,
			member{q("tenant"), fmt.Sprintf(`{"id":%d,"name":%s,"tags":[%s,%s],"limits":{"rps":%d.5,"burst":null}}`,
				r.IntN(1000), q(g.word(4)), q(g.word(2)), q(g.word(3)), r.IntN(100))},
			member{q("ver"), "2"},
			member{q("amr"), `["pwd","otp"]`},
			member{q("x_flag"), []string{"true", "false", "null"}[r.IntN(3)]},
		)
	}
	if r.IntN(3) == 0 {
		r.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
	}
	return o
}

// pick chooses one of the variants and notes which.
func pick[T any](g *gen, variants []T) T {
	i := g.r.IntN(len(variants))
	g.note = fmt.Sprintf("variant %d", i)
	return variants[i]
}

func (g *gen) notef(format string, args ...any) { g.note = fmt.Sprintf(format, args...) }

// sigLen is the signature length alg produces with this test's keys.
func sigLen(alg string) int {
	switch alg {
	case "HS256":
		return 32
	case "HS384":
		return 48
	case "HS512", "ES256", "EdDSA":
		return 64
	case "ES384":
		return 96
	case "ES512":
		return 132
	}
	return 256 // RSA 2048
}

// tokenLen is the length the token will have for the current JSON.
func (g *gen) tokenLen() int {
	return b64.EncodedLen(len(g.hjson)) + 1 + b64.EncodedLen(len(g.pjson)) + 1 + b64.EncodedLen(sigLen(g.signAlg))
}

// padTo adds a "pad" claim to the payload JSON so that the token is at
// least target bytes long (and at most target+1).
func (g *gen) padTo(target int) {
	base := g.pjson[:len(g.pjson)-1]
	sep := ","
	if len(base) == 1 {
		sep = ""
	}
	n := (target-g.tokenLen())*3/4 - 16 // start below: the member itself takes room
	if n < 0 {
		n = 0
	}
	for {
		g.pjson = []byte(string(base) + sep + `"pad":"` + strings.Repeat("x", n) + `"}`)
		if g.tokenLen() >= target {
			return
		}
		n++
	}
}

// setSpareBits makes the last character of a base64url string encode the
// same bytes with non-zero spare bits (RFC 4648 §3.5). ok is false when
// the length leaves no spare bits.
func setSpareBits(r *mrand.Rand, s string) (string, bool) {
	spare := map[int]int{2: 4, 3: 2}[len(s)%4]
	if spare == 0 {
		return s, false
	}
	i := strings.IndexByte(b64chars, s[len(s)-1])
	i += 1 + r.IntN(1<<spare-1)
	return s[:len(s)-1] + string(b64chars[i]), true
}

func insertAt(s string, pos int, ins string) string { return s[:pos] + ins + s[pos:] }

// flipInner flips one random bit of one byte inside a JSON string literal.
func flipInner(r *mrand.Rand, lit string) (newLit, oldInner, newInner string) {
	oldInner = lit[1 : len(lit)-1]
	if oldInner == "" {
		return lit, "", ""
	}
	b := []byte(oldInner)
	b[r.IntN(len(b))] ^= 1 << r.IntN(8)
	return `"` + string(b) + `"`, oldInner, string(b)
}

// flipMember flips a bit in a random member's name, or in its value when it
// is a string, and tags what the flip produced.
func (g *gen) flipMember(o object, isPayload bool) {
	i := g.r.IntN(len(o))
	m := o[i]
	if g.r.IntN(2) == 0 || !strings.HasPrefix(m.value, `"`) {
		newLit, oldInner, newInner := flipInner(g.r, m.name)
		o[i].name = newLit
		g.notef("name %s -> %q", m.name, newLit)
		if !utf8.ValidString(newInner) {
			g.tags["invalid-utf8"] = true
		} else if isPayload && newInner != oldInner && strings.EqualFold(newInner, oldInner) {
			g.tags["name-case"] = true
		}
		for j, other := range o {
			if j != i && other.name == newLit {
				g.tags["dup"] = true
			}
		}
		return
	}
	newLit, _, newInner := flipInner(g.r, m.value)
	o[i].value = newLit
	g.notef("value of %s -> %q", m.name, newLit)
	if !utf8.ValidString(newInner) {
		g.tags["invalid-utf8"] = true
	}
}

var (
	attackerOnce sync.Once
	attackerKey  *ecdsa.PrivateKey
)

func attacker() *ecdsa.PrivateKey {
	attackerOnce.Do(func() {
		var err error
		if attackerKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
	return attackerKey
}

func pkixPublic(k *dkey) []byte {
	der, err := x509.MarshalPKIXPublicKey(k.verify)
	if err != nil {
		panic(err)
	}
	return der
}

func otherKey(g *gen) *dkey {
	for {
		k := g.key.set.keys[g.r.IntN(len(g.key.set.keys))]
		if k != g.key {
			return k
		}
	}
}

func hashFunc(alg string) crypto.Hash { h, _ := hashFor(alg); return h }

// ---------------------------------------------------------------- mutations

var mutations = []mutation{
	// ---------------------------------------------------------- valid tokens
	{name: "valid/canonical", valid: true},
	{name: "valid/signet-signer", valid: true, token: func(g *gen) {
		now := g.now()
		c := &jose.Claims{Issuer: diffIssuer, Subject: "usr_" + g.word(6), Audience: jose.Audience{diffAudience},
			ExpiresAt: jose.NumericDate(now + 60 + g.r.Int64N(7200)), IssuedAt: jose.NumericDate(now - g.r.Int64N(100)),
			NotBefore: jose.NumericDate(now - g.r.Int64N(100)), ID: g.word(8), ClientID: g.word(4), Scope: "openid " + g.word(3),
			SessionID: g.word(5), Roles: []string{g.word(3), g.word(2)}, Email: g.word(4) + "@example.org",
			Name: g.word(6), Nonce: g.word(4), AuthTime: jose.NumericDate(now - 500), EmailVerified: g.r.IntN(2) == 0}
		if g.r.IntN(2) == 0 {
			c.Audience = append(c.Audience, "urn:other")
		}
		tok, err := g.key.signer.Sign(c)
		if err != nil {
			panic(err)
		}
		g.token = tok
	}},
	{name: "valid/json-whitespace", valid: true, objects: func(g *gen) { g.wsH, g.wsP = true, true },
		json: func(g *gen) {
			g.hjson = append([]byte(" \n"), append(g.hjson, "\t\r\n "...)...)
			g.pjson = append([]byte("\r\n\t "), append(g.pjson, " \n"...)...)
		}},
	{name: "valid/member-order", valid: true, objects: func(g *gen) {
		g.r.Shuffle(len(g.header), func(i, j int) { g.header[i], g.header[j] = g.header[j], g.header[i] })
		g.r.Shuffle(len(g.payload), func(i, j int) { g.payload[i], g.payload[j] = g.payload[j], g.payload[i] })
	}},
	{name: "valid/escaped-names", valid: true, objects: func(g *gen) {
		for _, o := range []object{g.header, g.payload} {
			for i := range o {
				if name, ok := unquote(o[i].name); ok && g.r.IntN(2) == 0 {
					o[i].name = qSome(g.r, name)
				}
			}
		}
	}},
	{name: "valid/escaped-values", valid: true, objects: func(g *gen) {
		for _, o := range []object{g.header, g.payload} {
			for i := range o {
				if s, ok := unquote(o[i].value); ok && strings.HasPrefix(o[i].value, `"`) && g.r.IntN(3) != 0 {
					if g.r.IntN(2) == 0 {
						o[i].value = qAll(s)
					} else {
						o[i].value = strings.ReplaceAll(qSome(g.r, s), "/", `\/`)
					}
				}
			}
		}
	}},
	{name: "valid/aud-forms", valid: true, objects: func(g *gen) {
		g.payload.set("aud", pick(g, []string{q(diffAudience), "[" + q(diffAudience) + "]",
			`["urn:a",` + q(diffAudience) + `,"urn:b"]`, "[" + q(diffAudience) + "," + q(diffAudience) + "]"}))
	}},
	{name: "valid/numericdate-forms", valid: true, objects: func(g *gen) {
		g.payload.set("exp", pick(g, []string{"1.8e9", "1.8E9", "1.8e+9", "18e8", "1800000000.0", "180000000000e-2",
			"1800000000.999", "0.18e10", "1.8000000000e9", "1795352400.25"}))
		if g.r.IntN(2) == 0 {
			g.payload.set("nbf", []string{"1.7e9", "0", "-0", "-0.0", "1795348800.5", "17e8"}[g.r.IntN(6)])
		}
		if g.r.IntN(2) == 0 {
			g.payload.set("iat", []string{"1.7e9", "1795348000.999", "1795348830", "0.5"}[g.r.IntN(4)])
		}
	}},
	{name: "valid/leeway-edges", valid: true, objects: func(g *gen) {
		now := g.now()
		switch g.r.IntN(4) {
		case 0:
			g.payload.set("exp", num(now-29))
			g.note = "exp = now-29"
		case 1:
			g.payload.set("nbf", num(now+30))
			g.note = "nbf = now+30"
		case 2:
			g.payload.set("iat", num(now+30))
			g.note = "iat = now+30"
		default:
			g.payload.set("nbf", num(now+30)+".9")
			g.note = "nbf = now+30.9"
		}
	}},
	{name: "valid/typ-forms", valid: true, objects: func(g *gen) {
		g.header.set("typ", q(pick(g, []string{"AT+JWT", "application/at+jwt", "APPLICATION/At+Jwt", "At+jwt"})))
	}},
	{name: "valid/extra-claims", valid: true, objects: func(g *gen) {
		g.payload = append(g.payload,
			member{q("x_nested"), `{"a":[1,2,{"b":[true,false,null]}],"c":{"d":{"e":{}}},"f":[]}`},
			member{q("x_numbers"), `[0,-0,1e400,-1.5E-7,123456789012345678901234567890,0.0]`},
			member{q("x_text"), `"\ud83d\ude00 \u00e9 \u0000 \/ \b\f\n\r\t"`},
			member{q("x_" + g.word(3)), q(g.word(10))},
		)
	}},
	{name: "valid/extra-header", valid: true, objects: func(g *gen) {
		g.header = append(g.header,
			member{q("jku"), q("https://keys.evil.example/jwks.json")},
			member{q("x5u"), q("https://keys.evil.example/cert.pem")},
			member{q("x-trace"), `{"id":"abc","spans":[1,2,3]}`},
		)
		if g.r.IntN(2) == 0 {
			g.header = append(g.header, member{q("b64"), "true"})
		}
	}},
	{name: "valid/kid-escaped", valid: true, objects: func(g *gen) { g.header.set("kid", qAll(g.key.kid)) }},
	{name: "valid/near-size-limit", valid: true, json: func(g *gen) { g.padTo(8000 + g.r.IntN(190)) }},
	{name: "valid/nesting-at-limit", valid: true, objects: func(g *gen) {
		// depth 32 counting the payload object itself
		g.payload.set("x_deep", strings.Repeat("[", 31)+strings.Repeat("]", 31))
	}},
	{name: "valid/ecdsa-high-s", valid: true, only: []string{"ES"}, post: func(g *gen) {
		n := ecOrder(g.key.raw)
		half := len(g.sig) / 2
		s := new(big.Int).SetBytes(g.sig[half:])
		s.Sub(n, s).FillBytes(g.sig[half:])
		g.s64 = b64.EncodeToString(g.sig)
	}},

	// ---------------------------------------------------------- tampering
	{name: "sig/bitflip", post: func(g *gen) {
		g.sig[g.r.IntN(len(g.sig))] ^= 1 << g.r.IntN(8)
		g.s64 = b64.EncodeToString(g.sig)
	}},
	{name: "header/bitflip-unsigned", post: func(g *gen) {
		b := append([]byte(nil), g.hjson...)
		b[g.r.IntN(len(b))] ^= 1 << g.r.IntN(8)
		g.h64 = b64.EncodeToString(b)
	}},
	{name: "payload/bitflip-unsigned", post: func(g *gen) {
		b := append([]byte(nil), g.pjson...)
		b[g.r.IntN(len(b))] ^= 1 << g.r.IntN(8)
		g.p64 = b64.EncodeToString(b)
	}},
	{name: "header/bitflip-resigned", objects: func(g *gen) { g.flipMember(g.header, false) }},
	{name: "payload/bitflip-resigned", objects: func(g *gen) { g.flipMember(g.payload, true) }},
	{name: "text/char-substitution", post: func(g *gen) {
		parts := []*string{&g.h64, &g.p64, &g.s64}
		p := g.r.IntN(3)
		s := *parts[p]
		pos := g.r.IntN(len(s))
		c := s[pos]
		for c == s[pos] {
			c = b64chars[g.r.IntN(64)]
		}
		*parts[p] = s[:pos] + string(c) + s[pos+1:]
		g.notef("part %d char %d %q -> %q", p, pos, s[pos], c)
		if p == 2 {
			if d, err := b64lenient.DecodeString(g.s64); err == nil && string(d) == string(g.sig) {
				g.tags["noncanonical"] = true
			}
		}
	}},

	// ---------------------------------------------------------- alg
	{name: "alg/swap-unsigned", objects: func(g *gen) {
		alg := g.key.alg
		for alg == g.key.alg {
			alg = append(allAlgNames, "none")[g.r.IntN(len(allAlgNames)+1)]
		}
		g.header.set("alg", q(alg))
		g.notef("alg %s", alg)
	}},
	{name: "alg/swap-resigned", only: []string{"HS", "RS", "PS", "ES"}, objects: func(g *gen) {
		family := map[string][]string{"HS": {"HS256", "HS384", "HS512"}, "RS": {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"},
			"ES": {"ES256", "ES384", "ES512"}}
		fam := family[g.key.alg[:2]]
		if fam == nil {
			fam = family["RS"]
		}
		alg := g.key.alg
		for alg == g.key.alg {
			alg = fam[g.r.IntN(len(fam))]
		}
		g.header.set("alg", q(alg))
		g.signAlg = alg // same key material, other algorithm
		g.notef("alg %s signed with %s's key", alg, g.key.kid)
	}},
	{name: "alg/none", objects: func(g *gen) {
		g.header.set("alg", q(pick(g, []string{"none", "None", "NONE", "nOnE"})))
		if g.r.IntN(2) == 0 {
			g.noSign = true
			g.note += ", empty signature"
		}
	}},
	{name: "alg/confusion-hmac-with-public-key", only: []string{"RS", "PS", "ES", "Ed"}, objects: func(g *gen) {
		alg := []string{"HS256", "HS384", "HS512"}[g.r.IntN(3)]
		g.header.set("alg", q(alg))
		g.signAlg = alg
		der := pkixPublic(g.key)
		secret := der
		if g.r.IntN(2) == 0 {
			secret = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		}
		g.signWith = rawKey{secret: secret}
		g.notef("%s keyed with the public key of %s", alg, g.key.kid)
	}},
	{name: "alg/malformed", objects: func(g *gen) {
		v := pick(g, []string{"", "256", "null", `["` + g.key.alg + `"]`, q(strings.ToLower(g.key.alg)), q(g.key.alg + " "), q(""), "true"})
		if v == "" {
			g.header.del("alg")
		} else {
			g.header.set("alg", v)
		}
	}},

	// ---------------------------------------------------------- compact form
	{name: "parts/shape", token: func(g *gen) {
		h, p, s := g.h64, g.p64, g.s64
		g.token = pick(g, []string{h + "." + p, p + "." + s, h + "." + s, h + "." + p + ".", h + "." + p + "." + s + ".",
			"." + h + "." + p + "." + s, h + "." + p + "." + s + "." + s, h + "." + h + "." + p + "." + s, p + "." + h + "." + s,
			h + ".." + s, "..", "", h + "." + p + "." + s + "." + p + "." + s,
			`{"protected":"` + h + `","payload":"` + p + `","signature":"` + s + `"}`})
	}},
	{name: "b64/padding", encode: func(g *gen) {
		pad := func(s string) string {
			if n := len(s) % 4; n != 0 {
				return s + strings.Repeat("=", 4-n)
			}
			return s + "===="
		}
		switch g.r.IntN(3) {
		case 0:
			g.h64 = pad(g.h64)
			g.note = "header padded, signed"
		case 1:
			g.p64 = pad(g.p64)
			g.note = "payload padded, signed"
		default:
			g.note = "signature padded"
			g.tags["pad-sig"] = true
		}
	}, post: func(g *gen) {
		if g.tags["pad-sig"] {
			g.s64 += strings.Repeat("=", 4-len(g.s64)%4)
		}
	}},
	{name: "b64/std-alphabet", encode: func(g *gen) {
		std := strings.NewReplacer("-", "+", "_", "/")
		if g.r.IntN(2) == 0 {
			h, p := std.Replace(g.h64), std.Replace(g.p64)
			if h != g.h64 || p != g.p64 {
				g.h64, g.p64 = h, p
				g.note = "header and payload, signed"
				return
			}
		}
		g.tags["std-sig"] = true
		g.note = "signature"
	}, post: func(g *gen) {
		if g.tags["std-sig"] {
			s := strings.NewReplacer("-", "+", "_", "/").Replace(g.s64)
			if s == g.s64 {
				g.note = "no-op: no - or _ in the signature"
			}
			g.s64 = s
		}
	}},
	{name: "token/whitespace", token: func(g *gen) {
		ws := []string{" ", "\t", "\v", "\f", "\u00a0"}[g.r.IntN(5)]
		g.token = insertAt(g.token, g.r.IntN(len(g.token)+1), ws)
		g.notef("%q inserted", ws)
	}},
	{name: "token/line-break", encode: func(g *gen) {
		g.tags["linebreak"] = true
		br := []string{"\n", "\r\n", "\r"}[g.r.IntN(3)]
		switch v := g.r.IntN(5); v {
		case 0:
			g.h64 = insertAt(g.h64, g.r.IntN(len(g.h64)+1), br)
			g.notef("%q in header, signed", br)
		case 1:
			g.p64 = insertAt(g.p64, g.r.IntN(len(g.p64)+1), br)
			g.notef("%q in payload, signed", br)
		case 2:
			g.h64 = br + g.h64
			g.notef("%q before the token, signed", br)
		default:
			g.notef("%q in signature (%d)", br, v)
			g.tags["br-sig"] = true
		}
	}, post: func(g *gen) {
		if g.tags["br-sig"] {
			br := []string{"\n", "\r\n"}[g.r.IntN(2)]
			g.s64 = insertAt(g.s64, g.r.IntN(len(g.s64)+1), br)
		}
	}},
	{name: "b64/non-canonical", json: func(g *gen) {
		g.tags["noncanonical"] = true
		v := g.r.IntN(3)
		if v == 2 && sigLen(g.signAlg)%3 == 0 {
			v = g.r.IntN(2) // the signature has no spare bits
		}
		g.notef("part %d", v)
		switch v {
		case 0:
			for len(g.hjson)%3 == 0 {
				g.hjson = append(g.hjson, ' ')
			}
			g.tags["nc-header"] = true
		case 1:
			for len(g.pjson)%3 == 0 {
				g.pjson = append(g.pjson, ' ')
			}
			g.tags["nc-payload"] = true
		default:
			g.tags["nc-sig"] = true
		}
	}, encode: func(g *gen) {
		if g.tags["nc-header"] {
			g.h64, _ = setSpareBits(g.r, g.h64)
		}
		if g.tags["nc-payload"] {
			g.p64, _ = setSpareBits(g.r, g.p64)
		}
	}, post: func(g *gen) {
		if g.tags["nc-sig"] {
			var ok bool
			if g.s64, ok = setSpareBits(g.r, g.s64); !ok {
				panic("signature without spare bits")
			}
		}
	}},

	// ---------------------------------------------------------- kid
	{name: "kid/changed", objects: func(g *gen) {
		other := otherKey(g)
		switch v := g.r.IntN(9); v {
		case 0:
			g.header.set("kid", q("kid-unknown"))
		case 1:
			g.header.del("kid")
		case 2:
			g.header.set("kid", q(other.kid))
		case 3:
			g.header.set("kid", q(strings.ToUpper(g.key.kid)))
		case 4:
			g.header.set("kid", "5")
		case 5:
			g.header.set("kid", "null")
		case 6:
			g.header.set("kid", q(""))
		case 7:
			g.header.set("kid", q(g.key.kid+" "))
		default:
			g.header.set("kid", q(other.kid)) // the other key's kid and alg, our signature
			g.header.set("alg", q(other.alg))
		}
		g.notef("kid %s (other key %s)", g.header.get("kid"), other.kid)
	}},
	{name: "kid/duplicate", objects: func(g *gen) {
		g.tags["dup"] = true
		other := otherKey(g)
		extra := member{q("kid"), q([]string{other.kid, "kid-unknown", g.key.kid}[g.r.IntN(3)])}
		if g.r.IntN(2) == 0 {
			g.header = append(object{extra}, g.header...)
		} else {
			g.header = append(g.header, extra)
		}
		g.notef("extra kid %s", extra.value)
	}},

	// ---------------------------------------------------------- typ
	{name: "typ/wrong", objects: func(g *gen) {
		v := pick(g, []string{q("JWT"), q("jwt"), q("at+jwt2"), q("application/jwt"), q(""), q("at-jwt"), q("at+jwt "),
			q("application/"), q("application/application/at+jwt"), q("id_token+jwt"), "5", "null", `["at+jwt"]`, ""})
		if v == "" {
			g.header.del("typ")
		} else {
			g.header.set("typ", v)
		}
	}},

	// ---------------------------------------------------------- signatures
	{name: "ecdsa/der-signature", only: []string{"ES"}, post: func(g *gen) {
		half := len(g.sig) / 2
		der, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(g.sig[:half]), new(big.Int).SetBytes(g.sig[half:])})
		if err != nil {
			panic(err)
		}
		g.sig = der
		g.s64 = b64.EncodeToString(der)
	}},
	{name: "ecdsa/scalar-out-of-range", only: []string{"ES"}, post: func(g *gen) {
		n := ecOrder(g.key.raw)
		half := len(g.sig) / 2
		zero := new(big.Int)
		switch g.r.IntN(5) {
		case 0:
			zero.FillBytes(g.sig[:half])
			g.note = "r = 0"
		case 1:
			zero.FillBytes(g.sig[half:])
			g.note = "s = 0"
		case 2:
			n.FillBytes(g.sig[:half])
			g.note = "r = n"
		case 3:
			n.FillBytes(g.sig[half:])
			g.note = "s = n"
		default:
			r := new(big.Int).SetBytes(g.sig[:half])
			if r.Add(r, n).BitLen() <= half*8 {
				r.FillBytes(g.sig[:half])
				g.note = "r + n"
			} else {
				zero.FillBytes(g.sig)
				g.note = "r = s = 0"
			}
		}
		g.s64 = b64.EncodeToString(g.sig)
	}},
	{name: "ecdsa/padded-scalars", only: []string{"ES"}, post: func(g *gen) {
		half := len(g.sig) / 2
		g.sig = append(append(append([]byte{0}, g.sig[:half]...), 0), g.sig[half:]...)
		g.s64 = b64.EncodeToString(g.sig)
	}},
	{name: "sig/length", post: func(g *gen) {
		switch g.r.IntN(4) {
		case 0:
			g.sig = g.sig[:len(g.sig)-1]
			g.note = "truncated"
		case 1:
			g.sig = append(g.sig, 0)
			g.note = "zero appended"
		case 2:
			g.sig = append([]byte{0}, g.sig...)
			g.note = "zero prepended"
		default:
			g.sig = nil
			g.note = "empty"
		}
		g.s64 = b64.EncodeToString(g.sig)
	}},
	{name: "rsa/pss-salt-length", only: []string{"PS"}, objects: func(g *gen) {
		g.tags["pss-salt"] = true
		h := hashFunc(g.key.alg)
		salt := []int{0, 1, h.Size() / 2, h.Size() + 1, rsa.PSSSaltLengthAuto}[g.r.IntN(5)]
		g.notef("salt length %d", salt)
		priv := g.key.raw.priv.(*rsa.PrivateKey)
		g.signFn = func(input []byte) ([]byte, error) {
			d := h.New()
			d.Write(input)
			return rsa.SignPSS(rand.Reader, priv, h, d.Sum(nil), &rsa.PSSOptions{SaltLength: salt})
		}
	}},

	// ---------------------------------------------------------- time claims
	{name: "claims/expired", objects: func(g *gen) { g.payload.set("exp", num(g.now()-31-g.r.Int64N(1e6))) }},
	{name: "claims/exp-at-leeway-boundary", objects: func(g *gen) {
		g.tags["exp-boundary"] = true
		now := g.now()
		g.payload.set("exp", pick(g, []string{num(now - 30), num(now-30) + ".5", num(now-30) + ".999", "1795348770e0"}))
	}},
	{name: "claims/exp-missing", objects: func(g *gen) { g.payload.del("exp") }},
	{name: "claims/exp-not-a-number", objects: func(g *gen) {
		g.payload.set("exp", pick(g, []string{"null", "true", q("tomorrow"), "[" + num(g.now()+600) + "]", "{}", q("")}))
	}},
	{name: "claims/numericdate-as-string", objects: func(g *gen) {
		g.tags["date-string"] = true
		now := g.now()
		switch g.r.IntN(3) {
		case 0:
			g.payload.set("exp", q(num(now+600)))
			g.note = "exp"
		case 1:
			g.payload.set("nbf", q(num(now-600)))
			g.note = "nbf"
		default:
			g.payload.set("iat", q(num(now-600)))
			g.note = "iat"
		}
	}},
	{name: "claims/not-yet-valid", objects: func(g *gen) {
		name := []string{"nbf", "iat"}[g.r.IntN(2)]
		g.payload.set(name, num(g.now()+31+g.r.Int64N(1e5)))
		g.note = name
	}},
	{name: "claims/numericdate-out-of-range", objects: func(g *gen) {
		g.tags["date-range"] = true
		switch g.r.IntN(3) {
		case 0:
			g.payload.set("exp", pick(g, []string{"253402300800", "1e15", "99999999999999", "1e300", "9223372036854775808"}))
		case 1:
			g.payload.set("nbf", pick(g, []string{"-1", "-1.5e9", "-86400.5", "-9223372036854775809"}))
		default:
			g.payload.set("iat", pick(g, []string{"-1", "-3600", "-1e9"}))
		}
	}},

	// ---------------------------------------------------------- iss, aud
	{name: "claims/issuer-wrong", objects: func(g *gen) {
		v := pick(g, []string{q("https://evil.example"), q(strings.ToUpper(diffIssuer)), q(diffIssuer + "/"), q(""),
			"null", "[" + q(diffIssuer) + "]", "5", "", q(diffIssuer + "\u0000")})
		if v == "" {
			g.payload.del("iss")
		} else {
			g.payload.set("iss", v)
		}
	}},
	{name: "claims/audience-wrong", objects: func(g *gen) {
		v := pick(g, []string{q("https://evil.example"), q(strings.ToUpper(diffAudience)), q(diffAudience + "/"), "[]", q(""),
			"null", `["urn:a","urn:b"]`, "5", "[5]", "", "[[" + q(diffAudience) + "]]", `{"aud":` + q(diffAudience) + `}`})
		if v == "" {
			g.payload.del("aud")
		} else {
			g.payload.set("aud", v)
		}
	}},

	// ---------------------------------------------------------- claim types
	{name: "claims/null-value", objects: func(g *gen) {
		g.tags["null-claim"] = true
		name := pick(g, []string{"sub", "jti", "client_id", "scope", "sid", "roles", "email", "nbf", "iat"})
		g.payload.set(name, "null")
		g.note = name
	}},
	{name: "claims/wrong-type", objects: func(g *gen) {
		v := pick(g, []member{{"email", "5"}, {"roles", q("admin")}, {"sid", "1"}, {"scope", `["a","b"]`}, {"sub", "{}"},
			{"jti", "true"}, {"client_id", "1.5"}, {"roles", `["a",1]`}, {"roles", `[["a"]]`}})
		g.payload.set(v.name, v.value)
	}},
	{name: "claims/oidc-claim-wrong-type", objects: func(g *gen) {
		g.tags["oidc-type"] = true
		v := pick(g, []member{{"auth_time", q("yesterday")}, {"azp", "5"}, {"nonce", "{}"}, {"at_hash", "1"},
			{"email_verified", q("true")}, {"name", "[]"}, {"auth_time", "-5"}, {"email_verified", "1"}})
		g.payload.set(v.name, v.value)
	}},
	{name: "claims/not-an-object", json: func(g *gen) {
		g.pjson = []byte(pick(g, []string{"[]", `"claims"`, "null", "1", "true", "{}", "[" + string(g.pjson) + "]", ""}))
	}},

	// ---------------------------------------------------------- JSON
	{name: "json/trailing-data", json: func(g *gen) {
		extra := pick(g, []string{"x", "{}", "]", ",", "\x00", "null", "}", " 1"})
		if g.r.IntN(2) == 0 {
			g.hjson = append(g.hjson, extra...)
			g.note += " after header"
		} else {
			g.pjson = append(g.pjson, extra...)
			g.note += " after payload"
		}
	}},
	{name: "json/syntax", objects: func(g *gen) {
		switch v := g.r.IntN(14); v {
		case 0:
			g.payload.set("exp", "0"+num(g.now()+600))
			g.note = "leading zero"
		case 1:
			g.payload.set("exp", "+"+num(g.now()+600))
			g.note = "plus sign"
		case 2:
			g.payload.set("exp", []string{"NaN", "Infinity", "-Infinity"}[g.r.IntN(3)])
			g.note = "NaN/Infinity"
		case 3:
			g.payload.set("exp", num(g.now()+600)+".")
			g.note = "trailing dot"
		case 4:
			g.payload.set("exp", "0x6b0a7000")
			g.note = "hex"
		case 5:
			g.payload.set("sub", "\"a\x01b\"")
			g.note = "raw control character"
		case 6:
			g.payload.set("sub", `"a\xb"`)
			g.note = "bad escape"
		case 7:
			g.payload.set("sub", `'single'`)
			g.note = "single quotes"
		default:
			g.tags["syntax-json"] = true
			g.notef("text %d", v)
		}
	}, json: func(g *gen) {
		if !g.tags["syntax-json"] {
			return
		}
		target := &g.pjson
		if g.r.IntN(2) == 0 {
			target = &g.hjson
		}
		s := string(*target)
		switch g.r.IntN(7) {
		case 0:
			s = s[:len(s)-1] + ",}"
		case 1:
			s = "{/*c*/" + s[1:]
		case 2:
			s = "\xef\xbb\xbf" + s
		case 3:
			s = "{\f" + s[1:]
		case 4:
			s = s[:len(s)-1]
		case 5:
			s = strings.Replace(s, `"`, `'`, 2)
		default:
			s = "{" + strings.Replace(s[1:], `"`, "", 2)
		}
		*target = []byte(s)
	}},
	{name: "json/duplicate-member", objects: func(g *gen) {
		g.tags["dup"] = true
		now := g.now()
		dup := func(o *object, name, first string, last bool) {
			m := member{q(name), first}
			if last {
				*o = append(*o, m)
			} else {
				*o = append(object{m}, *o...)
			}
		}
		switch v := g.r.IntN(12); v {
		case 0:
			dup(&g.header, "alg", q(g.key.alg), g.r.IntN(2) == 0)
			g.note = "header alg, same value"
		case 1:
			dup(&g.header, "alg", q("none"), false)
			g.note = "header alg none first"
		case 2:
			dup(&g.header, "typ", q("JWT"), false)
			g.note = "header typ JWT first"
		case 3:
			dup(&g.payload, "exp", num(now-3600), false)
			g.note = "payload expired exp first"
		case 4:
			dup(&g.payload, "iss", q("https://evil.example"), false)
			g.note = "payload evil iss first"
		case 5:
			dup(&g.payload, "aud", q("https://evil.example"), false)
			g.note = "payload evil aud first"
		case 6:
			dup(&g.payload, "sub", q("admin"), g.r.IntN(2) == 0)
			g.note = "payload sub"
		case 7:
			dup(&g.payload, "exp", g.payload.get("exp"), true)
			g.note = "payload exp same value"
		case 8:
			g.payload = append(g.payload, member{`"\u0065xp"`, g.payload.get("exp")})
			g.note = "payload exp and \\u0065xp"
		case 9:
			g.payload = append(g.payload, member{q("x_obj"), `{"role":"user","role":"admin"}`})
			g.note = "inside an unknown claim"
		case 10:
			g.payload = append(g.payload, member{q("x_dup"), "1"}, member{q("x_dup"), "2"})
			g.note = "unknown claim"
		default:
			g.header = append(g.header, member{q("x-h"), "1"}, member{`"x\u002dh"`, "2"})
			g.note = "unknown header member, escaped"
		}
	}},
	{name: "json/claim-name-case", objects: func(g *gen) {
		g.tags["name-case"] = true
		v := pick(g, []member{{"exp", q("EXP")}, {"exp", q("Exp")}, {"exp", q("eXP")}, {"iss", q("ISS")}, {"iss", q("Iss")},
			{"iss", q("iſs")}, {"iss", `"i\u017fs"`}, {"aud", q("AUD")}, {"aud", q("aUd")}, {"sub", q("SUB")}, {"nbf", q("NBF")}})
		g.payload.rename(v.name, v.value)
	}},
	{name: "json/invalid-utf8", objects: func(g *gen) {
		g.tags["invalid-utf8"] = true
		bad := pick(g, []string{"\xff", "\xc0\xaf", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"})
		switch g.r.IntN(4) {
		case 0:
			g.payload.set("sub", q("usr_"+bad+"x"))
		case 1:
			g.payload.set("email", q(g.word(3)+bad+"@example.org"))
		case 2:
			g.payload.set("x_note", q("n"+bad))
		default:
			g.header.set("x-note", q(bad))
		}
	}},
	{name: "json/lone-surrogate", objects: func(g *gen) {
		g.tags["invalid-utf8"] = true
		bad := pick(g, []string{`\ud800`, `\udfff`, `\ud800\u0041`, `\udc00\ud800`, `\ud83d`})
		if g.r.IntN(2) == 0 {
			g.payload.set("sub", `"usr_`+bad+`"`)
		} else {
			g.payload.set("x_note", `"`+bad+`"`)
		}
	}},
	{name: "json/nesting-too-deep", objects: func(g *gen) {
		g.tags["deep"] = true
		depth := pick(g, []int{33, 34, 64, 1000})
		g.payload.set("x_deep", strings.Repeat("[", depth-1)+strings.Repeat("]", depth-1))
		g.notef("depth %d", depth)
	}},

	// ---------------------------------------------------------- header extensions
	{name: "header/crit", objects: func(g *gen) {
		g.tags["crit"] = true
		now := g.now()
		v := pick(g, []object{
			{{q("crit"), `["exp"]`}, {q("exp"), num(now + 600)}},
			{{q("crit"), `["b64"]`}, {q("b64"), "true"}},
			{{q("crit"), `[]`}},
			{{q("crit"), `["x-ext"]`}, {q("x-ext"), "1"}},
			{{q("crit"), q("b64")}, {q("b64"), "true"}},
			{{q("crit"), `["b64"]`}},
			{{q("crit"), `["alg"]`}},
		})
		g.header = append(g.header, v...)
	}},
	{name: "header/b64-false", objects: func(g *gen) {
		g.tags["b64false"] = true
		switch v := g.r.IntN(4); v {
		case 0, 1:
			g.header = append(g.header, member{q("b64"), "false"})
		default:
			g.header = append(g.header, member{q("b64"), "false"}, member{q("crit"), `["b64"]`})
			g.tags["crit"] = true
		}
		if g.r.IntN(2) == 0 {
			// Sign as RFC 7797 says: header "." raw payload, while the
			// compact payload stays base64url.
			g.tags["rfc7797-input"] = true
		}
		g.notef("crit %v, RFC 7797 input %v", g.tags["crit"], g.tags["rfc7797-input"])
	}, encode: func(g *gen) {
		if g.tags["rfc7797-input"] {
			g.signFn = func([]byte) ([]byte, error) {
				return rawSign(g.signAlg, g.signWith, append([]byte(g.h64+"."), g.pjson...))
			}
		}
	}},
	{name: "header/jwe-member", objects: func(g *gen) {
		// "zip" and "enc" belong to JWE (RFC 7516 §4.1); signet refuses a
		// JWS that carries them (security rule 7: no compressed tokens).
		g.tags["jwe-member"] = true
		g.header = append(g.header, pick(g, []object{
			{{q("zip"), q("DEF")}},
			{{q("enc"), q("A128GCM")}},
			{{q("zip"), q("DEF")}, {q("enc"), q("A256GCM")}},
		})...)
	}},
	{name: "header/embedded-jwk-attacker", objects: func(g *gen) {
		a := attacker()
		pub, err := a.PublicKey.Bytes()
		if err != nil {
			panic(err)
		}
		x, y := pub[1:33], pub[33:]
		g.header.set("alg", q("ES256"))
		g.header = append(g.header, member{q("jwk"), fmt.Sprintf(`{"kty":"EC","crv":"P-256","x":%q,"y":%q}`,
			b64.EncodeToString(x), b64.EncodeToString(y))})
		g.signAlg = "ES256"
		g.signWith = rawKey{priv: a}
	}},

	// ---------------------------------------------------------- size
	{name: "size/over-limit", json: func(g *gen) {
		g.padTo(pick(g, []int{jose.DefaultMaxTokenSize + 1, 9000, 16 << 10, 64 << 10, 256 << 10}))
	}},
}
