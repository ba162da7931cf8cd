package bench

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/cryptotest"
	"text/tabwriter"
	"time"

	gojose "github.com/go-jose/go-jose/v4"
	gojosejwt "github.com/go-jose/go-jose/v4/jwt"
	gjwt "github.com/golang-jwt/jwt/v5"

	"github.com/signet-dev/signet/jose"
)

// The differential test: many random valid and mutated tokens, each judged
// by signet, go-jose v4 and golang-jwt v5 configured alike: the same keys
// found by kid with the algorithm bound to the key, the same issuer,
// audience, exp (required), nbf and iat checks with the same 30 s leeway and
// clock, and the same "typ" rule. It passes only if
//
//	(a) every token signet accepts is accepted by both peers, and
//	(b) every token signet refuses while a peer accepts falls into one of the
//	    named categories below, recognised from how the case was generated
//	    (the tags its generator set), for that peer, with signet's error
//	    wrapping the sentinel the category names.
//
// The cases are generated from a fixed seed, and crypto randomness is made
// deterministic with cryptotest.SetGlobalRandom, so every run judges the
// same tokens.

const (
	diffIssuer   = "https://id.signet.example"
	diffAudience = "https://api.signet.example"
	diffLeeway   = 30 * time.Second
	diffCases    = 4000
	diffSeed     = 20261122
)

// diffNow is the verifiers' fixed clock (1795348800). 1.8e9 lies 52 days
// later, so "exp": 1.8e9 is a valid expiry.
var diffNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

var libs = []string{"signet", "golang-jwt", "go-jose"}

// category is a named, explained way in which signet is deliberately
// stricter than a peer.
type category struct {
	name   string
	tag    string   // the generator tag that puts a case in this category
	peers  []string // the peers that may accept such a token
	errs   []error  // signet's refusal must wrap one of these
	reason string
}

