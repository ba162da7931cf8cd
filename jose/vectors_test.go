package jose_test

// Known-answer tests against the RFC test vectors in testdata/ (see
// testdata/README.md for the schema and where every value comes from):
// RFC 7515 Appendix A, RFC 7520 Sections 3 and 4, RFC 7638 Section 3.1 and
// RFC 8037 Appendix A. A failure here means the library disagrees with an
// RFC; fix the library, never the vector.

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/signet-dev/signet/jose"
)

type rfcVectorKey struct {
	Name       string          `json:"name"`
	Section    string          `json:"section"`
	Private    bool            `json:"private"`
	DefaultAlg string          `json:"default_alg"`
	JWK        json.RawMessage `json:"jwk"`
	Thumbprint string          `json:"thumbprint_sha256"`
}

type rfcVector struct {
	Name          string `json:"name"`
	Section       string `json:"section"`
	Alg           string `json:"alg"`
	Key           string `json:"key"`
	DefaultAlg    string `json:"default_alg"`
	Header        string `json:"header"`
	HeaderB64     string `json:"header_b64"`
	Payload       string `json:"payload"`
	PayloadB64    string `json:"payload_b64"`
	Compact       string `json:"compact"`
	Deterministic bool   `json:"deterministic"`
	Expect        string `json:"expect"`
}

type rfcVectorFile struct {
	RFC     int            `json:"rfc"`
	Title   string         `json:"title"`
	Keys    []rfcVectorKey `json:"keys"`
	Vectors []rfcVector    `json:"vectors"`
}

// rfcVectorFiles are the files under testdata/, all of which the tests read.
var rfcVectorFiles = []string{"rfc7515.json", "rfc7520.json", "rfc7638.json", "rfc8037.json"}

// jwkPrivateMembers are the JWK members that carry secret material
// (RFC 7518 section 6).
var jwkPrivateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

func loadRFCVectorFile(t *testing.T, name string) *rfcVectorFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f rfcVectorFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(f.Keys) == 0 {
		t.Fatalf("%s: no keys", name)
	}
	return &f
}

func loadAllRFCVectorFiles(t *testing.T) []*rfcVectorFile {
	t.Helper()
	var out []*rfcVectorFile
	for _, name := range rfcVectorFiles {
		out = append(out, loadRFCVectorFile(t, name))
	}
	return out
}

func (f *rfcVectorFile) key(t *testing.T, name string) *rfcVectorKey {
	t.Helper()
	for i := range f.Keys {
		if f.Keys[i].Name == name {
			return &f.Keys[i]
		}
	}
	t.Fatalf("RFC %d: vector refers to unknown key %q", f.RFC, name)
	return nil
}

// vecLabel names a subtest after the RFC and section, e.g. "RFC7515/A.1".
func vecLabel(f *rfcVectorFile, name string) string { return fmt.Sprintf("RFC%d/%s", f.RFC, name) }

// vecParseKey parses k's JWK, bound to alg when alg is not empty (else to
// k's own default algorithm, when it has one).
func vecParseKey(t *testing.T, k *rfcVectorKey, alg string) *jose.Key {
	t.Helper()
	if alg == "" {
		alg = k.DefaultAlg
	}
	var opts []jose.JWKOption
	if alg != "" {
		opts = append(opts, jose.WithDefaultAlgorithm(jose.Algorithm(alg)))
	}
	key, err := jose.ParseJWK(k.JWK, opts...)
	if err != nil {
		t.Fatalf("ParseJWK(%s): %v", k.Section, err)
	}
	return key
}

// vecVerifierKey is the key a relying party would hold: the public half of an
// asymmetric key, the secret itself for HMAC.
func vecVerifierKey(t *testing.T, k *jose.Key) *jose.Key {
	t.Helper()
	if k.IsSymmetric() {
		return k
	}
	pub := k.Public()
	if pub == nil {
		t.Fatal("Public() of an asymmetric key is nil")
	}
	return pub
}

func vecKeySet(t *testing.T, keys ...*jose.Key) *jose.KeySet {
	t.Helper()
	ks, err := jose.NewKeySet(keys...)
	if err != nil {
		t.Fatalf("NewKeySet: %v", err)
	}
	return ks
}

