package bench

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"math/big"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	gojose "github.com/go-jose/go-jose/v4"
	gojosejwt "github.com/go-jose/go-jose/v4/jwt"
	gjwt "github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	jwxjwt "github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/signet-dev/signet/jose"
)

// The benchmark tokens are RFC 9068 access tokens of one issuer for one
// resource server.
const (
	benchIssuer   = "https://id.signet.example"
	benchAudience = "https://api.signet.example"
	benchLeeway   = 30 * time.Second
	// poolSize distinct tokens (a power of two, so i&poolMask cycles them).
	poolSize = 1024
	poolMask = poolSize - 1
)

// benchAlgs are the algorithms compared.
var benchAlgs = []jose.Algorithm{jose.HS256, jose.RS256, jose.PS256, jose.ES256, jose.EdDSA}

var b64 = base64.RawURLEncoding

// fixture is one algorithm's key and its pool of distinct tokens, all signed
// by signet, shared by every library's benchmark. It is built once per
// process.
type fixture struct {
	alg     jose.Algorithm
	kid     string
	signKey *jose.Key    // private key or HMAC secret
	keys    *jose.KeySet // the verification key (public half, or the secret)
	secret  []byte       // HMAC only
	priv    crypto.Signer
	pub     crypto.PublicKey

	claims []jose.Claims // poolSize distinct claim sets
	tokens []string      // claims[i] signed by signet's Signer
	floor  []floorInput  // the same tokens, decoded for the floor
}

// floorInput is a token reduced to what the bare signature primitive needs.
type floorInput struct {
	signingInput []byte
	sig          []byte   // decoded signature
	der          []byte   // ES*: r||s re-encoded as ASN.1 DER
	r, s         *big.Int // ES*: r and s
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[jose.Algorithm]*fixture{}
)

// getFixture returns alg's fixture, building it on first use.
func getFixture(tb testing.TB, alg jose.Algorithm) *fixture {
	tb.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f := fixtures[alg]; f != nil {
		return f
	}
	f, err := newFixture(alg, time.Now())
	if err != nil {
		tb.Fatalf("fixture %s: %v", alg, err)
	}
	fixtures[alg] = f
	return f
}

func newFixture(alg jose.Algorithm, now time.Time) (*fixture, error) {
	f := &fixture{alg: alg, kid: "kid-" + strings.ToLower(string(alg)) + "-2026-11"}
	var err error
	if alg == jose.HS256 || alg == jose.HS384 || alg == jose.HS512 {
		f.secret = make([]byte, 64)
		rand.Read(f.secret)
		f.signKey, err = jose.NewHMACKey(alg, f.kid, f.secret)
		if err != nil {
			return nil, err
		}
		f.keys, err = jose.NewKeySet(f.signKey)
	} else {
		f.signKey, err = jose.GenerateKey(alg, f.kid)
		if err != nil {
			return nil, err
		}
		f.priv, f.pub = f.signKey.CryptoSigner(), f.signKey.CryptoPublicKey()
		f.keys, err = jose.NewKeySet(f.signKey.Public())
	}
	if err != nil {
		return nil, err
	}
	signer, err := jose.NewSigner(f.signKey, jose.WithType(jose.TypeAccessToken))
	if err != nil {
		return nil, err
	}
	f.claims = make([]jose.Claims, poolSize)
	f.tokens = make([]string, poolSize)
	f.floor = make([]floorInput, poolSize)
	for i := range f.claims {
		f.claims[i] = accessClaims(i, now)
		if f.tokens[i], err = signer.Sign(&f.claims[i]); err != nil {
			return nil, err
		}
		if f.floor[i], err = decodeForFloor(alg, f.tokens[i]); err != nil {
			return nil, err
		}
	}
	return f, nil
}

var (
	scopeWords = []string{"openid", "profile", "email", "offline_access", "orders:read", "orders:write",
		"billing:read", "billing:write", "catalog:read", "admin:users"}
	roleWords = []string{"user", "admin", "support", "billing", "auditor", "developer", "viewer"}
)

