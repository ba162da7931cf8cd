package jose_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/signet-dev/signet/jose"
)

// The RFC 8037 Appendix A.1 Ed25519 private key.
const rfc8037Key = `{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`

// Generate a key; with an empty kid, the kid is its RFC 7638 thumbprint.
func ExampleGenerateKey() {
	key, err := jose.GenerateKey(jose.EdDSA, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	thumb, _ := key.ThumbprintString()
	fmt.Println(key.Algorithm(), key.IsPrivate(), key.KeyID() == thumb)
	// Output: EdDSA true true
}

// An HMAC secret must be at least as long as the hash output.
func ExampleNewHMACKey() {
	_, err := jose.NewHMACKey(jose.HS256, "k", []byte("short"))
	fmt.Println(err)
	key, _ := jose.NewHMACKey(jose.HS256, "k", make([]byte, 32))
	fmt.Println(key.Algorithm(), key.IsSymmetric())
	// Output:
	// jose: invalid key: HS256 needs a secret of at least 32 bytes, got 5
	// HS256 true
}

// Wrap a standard library key; the key is bound to the algorithm given.
func ExampleNewPublicKey() {
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	key, _ := jose.NewPublicKey(jose.ES256, "ec-1", &priv.PublicKey)
	_, err := jose.NewPublicKey(jose.ES384, "ec-1", &priv.PublicKey)
	fmt.Println(key.Algorithm(), err != nil)
	// Output: ES256 true
}

// Parse a private JWK (RFC 8037 A.1) and publish its public half.
func ExampleParseJWK() {
	key, err := jose.ParseJWK([]byte(rfc8037Key))
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, _ := key.Public().MarshalJSON()
	fmt.Println(key.Algorithm(), key.IsPrivate())
	fmt.Println(string(pub))
	// Output:
	// EdDSA true
	// {"kty":"OKP","alg":"EdDSA","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
}

// The RFC 7638 thumbprint of the RFC 8037 key (RFC 8037 A.3).
func ExampleKey_ThumbprintString() {
	key, _ := jose.ParseJWK([]byte(rfc8037Key))
	t, _ := key.ThumbprintString()
	fmt.Println(t)
	// Output: kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k
}

// Publish a key set as a JWKS document: public keys only.
func ExampleKeySet_MarshalJSON() {
	key, _ := jose.ParseJWK([]byte(rfc8037Key))
	pub, _ := jose.NewPublicKey(jose.EdDSA, "ed-2026", key.CryptoPublicKey())
	keys, _ := jose.NewKeySet(pub)
	doc, _ := keys.MarshalJSON()
	fmt.Println(string(doc))
	// Output: {"keys":[{"kty":"OKP","kid":"ed-2026","alg":"EdDSA","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}
}

// Sign exactly the header and payload given: RFC 7515 Appendix A.1.
func ExampleSignCompact() {
	key, _ := jose.ParseJWK([]byte(`{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}`),
		jose.WithDefaultAlgorithm(jose.HS256))
	tok, _ := jose.SignCompact(key, []byte("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"),
		[]byte("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"))
	fmt.Println(tok)
	// Output: eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
}

// Verify a JWS whose payload is not a JWT.
func ExampleVerifyJWS() {
	key, _ := jose.GenerateKey(jose.ES256, "doc-signer")
	signer, _ := jose.NewSigner(key, jose.WithType(""))
	tok, _ := signer.SignPayload([]byte("any bytes at all"))
	keys, _ := jose.NewKeySet(key.Public())
	header, payload, err := jose.VerifyJWS(tok, keys)
	fmt.Println(header.Algorithm, header.KeyID, string(payload), err)
	// Output: ES256 doc-signer any bytes at all <nil>
}

// tenantAccess is an application's claims: the registered ones plus its own.
type tenantAccess struct {
	jose.Claims
	Tenant string
}

// UnmarshalClaim receives each claim jose.Claims does not hold, after every
// check has passed.
func (c *tenantAccess) UnmarshalClaim(name string, value []byte) error {
	if name == "tenant" {
		c.Tenant = string(value)
	}
	return nil
}

// Verify into a struct of one's own, with a custom claim and a fixed clock.
func ExampleVerifier_VerifyInto() {
	key, _ := jose.GenerateKey(jose.HS256, "k")
	signer, _ := jose.NewSigner(key, jose.WithType(jose.TypeAccessToken))
	now := time.Unix(1_800_000_000, 0)
	tok, _ := signer.Sign(&struct {
		jose.Claims
		Tenant string `json:"tenant"`
	}{jose.Claims{Issuer: "https://id.example", Audience: jose.Audience{"api"},
		ExpiresAt: jose.NewNumericDate(now.Add(time.Minute))}, "acme"})

	keys, _ := jose.NewKeySet(key)
	v, _ := jose.NewVerifier(keys, jose.WithIssuer("https://id.example"), jose.WithAudience("api"),
		jose.WithTokenType(jose.TypeAccessToken), jose.WithClock(func() time.Time { return now }))
	var c tenantAccess
	err := v.VerifyInto(tok, &c)
	fmt.Println(err, c.Tenant)
	// Output: <nil> "acme"
}