// vecHeaderKID returns the "kid" of a vector's header, if any.
func vecHeaderKID(t *testing.T, v *rfcVector) (string, bool) {
	t.Helper()
	var h map[string]any
	if err := json.Unmarshal([]byte(v.Header), &h); err != nil {
		t.Fatalf("%s: header is not JSON: %v", v.Section, err)
	}
	kid, ok := h["kid"].(string)
	return kid, ok
}

func vecB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func vecUnB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64url %q: %v", s, err)
	}
	return b
}

// vecForEach runs fn as a subtest for every vector whose "expect" is want.
func vecForEach(t *testing.T, want string, fn func(t *testing.T, f *rfcVectorFile, v *rfcVector)) {
	n := 0
	for _, f := range loadAllRFCVectorFiles(t) {
		for i := range f.Vectors {
			v := &f.Vectors[i]
			if v.Expect != want {
				continue
			}
			n++
			t.Run(vecLabel(f, v.Name), func(t *testing.T) { fn(t, f, v) })
		}
	}
	if n == 0 {
		t.Fatalf("no vectors with expect %q", want)
	}
}

// TestVectorData checks the vector files themselves: the base64url parts are
// the encodings of the exact header and payload bytes, and the compact form
// is made of them. This guards the data, not the library.
func TestVectorData(t *testing.T) {
	for _, f := range loadAllRFCVectorFiles(t) {
		for i := range f.Vectors {
			v := &f.Vectors[i]
			t.Run(vecLabel(f, v.Name), func(t *testing.T) {
				if got := vecB64([]byte(v.Header)); got != v.HeaderB64 {
					t.Errorf("header_b64 = %s, BASE64URL(header) = %s", v.HeaderB64, got)
				}
				if got := vecB64([]byte(v.Payload)); got != v.PayloadB64 {
					t.Errorf("payload_b64 = %s, BASE64URL(payload) = %s", v.PayloadB64, got)
				}
				parts := strings.Split(v.Compact, ".")
				if len(parts) != 3 || parts[0] != v.HeaderB64 || parts[1] != v.PayloadB64 {
					t.Errorf("compact is not header_b64.payload_b64.signature")
				}
				if v.Expect != "valid" && v.Expect != "reject" {
					t.Errorf("expect = %q", v.Expect)
				}
				if v.Expect == "valid" {
					f.key(t, v.Key)
				}
			})
		}
	}
	// RFC 7515 A.1's header contains a CR LF, and RFC 7520's payload the
	// U+2019 RIGHT SINGLE QUOTATION MARK twice and no line break.
	a1 := loadRFCVectorFile(t, "rfc7515.json").Vectors[0]
	if a1.Header != "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}" {
		t.Errorf("RFC 7515 A.1 header = %q", a1.Header)
	}
	p := loadRFCVectorFile(t, "rfc7520.json").Vectors[0].Payload
	if strings.Count(p, "\u2019") != 2 || strings.ContainsAny(p, "\r\n") || len(p) != 167 {
		t.Errorf("RFC 7520 payload = %q (%d bytes)", p, len(p))
	}
}

// TestVectorVerify verifies every RFC vector with VerifyJWS and checks it
// returns exactly the RFC's payload bytes and header.
func TestVectorVerify(t *testing.T) {
	vecForEach(t, "valid", func(t *testing.T, f *rfcVectorFile, v *rfcVector) {
		key := vecParseKey(t, f.key(t, v.Key), v.DefaultAlg)
		if got := key.Algorithm(); got != jose.Algorithm(v.Alg) {
			t.Fatalf("key bound to %s, vector uses %s", got, v.Alg)
		}
		// The relying party's key, and the key as parsed (private keys
		// verify too).
		for _, k := range []*jose.Key{vecVerifierKey(t, key), key} {
			hdr, payload, err := jose.VerifyJWS(v.Compact, vecKeySet(t, k))
			if err != nil {
				t.Fatalf("VerifyJWS (private=%v): %v", k.IsPrivate(), err)
			}
			if !bytes.Equal(payload, []byte(v.Payload)) {
				t.Errorf("payload = %q, want %q", payload, v.Payload)
			}
			if hdr.Algorithm != jose.Algorithm(v.Alg) {
				t.Errorf("header alg = %q, want %q", hdr.Algorithm, v.Alg)
			}
			kid, _ := vecHeaderKID(t, v)
			if hdr.KeyID != kid {
				t.Errorf("header kid = %q, want %q", hdr.KeyID, kid)
			}
		}
	})
}