// accessClaims is the i-th realistic access token of the pool: every claim
// the brief names, each with a value of its own.
func accessClaims(i int, now time.Time) jose.Claims {
	r := mrand.New(mrand.NewPCG(uint64(i), 0x5167e7))
	var scopes []string
	for _, w := range scopeWords {
		if r.IntN(2) == 0 {
			scopes = append(scopes, w)
		}
	}
	if len(scopes) == 0 {
		scopes = append(scopes, "openid")
	}
	roles := []string{roleWords[r.IntN(len(roleWords))]}
	if r.IntN(3) == 0 {
		roles = append(roles, roleWords[r.IntN(len(roleWords))])
	}
	iat := now.Unix() - int64(r.IntN(600))
	return jose.Claims{
		Issuer:    benchIssuer,
		Subject:   fmt.Sprintf("usr_%08x", r.Uint32()),
		Audience:  jose.Audience{benchAudience},
		ExpiresAt: jose.NumericDate(iat + 24*3600), // valid through a long benchmark run
		NotBefore: jose.NumericDate(iat),
		IssuedAt:  jose.NumericDate(iat),
		ID:        fmt.Sprintf("at_%016x%04x", r.Uint64(), i),
		ClientID:  fmt.Sprintf("client-%03d", r.IntN(200)),
		Scope:     strings.Join(scopes, " "),
		SessionID: fmt.Sprintf("sid_%012x", r.Uint64()>>16),
		Roles:     roles,
		Email:     fmt.Sprintf("user%d.%s@example.org", i, roleWords[r.IntN(len(roleWords))]),
	}
}

// decodeForFloor splits a compact token and decodes its signature, which the
// floor takes as given.
func decodeForFloor(alg jose.Algorithm, token string) (floorInput, error) {
	j := strings.LastIndexByte(token, '.')
	if j < 0 {
		return floorInput{}, errors.New("not a compact JWS")
	}
	in := floorInput{signingInput: []byte(token[:j])}
	var err error
	if in.sig, err = b64.DecodeString(token[j+1:]); err != nil {
		return floorInput{}, err
	}
	if alg == jose.ES256 || alg == jose.ES384 || alg == jose.ES512 {
		half := len(in.sig) / 2
		in.r = new(big.Int).SetBytes(in.sig[:half])
		in.s = new(big.Int).SetBytes(in.sig[half:])
		if in.der, err = asn1.Marshal(struct{ R, S *big.Int }{in.r, in.s}); err != nil {
			return floorInput{}, err
		}
	}
	return in, nil
}

// isAccessTokenType is signet's rule for "typ" (RFC 7515 §4.1.9: compared
// case-insensitively, "application/" optional), applied to the peers by hand
// because none of them checks "typ" itself.
func isAccessTokenType(typ string) bool {
	if len(typ) > 12 && strings.EqualFold(typ[:12], "application/") {
		typ = typ[12:]
	}
	return strings.EqualFold(typ, jose.TypeAccessToken)
}

var (
	errWrongType = errors.New("typ is not at+jwt")
	errNoKey     = errors.New("no key for kid")
	errWrongAlg  = errors.New("alg is not the key's algorithm")
	errNoExpiry  = errors.New("exp is missing")
)

// sink keeps results alive so the compiler cannot drop the work.
var sink int

// ---------------------------------------------------------------- signet

func signetVerifier(tb testing.TB, f *fixture) func(string) error {
	v := newSignetVerifier(tb, f)
	return func(tok string) error {
		c, err := v.Verify(tok) // the typed claims: Claims holds every claim of these tokens
		if err != nil {
			return err
		}
		sink += len(c.Subject) + len(c.Roles)
		return nil
	}
}

// signetIntoVerifier is signetVerifier through VerifyInto, into a new
// variable each time, as a caller with a struct of its own embedding
// Claims would do: the variable is one more allocation than Verify's.
func signetIntoVerifier(tb testing.TB, f *fixture) func(string) error {
	v := newSignetVerifier(tb, f)
	return func(tok string) error {
		var c jose.Claims
		if err := v.VerifyInto(tok, &c); err != nil {
			return err
		}
		sink += len(c.Subject) + len(c.Roles)
		return nil
	}
}