// categories, in the order the classifier tries them.
var categories = []category{
	{"duplicate-member", "dup", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"RFC 7515 §4 and RFC 7519 §4 let a parser either reject duplicate member names or keep the lexically last; signet rejects them, so that no two parsers can read one token two ways. golang-jwt decodes with encoding/json, which keeps the last member; go-jose rejects duplicates in the members it decodes but not inside a claim it skips."},
	{"b64-false", "b64false", []string{"golang-jwt", "go-jose"}, []error{jose.ErrUnsupportedHeader},
		"RFC 7797 \"b64\": false changes what the signature covers; signet does not implement it and refuses it. golang-jwt ignores the header and checks the signature over the encoded payload; go-jose honours it (even without \"crit\", which RFC 7797 §6 requires) and checks the raw payload — the same token means different things to the two."},
	{"crit-header", "crit", []string{"golang-jwt", "go-jose"}, []error{jose.ErrUnsupportedHeader},
		"RFC 7515 §4.1.11: a recipient must reject a JWS whose \"crit\" lists an extension it does not understand; signet implements none, so any \"crit\" is refused. golang-jwt ignores \"crit\" altogether; go-jose understands \"b64\", so it accepts crit:[\"b64\"] (with or without a \"b64\" member) and an empty crit list, which RFC 7515 §4.1.11 forbids."},
	{"jwe-member", "jwe-member", []string{"golang-jwt", "go-jose"}, []error{jose.ErrUnsupportedHeader},
		"RFC 7516 §4.1: \"zip\" and \"enc\" are JWE header members; in a JWS they ask for decompression or decryption that signet never does, and security rule 7 refuses compressed tokens outright (decompression bombs), so signet refuses the token. Both peers ignore them in a JWS."},
	{"line-break", "linebreak", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"RFC 7515 §2 and §7.1: base64url without line breaks or other characters. Go's base64 decoders silently skip \\r and \\n, so golang-jwt accepts line breaks in any part (its signature covers the text, breaks included) and go-jose accepts them in the signature (it re-encodes the header and payload it decoded)."},
	{"non-canonical-base64", "noncanonical", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"RFC 7515 §2 with RFC 4648 §3.5: a last character with non-zero spare bits is not the encoding of the bytes, and accepting it gives one token several spellings (defeating deny lists and caches keyed by the token string). golang-jwt accepts it by default (WithStrictDecoding() would refuse); go-jose always accepts it."},
	{"token-size", "size", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"signet refuses a token longer than DefaultMaxTokenSize (8 KiB) before decoding anything, bounding the work an attacker can cause; neither peer has a size limit."},
	{"nesting-depth", "deep", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"signet's JSON decoder refuses arrays and objects nested deeper than 32 levels (bounded work, no deep recursion); encoding/json allows 10000 and go-jose's fork has no limit."},
	{"invalid-utf8", "invalid-utf8", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"RFC 8259 §8.1: JSON text must be UTF-8, and RFC 7515 §5.2 and RFC 7519 §7.2 require a completely valid JSON object. encoding/json and go-jose's fork replace invalid bytes and unpaired surrogate escapes (\\ud800) with U+FFFD, so byte-different claims read alike; signet refuses them."},
	{"claim-name-case", "name-case", []string{"golang-jwt"}, []error{jose.ErrMissingClaim, jose.ErrWrongIssuer, jose.ErrWrongAudience},
		"RFC 7519 §4 and §7.3: claim names are compared exactly, so \"EXP\" or \"iſs\" is not \"exp\" or \"iss\". encoding/json matches struct fields case-insensitively (with Unicode folding: ſ is s, K is k), so golang-jwt reads them as the registered claims; go-jose's fork matches exactly, as signet does."},
	{"null-claim", "null-claim", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"RFC 7519 §4.1: sub, jti and the other string claims are strings, nbf and iat are NumericDates, roles is an array; null is none of these, and signet's claims decoder refuses a claim of the wrong type. encoding/json leaves the field empty on null, so the peers accept the token as if the claim were absent."},
	{"numericdate-range", "date-range", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"signet reads a NumericDate as 0..253402300799 (year 9999) and refuses negative values or later dates as malformed; the peers accept e.g. \"nbf\": -1 or \"exp\": 1e15 (a token that never expires)."},
	{"numericdate-string", "date-string", []string{"golang-jwt"}, []error{jose.ErrMalformed},
		"RFC 7519 §2: a NumericDate is a JSON number. golang-jwt decodes it through json.Number, which also takes a string holding a number (\"exp\": \"1800000000\")."},
	{"exp-boundary", "exp-boundary", []string{"go-jose"}, []error{jose.ErrExpired},
		"RFC 7519 §4.1.4: the current time must be before exp. With leeway L, signet (like golang-jwt) refuses from now = exp + L on; go-jose's test is now - L > exp, so it still accepts at now = exp + L exactly (and for a fractional exp within that second)."},
	{"pss-salt-length", "pss-salt", []string{"golang-jwt", "go-jose"}, []error{jose.ErrBadSignature},
		"RFC 7518 §3.5: the PSS salt is as long as the hash output; signet verifies with that salt length only. golang-jwt (PSSSaltLengthAuto) and go-jose (nil options, auto) accept any salt length."},
	{"signet-typed-claim", "oidc-type", []string{"golang-jwt", "go-jose"}, []error{jose.ErrMalformed},
		"signet's Claims also decodes the OpenID Connect claims auth_time, azp, nonce, at_hash, email_verified and name, and a value of the wrong JSON type there is malformed; the peers' typed claims (the fields these access tokens carry) do not have these fields and skip them."},
}

func categoryByName(name string) *category {
	for i := range categories {
		if categories[i].name == name {
			return &categories[i]
		}
	}
	return nil
}