// TestVectorSignCompact re-signs every vector over the RFC's exact header and
// payload bytes. Deterministic algorithms (HMAC, RSASSA-PKCS1-v1_5, Ed25519)
// must reproduce the RFC's compact serialization character for character;
// randomized ones (ECDSA, RSA-PSS) must give a token with the RFC's header and
// payload parts that verifies.
func TestVectorSignCompact(t *testing.T) {
	vecForEach(t, "valid", func(t *testing.T, f *rfcVectorFile, v *rfcVector) {
		vk := f.key(t, v.Key)
		if !vk.Private {
			t.Skipf("%s verifies with a public key only", v.Section)
		}
		key := vecParseKey(t, vk, v.DefaultAlg)
		got, err := jose.SignCompact(key, []byte(v.Header), []byte(v.Payload))
		if err != nil {
			t.Fatalf("SignCompact: %v", err)
		}
		if v.Deterministic {
			if got != v.Compact {
				t.Fatalf("SignCompact =\n%s\nRFC:\n%s", got, v.Compact)
			}
			return
		}
		if !strings.HasPrefix(got, v.HeaderB64+"."+v.PayloadB64+".") {
			t.Fatalf("SignCompact = %s; want the RFC's header and payload parts", got)
		}
		if got == v.Compact {
			t.Errorf("%s is randomized, yet SignCompact reproduced the RFC signature", v.Alg)
		}
		_, payload, err := jose.VerifyJWS(got, vecKeySet(t, vecVerifierKey(t, key)))
		if err != nil {
			t.Fatalf("VerifyJWS(SignCompact): %v", err)
		}
		if !bytes.Equal(payload, []byte(v.Payload)) {
			t.Errorf("payload = %q", payload)
		}
	})
}

// vecMustRefuse asserts err is one of the allowed sentinels, and not success.
func vecMustRefuse(t *testing.T, what string, err error, allowed ...error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: verified; want %v", what, allowed)
		return
	}
	for _, a := range allowed {
		if errors.Is(err, a) {
			return
		}
	}
	t.Errorf("%s: error %v; want one of %v", what, err, allowed)
}