func newSignetVerifier(tb testing.TB, f *fixture) *jose.Verifier {
	v, err := jose.NewVerifier(f.keys, jose.WithIssuer(benchIssuer), jose.WithAudience(benchAudience),
		jose.WithTokenType(jose.TypeAccessToken), jose.WithLeeway(benchLeeway))
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// ---------------------------------------------------------------- golang-jwt

// gjwtClaims is golang-jwt's typed claims struct.
type gjwtClaims struct {
	gjwt.RegisteredClaims
	ClientID  string   `json:"client_id,omitempty"`
	Scope     string   `json:"scope,omitempty"`
	SessionID string   `json:"sid,omitempty"`
	Roles     []string `json:"roles,omitempty"`
	Email     string   `json:"email,omitempty"`
}

func toGJWT(c *jose.Claims) gjwtClaims {
	return gjwtClaims{
		RegisteredClaims: gjwt.RegisteredClaims{
			Issuer: c.Issuer, Subject: c.Subject, Audience: gjwt.ClaimStrings(c.Audience),
			ExpiresAt: gjwt.NewNumericDate(c.ExpiresAt.Time()), NotBefore: gjwt.NewNumericDate(c.NotBefore.Time()),
			IssuedAt: gjwt.NewNumericDate(c.IssuedAt.Time()), ID: c.ID,
		},
		ClientID: c.ClientID, Scope: c.Scope, SessionID: c.SessionID, Roles: c.Roles, Email: c.Email,
	}
}

// gjwtKey is what golang-jwt verifies with: *rsa.PublicKey, *ecdsa.PublicKey,
// ed25519.PublicKey, or the HMAC secret as []byte.
func (f *fixture) verifyKeyAny() any {
	if f.secret != nil {
		return f.secret
	}
	return f.pub
}

func (f *fixture) signKeyAny() any {
	if f.secret != nil {
		return f.secret
	}
	return f.priv
}

// gjwtVerifier configures golang-jwt like signet: one allowed method,
// issuer, audience, exp required, iat not in the future, 30 s leeway. Its
// keyfunc finds the key by kid and checks typ, which golang-jwt leaves to
// the caller.
func gjwtVerifier(f *fixture) func(string) error {
	p := gjwt.NewParser(gjwt.WithValidMethods([]string{string(f.alg)}), gjwt.WithIssuer(benchIssuer),
		gjwt.WithAudience(benchAudience), gjwt.WithExpirationRequired(), gjwt.WithIssuedAt(),
		gjwt.WithLeeway(benchLeeway))
	keys := map[string]any{f.kid: f.verifyKeyAny()}
	keyfunc := func(t *gjwt.Token) (any, error) {
		if typ, _ := t.Header["typ"].(string); !isAccessTokenType(typ) {
			return nil, errWrongType
		}
		kid, _ := t.Header["kid"].(string)
		k, ok := keys[kid]
		if !ok {
			return nil, errNoKey
		}
		return k, nil
	}
	return func(tok string) error {
		var c gjwtClaims
		if _, err := p.ParseWithClaims(tok, &c, keyfunc); err != nil {
			return err
		}
		sink += len(c.Subject) + len(c.Roles)
		return nil
	}
}

// ---------------------------------------------------------------- go-jose

// gojoseClaims is go-jose's typed claims struct.
type gojoseClaims struct {
	gojosejwt.Claims
	ClientID  string   `json:"client_id,omitempty"`
	Scope     string   `json:"scope,omitempty"`
	SessionID string   `json:"sid,omitempty"`
	Roles     []string `json:"roles,omitempty"`
	Email     string   `json:"email,omitempty"`
}

func toGoJose(c *jose.Claims) gojoseClaims {
	return gojoseClaims{
		Claims: gojosejwt.Claims{
			Issuer: c.Issuer, Subject: c.Subject, Audience: gojosejwt.Audience(c.Audience),
			Expiry: gojosejwt.NewNumericDate(c.ExpiresAt.Time()), NotBefore: gojosejwt.NewNumericDate(c.NotBefore.Time()),
			IssuedAt: gojosejwt.NewNumericDate(c.IssuedAt.Time()), ID: c.ID,
		},
		ClientID: c.ClientID, Scope: c.Scope, SessionID: c.SessionID, Roles: c.Roles, Email: c.Email,
	}
}

// gojoseVerifier: ParseSigned with the one allowed algorithm, typ checked by
// hand (go-jose does not), Claims with a JSONWebKeySet (go-jose selects the
// key by kid), exp required by hand (go-jose treats it as optional), then
// ValidateWithLeeway for iss, aud, exp, nbf and iat.
func gojoseVerifier(f *fixture) func(string) error {
	jwks := gojose.JSONWebKeySet{Keys: []gojose.JSONWebKey{{
		Key: f.verifyKeyAny(), KeyID: f.kid, Algorithm: string(f.alg), Use: "sig",
	}}}
	algs := []gojose.SignatureAlgorithm{gojose.SignatureAlgorithm(f.alg)}
	expected := gojosejwt.Expected{Issuer: benchIssuer, AnyAudience: gojosejwt.Audience{benchAudience}}
	return func(tok string) error {
		t, err := gojosejwt.ParseSigned(tok, algs)
		if err != nil {
			return err
		}
		if typ, _ := t.Headers[0].ExtraHeaders[gojose.HeaderType].(string); !isAccessTokenType(typ) {
			return errWrongType
		}
		var c gojoseClaims
		if err := t.Claims(jwks, &c); err != nil {
			return err
		}
		if c.Expiry == nil {
			return errNoExpiry
		}
		if err := c.ValidateWithLeeway(expected, benchLeeway); err != nil { // zero Expected.Time: now
			return err
		}
		sink += len(c.Subject) + len(c.Roles)
		return nil
	}
}

// ---------------------------------------------------------------- jwx

// jwxClaims is the typed struct the jwx benchmark reads its token into:
// jwx parses into its own jwt.Token, and a caller copies what it needs.
type jwxClaims struct {
	Issuer, Subject                string
	Audience                       []string
	Expiry, NotBefore, IssuedAt    time.Time
	ID, ClientID, Scope, SessionID string
	Roles                          []string
	Email                          string
}

var jwxRegisterOnce sync.Once

// jwxSetup makes jwx decode "roles" as []string, as a typed-claims user
// would (RegisterCustomField is process-wide).
func jwxSetup() {
	jwxRegisterOnce.Do(func() { jwxjwt.RegisterCustomField("roles", []string{}) })
}

func jwxAlg(alg jose.Algorithm) jwa.SignatureAlgorithm {
	a, ok := jwa.LookupSignatureAlgorithm(string(alg))
	if !ok {
		panic("jwx does not know " + alg)
	}
	return a
}

func readJWX(t jwxjwt.Token, c *jwxClaims) error {
	c.Issuer, _ = t.Issuer()
	c.Subject, _ = t.Subject()
	c.Audience, _ = t.Audience()
	c.Expiry, _ = t.Expiration()
	c.NotBefore, _ = t.NotBefore()
	c.IssuedAt, _ = t.IssuedAt()
	c.ID, _ = t.JwtID()
	for _, m := range []struct {
		name string
		dst  any
	}{{"client_id", &c.ClientID}, {"scope", &c.Scope}, {"sid", &c.SessionID}, {"roles", &c.Roles}, {"email", &c.Email}} {
		if t.Has(m.name) {
			if err := t.Get(m.name, m.dst); err != nil {
				return fmt.Errorf("claim %s: %w", m.name, err)
			}
		}
	}
	return nil
}

// jwxVerifier: jwt.Parse with a key provider that checks typ (jwx does not)
// and looks the key up by kid in a jwk.Set, then validates iss, aud, exp
// (required), nbf and iat with a 30 s skew. jwx.Parse takes []byte; the
// caller passes the pool's []byte form so no conversion is timed.
func jwxVerifier(tb testing.TB, f *fixture) func([]byte) error {
	jwxSetup()
	k, err := jwk.Import(f.verifyKeyAny())
	if err != nil {
		tb.Fatal(err)
	}
	alg := jwxAlg(f.alg)
	if err := k.Set(jwk.KeyIDKey, f.kid); err != nil {
		tb.Fatal(err)
	}
	if err := k.Set(jwk.AlgorithmKey, alg); err != nil {
		tb.Fatal(err)
	}
	set := jwk.NewSet()
	if err := set.AddKey(k); err != nil {
		tb.Fatal(err)
	}
	provider := jws.KeyProviderFunc(func(_ context.Context, s jws.KeySink, sig *jws.Signature, _ *jws.Message) error {
		h := sig.ProtectedHeaders()
		if typ, _ := h.Type(); !isAccessTokenType(typ) {
			return errWrongType
		}
		kid, _ := h.KeyID()
		key, ok := set.LookupKeyID(kid)
		if !ok {
			return errNoKey
		}
		s.Key(alg, key)
		return nil
	})
	opts := []jwxjwt.ParseOption{jwxjwt.WithKeyProvider(provider), jwxjwt.WithValidate(true),
		jwxjwt.WithIssuer(benchIssuer), jwxjwt.WithAudience(benchAudience),
		jwxjwt.WithRequiredClaim(jwxjwt.ExpirationKey), jwxjwt.WithAcceptableSkew(benchLeeway)}
	return func(tok []byte) error {
		t, err := jwxjwt.Parse(tok, opts...)
		if err != nil {
			return err
		}
		var c jwxClaims
		if err := readJWX(t, &c); err != nil {
			return err
		}
		sink += len(c.Subject) + len(c.Roles)
		return nil
	}
}

func toJWX(c *jose.Claims) jwxClaims {
	return jwxClaims{
		Issuer: c.Issuer, Subject: c.Subject, Audience: c.Audience,
		Expiry: c.ExpiresAt.Time(), NotBefore: c.NotBefore.Time(), IssuedAt: c.IssuedAt.Time(),
		ID: c.ID, ClientID: c.ClientID, Scope: c.Scope, SessionID: c.SessionID, Roles: c.Roles, Email: c.Email,
	}
}

// ---------------------------------------------------------------- the floor

// floorVerifier is the signature primitive alone over the exact signing
// input and the decoded signature, hashing included; the key is parsed in
// advance and the HMAC key schedule prepared once. bigint selects
// ecdsa.Verify over precomputed r, s instead of VerifyASN1 over DER.
func floorVerifier(f *fixture, bigint bool) func(*floorInput) bool {
	switch f.alg {
	case jose.HS256:
		mac := hmac.New(sha256.New, f.secret)
		var sum [sha256.Size]byte
		return func(in *floorInput) bool {
			mac.Reset()
			mac.Write(in.signingInput)
			return hmac.Equal(mac.Sum(sum[:0]), in.sig)
		}
	case jose.RS256:
		pub := f.pub.(*rsa.PublicKey)
		return func(in *floorInput) bool {
			h := sha256.Sum256(in.signingInput)
			return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], in.sig) == nil
		}
	case jose.PS256:
		pub := f.pub.(*rsa.PublicKey)
		opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
		// crypto/rsa.VerifyPSS keeps a reference to the digest, so a digest
		// on the stack would move to the heap on every call: hash into one
		// buffer, as a verifier can, so that the floor counts only the
		// primitive's own allocations.
		var h [sha256.Size]byte
		return func(in *floorInput) bool {
			h = sha256.Sum256(in.signingInput)
			return rsa.VerifyPSS(pub, crypto.SHA256, h[:], in.sig, opts) == nil
		}
	case jose.ES256:
		pub := f.pub.(*ecdsa.PublicKey)
		if bigint {
			return func(in *floorInput) bool {
				h := sha256.Sum256(in.signingInput)
				return ecdsa.Verify(pub, h[:], in.r, in.s)
			}
		}
		return func(in *floorInput) bool {
			h := sha256.Sum256(in.signingInput)
			return ecdsa.VerifyASN1(pub, h[:], in.der)
		}
	case jose.EdDSA:
		pub := f.pub.(ed25519.PublicKey)
		return func(in *floorInput) bool { return ed25519.Verify(pub, in.signingInput, in.sig) }
	}
	panic("no floor for " + f.alg)
}