// classify returns the category that explains why signet refused a token
// that peer accepted, or nil. It looks only at the tags the generator set
// while making the case, at the peer, and at signet's error.
func classify(c *dcase, peer string) *category {
	for i := range categories {
		cat := &categories[i]
		if !c.tags[cat.tag] || !slices.Contains(cat.peers, peer) {
			continue
		}
		for _, e := range cat.errs {
			if errors.Is(c.errs[0], e) {
				return cat
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------- keys

// dkey is one key of the differential key sets.
type dkey struct {
	kid, alg string
	raw      rawKey
	verify   any // what the peers verify with: secret, or public key
	signer   *jose.Signer
	set      *dset
}

// dset is a key set and the three verifiers over it. signet's KeySet cannot
// mix HMAC secrets with public keys, so there is one set of each.
type dset struct {
	name   string
	keys   []*dkey
	byKID  map[string]*dkey
	signet *jose.Verifier
	gjwt   *gjwt.Parser
}

var allAlgNames = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

var allGoJoseAlgs = func() []gojose.SignatureAlgorithm {
	var out []gojose.SignatureAlgorithm
	for _, a := range allAlgNames {
		out = append(out, gojose.SignatureAlgorithm(a))
	}
	return out
}()

func newDiffSets(t *testing.T) (hmacSet, asymSet *dset, all []*dkey) {
	t.Helper()
	var hmacKeys, asymKeys []*jose.Key
	hmacSet = &dset{name: "hmac", byKID: map[string]*dkey{}}
	asymSet = &dset{name: "asym", byKID: map[string]*dkey{}}
	add := func(s *dset, alg, kid string, k *jose.Key, raw rawKey, verify any) {
		signer, err := jose.NewSigner(k, jose.WithType(jose.TypeAccessToken))
		if err != nil {
			t.Fatal(err)
		}
		dk := &dkey{kid: kid, alg: alg, raw: raw, verify: verify, signer: signer, set: s}
		s.keys = append(s.keys, dk)
		s.byKID[kid] = dk
		all = append(all, dk)
	}
	for i, alg := range []jose.Algorithm{jose.HS256, jose.HS384, jose.HS512} {
		secret := make([]byte, 32+16*i)
		for j := range secret {
			secret[j] = byte(7*j + 31*i + 1)
		}
		kid := "hmac-" + strings.ToLower(string(alg))
		k, err := jose.NewHMACKey(alg, kid, secret)
		if err != nil {
			t.Fatal(err)
		}
		hmacKeys = append(hmacKeys, k)
		add(hmacSet, string(alg), kid, k, rawKey{secret: secret}, secret)
	}
	// One RSA key bound to six algorithms under six kids: the binding, not
	// the key material, must keep RS256 and PS256 apart.
	rsaKey, err := rsa.GenerateKey(nil, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range []jose.Algorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512} {
		kid := "rsa-" + strings.ToLower(string(alg))
		k, err := jose.NewPrivateKey(alg, kid, rsaKey)
		if err != nil {
			t.Fatal(err)
		}
		asymKeys = append(asymKeys, k.Public())
		add(asymSet, string(alg), kid, k, rawKey{priv: rsaKey}, &rsaKey.PublicKey)
	}
	for _, ac := range []struct {
		alg   jose.Algorithm
		curve elliptic.Curve
	}{{jose.ES256, elliptic.P256()}, {jose.ES384, elliptic.P384()}, {jose.ES512, elliptic.P521()}} {
		p, err := ecdsa.GenerateKey(ac.curve, nil)
		if err != nil {
			t.Fatal(err)
		}
		kid := "ec-" + strings.ToLower(string(ac.alg))
		k, err := jose.NewPrivateKey(ac.alg, kid, p)
		if err != nil {
			t.Fatal(err)
		}
		asymKeys = append(asymKeys, k.Public())
		add(asymSet, string(ac.alg), kid, k, rawKey{priv: p}, &p.PublicKey)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := jose.NewPrivateKey(jose.EdDSA, "okp-eddsa", priv)
	if err != nil {
		t.Fatal(err)
	}
	asymKeys = append(asymKeys, k.Public())
	add(asymSet, "EdDSA", "okp-eddsa", k, rawKey{priv: priv}, pub)

	for _, s := range []struct {
		set  *dset
		keys []*jose.Key
	}{{hmacSet, hmacKeys}, {asymSet, asymKeys}} {
		ks, err := jose.NewKeySet(s.keys...)
		if err != nil {
			t.Fatal(err)
		}
		var algs []jose.Algorithm
		for _, a := range allAlgNames {
			algs = append(algs, jose.Algorithm(a))
		}
		s.set.signet, err = jose.NewVerifier(ks, jose.WithIssuer(diffIssuer), jose.WithAudience(diffAudience),
			jose.WithTokenType(jose.TypeAccessToken), jose.WithLeeway(diffLeeway), jose.WithAlgorithms(algs...),
			jose.WithClock(func() time.Time { return diffNow }))
		if err != nil {
			t.Fatal(err)
		}
		s.set.gjwt = gjwt.NewParser(gjwt.WithValidMethods(allAlgNames), gjwt.WithIssuer(diffIssuer),
			gjwt.WithAudience(diffAudience), gjwt.WithExpirationRequired(), gjwt.WithIssuedAt(),
			gjwt.WithLeeway(diffLeeway), gjwt.WithTimeFunc(func() time.Time { return diffNow }))
	}
	return hmacSet, asymSet, all
}

// verify judges token with one library; nil means accepted.
func (s *dset) verify(lib, token string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s panicked: %v", lib, r)
		}
	}()
	switch lib {
	case "signet":
		var c jose.Claims
		return s.signet.VerifyInto(token, &c)
	case "golang-jwt":
		var c gjwtClaims
		_, err := s.gjwt.ParseWithClaims(token, &c, s.gjwtKeyfunc)
		return err
	case "go-jose":
		return s.verifyGoJose(token)
	}
	panic("unknown lib " + lib)
}

// gjwtKeyfunc does what golang-jwt leaves to its caller: the typ check, the
// key by kid, and binding the token's alg to that key.
func (s *dset) gjwtKeyfunc(t *gjwt.Token) (any, error) {
	if typ, _ := t.Header["typ"].(string); !isAccessTokenType(typ) {
		return nil, errWrongType
	}
	kid, _ := t.Header["kid"].(string)
	k := s.byKID[kid]
	if k == nil {
		return nil, errNoKey
	}
	if t.Method.Alg() != k.alg {
		return nil, errWrongAlg
	}
	return k.verify, nil
}

// verifyGoJose: ParseSigned with every algorithm allowed, then by hand what
// go-jose leaves to its caller (typ, key by kid, alg bound to the key, exp
// required), then Claims and ValidateWithLeeway.
func (s *dset) verifyGoJose(token string) error {
	t, err := gojosejwt.ParseSigned(token, allGoJoseAlgs)
	if err != nil {
		return err
	}
	h := t.Headers[0]
	if typ, _ := h.ExtraHeaders[gojose.HeaderType].(string); !isAccessTokenType(typ) {
		return errWrongType
	}
	k := s.byKID[h.KeyID]
	if k == nil {
		return errNoKey
	}
	if h.Algorithm != k.alg {
		return errWrongAlg
	}
	var c gojoseClaims
	if err := t.Claims(k.verify, &c); err != nil {
		return err
	}
	if c.Expiry == nil {
		return errNoExpiry
	}
	return c.ValidateWithLeeway(gojosejwt.Expected{Issuer: diffIssuer, AnyAudience: gojosejwt.Audience{diffAudience}, Time: diffNow}, diffLeeway)
}

// ---------------------------------------------------------------- the test

// dcase is one generated token and its verdicts.
type dcase struct {
	id    int
	mut   *mutation
	key   *dkey
	note  string          // the variant the mutation chose
	tags  map[string]bool // what the generator did that may matter
	token string
	errs  [3]error // by libs index; nil = accepted
}

func (c *dcase) String() string {
	tok := c.token
	if len(tok) > 300 {
		tok = fmt.Sprintf("%s…(%d bytes)", tok[:300], len(tok))
	}
	return fmt.Sprintf("case %d %s [%s] key %s tags %v\n  token %q\n  signet: %v\n  golang-jwt: %v\n  go-jose: %v",
		c.id, c.mut.name, c.note, c.key.kid, sortedTags(c.tags), tok, c.errs[0], c.errs[1], c.errs[2])
}

func sortedTags(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestDifferential(t *testing.T) {
	cryptotest.SetGlobalRandom(t, diffSeed)
	start := time.Now()
	hmacSet, asymSet, allKeys := newDiffSets(t)
	_ = hmacSet
	_ = asymSet
	r := mrand.New(mrand.NewPCG(diffSeed, 0x6a05e))
	verbose := os.Getenv("DIFFERENTIAL_VERBOSE") != ""

	type mutStats struct {
		n        int
		accepted [3]int
	}
	stats := map[string]*mutStats{}
	catCounts := map[string]map[string]int{} // category -> peer -> count
	var failures []string
	fail := func(format string, args ...any) {
		if len(failures) < 40 {
			failures = append(failures, fmt.Sprintf(format, args...))
		} else if len(failures) == 40 {
			failures = append(failures, "… more failures left out")
		}
	}

	for id := 0; id < diffCases; id++ {
		m := &mutations[r.IntN(len(mutations))]
		c, err := generate(r, id, m, allKeys)
		if err != nil {
			t.Fatalf("case %d (%s): generating: %v", id, m.name, err)
		}
		for i, lib := range libs {
			c.errs[i] = c.key.set.verify(lib, c.token)
		}
		st := stats[m.name]
		if st == nil {
			st = &mutStats{}
			stats[m.name] = st
		}
		st.n++
		for i := range libs {
			if c.errs[i] == nil {
				st.accepted[i]++
			}
		}
		if m.valid && c.errs[0] != nil {
			fail("a valid token is refused by signet (generator or signet bug):\n%v", c)
		}
		if c.errs[0] == nil {
			for i := 1; i < len(libs); i++ {
				if c.errs[i] != nil {
					fail("(a) signet accepts what %s refuses:\n%v", libs[i], c)
				}
			}
			continue
		}
		for i := 1; i < len(libs); i++ {
			if c.errs[i] != nil {
				continue
			}
			cat := classify(c, libs[i])
			if cat == nil {
				fail("(b) signet refuses what %s accepts, in no listed category:\n%v", libs[i], c)
				continue
			}
			if verbose {
				t.Logf("%s accepts, signet refuses (%s):\n%v", libs[i], cat.name, c)
			}
			if catCounts[cat.name] == nil {
				catCounts[cat.name] = map[string]int{}
			}
			catCounts[cat.name][libs[i]]++
		}
	}

	// Summary tables.
	var sb strings.Builder
	tw := tabwriter.NewWriter(&sb, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\ncategory (signet refuses, peer accepts)\tgolang-jwt\tgo-jose\t\n")
	for _, cat := range categories {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", cat.name, catCounts[cat.name]["golang-jwt"], catCounts[cat.name]["go-jose"])
	}
	tw.Flush()
	var names []string
	for name := range stats {
		names = append(names, name)
	}
	slices.Sort(names)
	tw = tabwriter.NewWriter(&sb, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\nmutation\tcases\tsignet ok\tgolang-jwt ok\tgo-jose ok\t\n")
	var total mutStats
	for _, name := range names {
		st := stats[name]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", name, st.n, st.accepted[0], st.accepted[1], st.accepted[2])
		total.n += st.n
		for i := range total.accepted {
			total.accepted[i] += st.accepted[i]
		}
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t\n", total.n, total.accepted[0], total.accepted[1], total.accepted[2])
	tw.Flush()
	t.Logf("%d cases in %v%s", diffCases, time.Since(start).Round(time.Millisecond), sb.String())
	if path := os.Getenv("DIFFERENTIAL_SUMMARY"); path != "" {
		if err := os.WriteFile(path, []byte(sb.String()+"\n"+categoriesMarkdown(catCounts)), 0o644); err != nil {
			t.Error(err)
		}
	}
	if len(mutations) > len(stats) {
		for _, m := range mutations {
			if stats[m.name] == nil {
				t.Errorf("mutation %s was never drawn; raise diffCases", m.name)
			}
		}
	}
	for _, f := range failures {
		t.Error(f)
	}
}

// categoriesMarkdown is the category table of DIFFERENTIAL.md.
func categoriesMarkdown(counts map[string]map[string]int) string {
	var b strings.Builder
	b.WriteString("| category | golang-jwt accepts | go-jose accepts | signet's error wraps | reason |\n")
	b.WriteString("| --- | ---: | ---: | --- | --- |\n")
	for _, cat := range categories {
		var errs []string
		for _, e := range cat.errs {
			for _, name := range []string{"ErrMalformed", "ErrUnsupportedHeader", "ErrExpired", "ErrBadSignature", "ErrMissingClaim", "ErrWrongIssuer", "ErrWrongAudience"} {
				if e.Error() == sentinelByName[name].Error() {
					errs = append(errs, "`"+name+"`")
				}
			}
		}
		cell := func(peer string) string {
			if !slices.Contains(cat.peers, peer) {
				return "—"
			}
			return fmt.Sprint(counts[cat.name][peer])
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", cat.name, cell("golang-jwt"), cell("go-jose"),
			strings.Join(errs, ", "), cat.reason)
	}
	return b.String()
}

var sentinelByName = map[string]error{"ErrMalformed": jose.ErrMalformed, "ErrUnsupportedHeader": jose.ErrUnsupportedHeader,
	"ErrExpired": jose.ErrExpired, "ErrBadSignature": jose.ErrBadSignature, "ErrMissingClaim": jose.ErrMissingClaim,
	"ErrWrongIssuer": jose.ErrWrongIssuer, "ErrWrongAudience": jose.ErrWrongAudience}

// TestDifferentialCategoriesDocumented keeps DIFFERENTIAL.md in step with
// the categories the test accepts.
func TestDifferentialCategoriesDocumented(t *testing.T) {
	doc, err := os.ReadFile("DIFFERENTIAL.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range categories {
		if !strings.Contains(string(doc), "`"+cat.name+"`") {
			t.Errorf("DIFFERENTIAL.md does not list category %s", cat.name)
		}
	}
}

// ecOrder is the group order of an ECDSA key's curve.
func ecOrder(k rawKey) *big.Int {
	return k.priv.(*ecdsa.PrivateKey).Curve.Params().N
}