// TestVectorTamper changes each vector by one bit of the signature or one
// character of the payload or header; none of the changed tokens may verify.
func TestVectorTamper(t *testing.T) {
	vecForEach(t, "valid", func(t *testing.T, f *rfcVectorFile, v *rfcVector) {
		ks := vecKeySet(t, vecVerifierKey(t, vecParseKey(t, f.key(t, v.Key), v.DefaultAlg)))
		parts := strings.Split(v.Compact, ".")
		h, p, s := parts[0], parts[1], parts[2]
		// Every position; with -short, every 7th (P-521 verifications
		// are slow).
		step := 1
		if testing.Short() {
			step = 7
		}

		// One bit of the decoded signature, at every bit of the first and
		// last bytes and at every byte in between: a well-formed signature
		// that is wrong, so ErrBadSignature and nothing else.
		sig := vecUnB64(t, s)
		flip := func(byteIndex int, bit uint) {
			bad := bytes.Clone(sig)
			bad[byteIndex] ^= 1 << bit
			_, _, err := jose.VerifyJWS(h+"."+p+"."+vecB64(bad), ks)
			vecMustRefuse(t, fmt.Sprintf("signature bit %d of byte %d flipped", bit, byteIndex), err, jose.ErrBadSignature)
		}
		for bit := uint(0); bit < 8; bit++ {
			flip(0, bit)
			flip(len(sig)-1, bit)
		}
		for i := 1; i < len(sig)-1; i += step {
			flip(i, uint(i%8))
		}

		// One character of the decoded payload, at every position:
		// well-formed, so ErrBadSignature.
		payload := []byte(v.Payload)
		for i := 0; i < len(payload); i += step {
			bad := bytes.Clone(payload)
			bad[i] ^= 0x01
			_, _, err := jose.VerifyJWS(h+"."+vecB64(bad)+"."+s, ks)
			vecMustRefuse(t, fmt.Sprintf("payload byte %d changed", i), err, jose.ErrBadSignature)
		}

		// One character of the encoded payload or signature, at every
		// position: either a different well-formed value (ErrBadSignature)
		// or a non-canonical encoding (ErrMalformed).
		for i := 0; i < len(p); i += step {
			_, _, err := jose.VerifyJWS(h+"."+vecReplaceChar(p, i)+"."+s, ks)
			vecMustRefuse(t, fmt.Sprintf("payload_b64 char %d changed", i), err, jose.ErrBadSignature, jose.ErrMalformed)
		}
		for i := 0; i < len(s); i += step {
			_, _, err := jose.VerifyJWS(h+"."+p+"."+vecReplaceChar(s, i), ks)
			vecMustRefuse(t, fmt.Sprintf("signature char %d changed", i), err, jose.ErrBadSignature, jose.ErrMalformed)
		}
		// The header: any refusal will do (a changed "alg" or "kid" fails
		// before the signature is checked), but never success.
		for i := 0; i < len(h); i += step {
			if _, _, err := jose.VerifyJWS(vecReplaceChar(h, i)+"."+p+"."+s, ks); err == nil {
				t.Errorf("header char %d changed: verified", i)
			}
		}
		// Truncated and extended signatures.
		vecMustRefuse(t, "signature truncated", vecVerifyErr(h+"."+p+"."+s[:len(s)-1], ks), jose.ErrBadSignature, jose.ErrMalformed)
		vecMustRefuse(t, "signature extended", vecVerifyErr(h+"."+p+"."+s+"A", ks), jose.ErrBadSignature, jose.ErrMalformed)
		vecMustRefuse(t, "signature emptied", vecVerifyErr(h+"."+p+".", ks), jose.ErrBadSignature, jose.ErrMalformed)
		if padded := base64.URLEncoding.EncodeToString(sig); padded != s {
			vecMustRefuse(t, "signature padded", vecVerifyErr(h+"."+p+"."+padded, ks), jose.ErrBadSignature, jose.ErrMalformed)
		}
		if padded := base64.URLEncoding.EncodeToString(payload); padded != p {
			vecMustRefuse(t, "payload padded", vecVerifyErr(h+"."+padded+"."+s, ks), jose.ErrBadSignature, jose.ErrMalformed)
		}
	})
}

func vecVerifyErr(token string, ks *jose.KeySet) error {
	_, _, err := jose.VerifyJWS(token, ks)
	return err
}

// vecReplaceChar returns s with its i-th character replaced by another
// base64url character.
func vecReplaceChar(s string, i int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	j := strings.IndexByte(alphabet, s[i])
	return s[:i] + string(alphabet[(j+1)%len(alphabet)]) + s[i+1:]
}

// vecAllKeys parses every key of every file as the relying party would
// hold it (public halves, HMAC secrets), once per algorithm the files bind it
// to.
func vecAllKeys(t *testing.T) map[string]*jose.Key {
	t.Helper()
	out := map[string]*jose.Key{}
	for _, f := range loadAllRFCVectorFiles(t) {
		for i := range f.Keys {
			k := &f.Keys[i]
			algs := []string{k.DefaultAlg}
			for _, v := range f.Vectors {
				if v.Key == k.Name && v.DefaultAlg != "" && !slices.Contains(algs, v.DefaultAlg) {
					algs = append(algs, v.DefaultAlg)
				}
			}
			for _, alg := range algs {
				key := vecParseKey(t, k, alg)
				out[fmt.Sprintf("%s/%s", vecLabel(f, k.Name), key.Algorithm())] = vecVerifierKey(t, key)
			}
		}
	}
	return out
}