// floorSigner is the signing primitive alone over the signing input,
// hashing included.
func floorSigner(f *fixture) func(input []byte) ([]byte, error) {
	switch f.alg {
	case jose.HS256:
		mac := hmac.New(sha256.New, f.secret)
		var sum [sha256.Size]byte
		return func(in []byte) ([]byte, error) {
			mac.Reset()
			mac.Write(in)
			return mac.Sum(sum[:0]), nil
		}
	case jose.RS256:
		priv := f.priv.(*rsa.PrivateKey)
		return func(in []byte) ([]byte, error) {
			h := sha256.Sum256(in)
			return rsa.SignPKCS1v15(nil, priv, crypto.SHA256, h[:])
		}
	case jose.PS256:
		priv := f.priv.(*rsa.PrivateKey)
		opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
		return func(in []byte) ([]byte, error) {
			h := sha256.Sum256(in)
			return rsa.SignPSS(rand.Reader, priv, crypto.SHA256, h[:], opts)
		}
	case jose.ES256:
		// SignASN1 is the cheapest ECDSA signing entry point: ecdsa.Sign
		// calls it and then converts r and s to big.Int.
		priv := f.priv.(*ecdsa.PrivateKey)
		return func(in []byte) ([]byte, error) {
			h := sha256.Sum256(in)
			return ecdsa.SignASN1(rand.Reader, priv, h[:])
		}
	case jose.EdDSA:
		priv := f.priv.(ed25519.PrivateKey)
		return func(in []byte) ([]byte, error) { return ed25519.Sign(priv, in), nil }
	}
	panic("no floor for " + f.alg)
}

// ---------------------------------------------------------------- raw JWS

// rawKey is key material for rawSign, which signs any bytes under any
// algorithm of the key's family: the differential test uses it to sign
// headers and payloads signet's own Signer would never produce.
type rawKey struct {
	secret []byte
	priv   crypto.Signer
}

func hashFor(alg string) (crypto.Hash, func() hash.Hash) {
	switch alg[2:] {
	case "384":
		return crypto.SHA384, sha512.New384
	case "512":
		return crypto.SHA512, sha512.New
	}
	return crypto.SHA256, sha256.New
}

// rawSign returns the JWS signature of input under alg (RFC 7518 §3,
// RFC 8037): HMAC, PKCS #1 v1.5, PSS with salt = hash length, fixed-size
// r||s for ECDSA, Ed25519.
func rawSign(alg string, k rawKey, input []byte) ([]byte, error) {
	if alg == "EdDSA" {
		p, ok := k.priv.(ed25519.PrivateKey)
		if !ok {
			return nil, errors.New("EdDSA needs an Ed25519 key")
		}
		return ed25519.Sign(p, input), nil
	}
	if len(alg) != 5 {
		return nil, fmt.Errorf("cannot sign with %q", alg)
	}
	h, newHash := hashFor(alg)
	if alg[:2] == "HS" {
		if k.secret == nil {
			return nil, errors.New("HMAC needs a secret")
		}
		m := hmac.New(newHash, k.secret)
		m.Write(input)
		return m.Sum(nil), nil
	}
	d := newHash()
	d.Write(input)
	digest := d.Sum(nil)
	switch alg[:2] {
	case "RS", "PS":
		p, ok := k.priv.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("RSA algorithm needs an RSA key")
		}
		if alg[0] == 'R' {
			return rsa.SignPKCS1v15(nil, p, h, digest)
		}
		return rsa.SignPSS(rand.Reader, p, h, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case "ES":
		p, ok := k.priv.(*ecdsa.PrivateKey)
		if !ok {
			return nil, errors.New("ECDSA algorithm needs an EC key")
		}
		r, s, err := ecdsa.Sign(rand.Reader, p, digest)
		if err != nil {
			return nil, err
		}
		size := (p.Curve.Params().BitSize + 7) / 8
		sig := make([]byte, 2*size)
		r.FillBytes(sig[:size])
		s.FillBytes(sig[size:])
		return sig, nil
	}
	return nil, fmt.Errorf("cannot sign with %q", alg)
}