// TestVectorUnsecuredRefused checks RFC 7515 A.5, the unsecured JWS
// ("alg":"none"), is refused under every key, with or without a signature,
// and that SignCompact refuses to make one.
func TestVectorUnsecuredRefused(t *testing.T) {
	t.Run("RFC7515/A.5", testUnsecuredRefused)
}

func testUnsecuredRefused(t *testing.T) {
	f := loadRFCVectorFile(t, "rfc7515.json")
	var a5 *rfcVector
	for i := range f.Vectors {
		if f.Vectors[i].Name == "A.5" {
			a5 = &f.Vectors[i]
		}
	}
	if a5 == nil || a5.Expect != "reject" || a5.Alg != "none" {
		t.Fatal("RFC 7515 A.5 missing from testdata/rfc7515.json")
	}
	parts := strings.Split(a5.Compact, ".")
	tokens := map[string]string{
		"A.5":                       a5.Compact,
		"A.5 with A.1's signature":  a5.Compact + strings.Split(f.Vectors[0].Compact, ".")[2],
		"A.5 with a 1-byte sig":     a5.Compact + "AA",
		"A.5 without the last dot":  parts[0] + "." + parts[1],
		"A.5 with alg None":         vecB64([]byte(`{"alg":"None"}`)) + "." + parts[1] + ".",
		"A.5 with alg NONE and sig": vecB64([]byte(`{"alg":"NONE"}`)) + "." + parts[1] + ".AA",
	}
	keys := vecAllKeys(t)
	for name, key := range keys {
		ks := vecKeySet(t, key)
		for tname, tok := range tokens {
			_, _, err := jose.VerifyJWS(tok, ks)
			vecMustRefuse(t, fmt.Sprintf("%s under %s", tname, name), err, jose.ErrUnsupportedAlgorithm, jose.ErrMalformed)
		}
		// Also under the key's own kid, so that key lookup cannot be what
		// refuses the token.
		if kid := key.KeyID(); kid != "" {
			h := vecB64([]byte(`{"alg":"none","kid":` + vecQuote(kid) + `}`))
			for _, tok := range []string{h + "." + parts[1] + ".", h + "." + parts[1] + ".AA"} {
				_, _, err := jose.VerifyJWS(tok, ks)
				vecMustRefuse(t, fmt.Sprintf("alg none with kid %q under %s", kid, name), err, jose.ErrUnsupportedAlgorithm, jose.ErrMalformed)
			}
		}
	}
	// SignCompact signs exactly the header it is given, so it must refuse a
	// header whose "alg" is not the key's, "none" above all.
	for _, f := range loadAllRFCVectorFiles(t) {
		for i := range f.Keys {
			k := &f.Keys[i]
			if !k.Private {
				continue
			}
			priv := vecParseKey(t, k, "")
			if _, err := jose.SignCompact(priv, []byte(a5.Header), []byte(a5.Payload)); err == nil {
				t.Errorf("SignCompact(%s key, {\"alg\":\"none\"}) succeeded", vecLabel(f, k.Name))
			}
		}
	}
}

func vecQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestVectorWrongKey verifies every vector with each other vector key bound
// to the same algorithm: none may accept it.
func TestVectorWrongKey(t *testing.T) {
	keys := vecAllKeys(t)
	vecForEach(t, "valid", func(t *testing.T, f *rfcVectorFile, v *rfcVector) {
		own := vecVerifierKey(t, vecParseKey(t, f.key(t, v.Key), v.DefaultAlg))
		ownTP, err := own.Thumbprint(crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		tried := 0
		for name, k := range keys {
			if k.Algorithm() != jose.Algorithm(v.Alg) {
				continue
			}
			tp, err := k.Thumbprint(crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(tp, ownTP) {
				continue // the same key material
			}
			tried++
			_, _, err = jose.VerifyJWS(v.Compact, vecKeySet(t, k))
			vecMustRefuse(t, "under "+name, err, jose.ErrBadSignature, jose.ErrKeyNotFound)
		}
		// Every key of another algorithm family must be refused for its
		// algorithm, whatever its kid.
		for name, k := range keys {
			if k.Algorithm() == jose.Algorithm(v.Alg) {
				continue
			}
			_, _, err := jose.VerifyJWS(v.Compact, vecKeySet(t, k))
			vecMustRefuse(t, "under "+name, err, jose.ErrUnsupportedAlgorithm, jose.ErrKeyNotFound)
		}
		t.Logf("%d other keys for %s", tried, v.Alg)
	})
}

// TestVectorThumbprint checks the RFC 7638 thumbprints the RFCs give:
// RFC 7638 section 3.1 and RFC 8037 appendix A.3 (for both the private key of
// A.1 and the public key of A.2).
func TestVectorThumbprint(t *testing.T) {
	n := 0
	for _, f := range loadAllRFCVectorFiles(t) {
		for i := range f.Keys {
			k := &f.Keys[i]
			if k.Thumbprint == "" {
				continue
			}
			n++
			t.Run(vecLabel(f, k.Name), func(t *testing.T) {
				key := vecParseKey(t, k, "")
				tp, err := key.Thumbprint(crypto.SHA256)
				if err != nil {
					t.Fatalf("Thumbprint: %v", err)
				}
				if got := vecB64(tp); got != k.Thumbprint {
					t.Errorf("thumbprint = %s, %s gives %s", got, k.Section, k.Thumbprint)
				}
				if pub := key.Public(); pub != nil {
					tp, err := pub.Thumbprint(crypto.SHA256)
					if err != nil || vecB64(tp) != k.Thumbprint {
						t.Errorf("Public().Thumbprint = %s, %v; want %s", vecB64(tp), err, k.Thumbprint)
					}
				}
			})
		}
	}
	if n < 3 {
		t.Fatalf("only %d thumbprint vectors", n)
	}
}

// TestVectorJWKRoundTrip parses every RFC JWK, marshals it and parses the
// result again: the key must be the same (thumbprint, algorithm, kid, every
// member value as the RFC wrote it), private members must appear exactly for
// private keys, and never in Public().
func TestVectorJWKRoundTrip(t *testing.T) {
	for _, f := range loadAllRFCVectorFiles(t) {
		for i := range f.Keys {
			k := &f.Keys[i]
			t.Run(vecLabel(f, k.Name), func(t *testing.T) {
				var rfc map[string]any
				if err := json.Unmarshal(k.JWK, &rfc); err != nil {
					t.Fatal(err)
				}
				key := vecParseKey(t, k, "")
				if key.IsPrivate() != k.Private {
					t.Errorf("IsPrivate = %v, want %v", key.IsPrivate(), k.Private)
				}
				if kid, _ := rfc["kid"].(string); key.KeyID() != kid {
					t.Errorf("KeyID = %q, want %q", key.KeyID(), kid)
				}
				out, err := json.Marshal(key)
				if err != nil {
					t.Fatalf("MarshalJSON: %v", err)
				}
				got := vecMembers(t, out)
				// Every member the RFC gives comes back with the same value.
				for name, want := range rfc {
					if g, ok := got[name]; !ok || g != want {
						t.Errorf("member %q = %v, RFC: %v", name, g, want)
					}
				}
				for _, m := range jwkPrivateMembers {
					if _, has := got[m]; has != (k.Private && rfc[m] != nil) {
						t.Errorf("marshaled private member %q present = %v; private key = %v", m, has, k.Private)
					}
				}
				if got["alg"] != string(key.Algorithm()) {
					t.Errorf("marshaled alg = %v, key bound to %s", got["alg"], key.Algorithm())
				}
				// Parse the output again, with no option: its "alg" binds it.
				again, err := jose.ParseJWK(out)
				if err != nil {
					t.Fatalf("ParseJWK(MarshalJSON): %v\n%s", err, out)
				}
				vecSameKey(t, "reparsed", key, again)
				if again.IsPrivate() != key.IsPrivate() {
					t.Errorf("reparsed IsPrivate = %v", again.IsPrivate())
				}
				if again.KeyID() != key.KeyID() {
					t.Errorf("reparsed KeyID = %q", again.KeyID())
				}
				out2, err := json.Marshal(again)
				if err != nil || !bytes.Equal(out, out2) {
					t.Errorf("second MarshalJSON differs:\n%s\n%s", out, out2)
				}

				if key.IsSymmetric() {
					if key.Public() != nil {
						t.Errorf("Public() of an HMAC secret is not nil")
					}
					return
				}
				pub := key.Public()
				if pub.IsPrivate() {
					t.Errorf("Public().IsPrivate() = true")
				}
				vecSameKey(t, "Public()", key, pub)
				pout, err := json.Marshal(pub)
				if err != nil {
					t.Fatalf("MarshalJSON(Public()): %v", err)
				}
				pm := vecMembers(t, pout)
				for _, m := range jwkPrivateMembers {
					if _, has := pm[m]; has {
						t.Errorf("Public() JWK has private member %q: %s", m, pout)
					}
				}
				for name, want := range rfc {
					if slices.Contains(jwkPrivateMembers, name) {
						continue
					}
					if pm[name] != want {
						t.Errorf("Public() member %q = %v, RFC: %v", name, pm[name], want)
					}
				}
				pagain, err := jose.ParseJWK(pout)
				if err != nil {
					t.Fatalf("ParseJWK(Public().MarshalJSON): %v", err)
				}
				vecSameKey(t, "reparsed Public()", key, pagain)
				if pagain.IsPrivate() {
					t.Errorf("reparsed Public() is private")
				}
			})
		}
	}
}

func vecMembers(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("MarshalJSON output is not JSON: %v\n%s", err, b)
	}
	return m
}

func vecSameKey(t *testing.T, what string, want, got *jose.Key) {
	t.Helper()
	wt, err1 := want.Thumbprint(crypto.SHA256)
	gt, err2 := got.Thumbprint(crypto.SHA256)
	if err1 != nil || err2 != nil || !bytes.Equal(wt, gt) {
		t.Errorf("%s: thumbprint %s, want %s (%v, %v)", what, vecB64(gt), vecB64(wt), err2, err1)
	}
	if got.Algorithm() != want.Algorithm() {
		t.Errorf("%s: Algorithm = %s, want %s", what, got.Algorithm(), want.Algorithm())
	}
	if got.KeyID() != want.KeyID() {
		t.Errorf("%s: KeyID = %q, want %q", what, got.KeyID(), want.KeyID())
	}
}

// TestVectorJWKS reads RFC keys through ParseJWKS and verifies with the set:
// the kid in RFC 7520's tokens selects the key, and a token whose alg differs
// from the selected key's is refused (algorithm confusion, RFC 8725 3.1).
func TestVectorJWKS(t *testing.T) {
	f7520 := loadRFCVectorFile(t, "rfc7520.json")
	f7638 := loadRFCVectorFile(t, "rfc7638.json")
	// RFC 7520 3.1 (EC P-521, kid bilbo.baggins@hobbiton.example) and
	// RFC 7638 3.1 (RSA, kid 2011-04-29).
	jwks := `{"keys":[` + string(f7520.key(t, "3.1").JWK) + `,` + string(f7638.key(t, "3.1").JWK) + `]}`
	ks, err := jose.ParseJWKS([]byte(jwks))
	if err != nil {
		t.Fatalf("ParseJWKS: %v", err)
	}
	if ks.Len() != 2 {
		t.Fatalf("ParseJWKS: %d keys, want 2", ks.Len())
	}
	for _, v := range f7520.Vectors {
		t.Run(vecLabel(f7520, v.Name), func(t *testing.T) {
			_, payload, err := jose.VerifyJWS(v.Compact, ks)
			switch v.Alg {
			case "ES512": // the EC key under that kid
				if err != nil {
					t.Fatalf("VerifyJWS: %v", err)
				}
				if !bytes.Equal(payload, []byte(v.Payload)) {
					t.Errorf("payload = %q", payload)
				}
			case "RS256", "PS384": // same kid, but the key there is ES512
				vecMustRefuse(t, v.Alg+" token under the ES512 key of its kid", err, jose.ErrUnsupportedAlgorithm)
			default: // HS256 with a kid the set does not hold
				vecMustRefuse(t, v.Alg+" token", err, jose.ErrKeyNotFound)
			}
		})
	}
}
