package jose_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/signet-dev/signet/jose"
)

// Sign an RFC 9068 access token and verify it, as an API would.
func Example() {
	key, _ := jose.GenerateKey(jose.ES256, "2026-11-key")
	signer, _ := jose.NewSigner(key, jose.WithType(jose.TypeAccessToken))
	now := time.Now()
	token, _ := signer.Sign(&jose.Claims{
		Issuer: "https://id.example", Subject: "u_42", Audience: jose.Audience{"https://api.example"},
		IssuedAt: jose.NewNumericDate(now), ExpiresAt: jose.NewNumericDate(now.Add(15 * time.Minute)),
		Scope: "posts:read", Roles: []string{"editor"},
	})

	keys, _ := jose.NewKeySet(key.Public())
	verifier, _ := jose.NewVerifier(keys,
		jose.WithIssuer("https://id.example"),
		jose.WithAudience("https://api.example"),
		jose.WithTokenType(jose.TypeAccessToken))
	claims, err := verifier.Verify(token)
	if err != nil {
		fmt.Println("refused:", err)
		return
	}
	fmt.Println(claims.Subject, claims.HasScope("posts:read"), claims.HasRole("editor"))
	// Output: u_42 true true
}

// Tell failures apart with errors.Is.
func ExampleVerifier_Verify_errors() {
	key, _ := jose.GenerateKey(jose.HS256, "k")
	signer, _ := jose.NewSigner(key)
	token, _ := signer.Sign(&jose.Claims{Issuer: "https://id.example", Audience: jose.Audience{"api"},
		ExpiresAt: jose.NewNumericDate(time.Now().Add(-time.Hour))})
	keys, _ := jose.NewKeySet(key)
	verifier, _ := jose.NewVerifier(keys, jose.WithIssuer("https://id.example"), jose.WithAudience("api"))
	_, err := verifier.Verify(token)
	fmt.Println(errors.Is(err, jose.ErrExpired))
	// Output: true
}

// Read a provider's published key set.
func ExampleParseJWKS() {
	doc := []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`)
	keys, err := jose.ParseJWKS(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	k, _ := keys.Lookup("ed1")
	fmt.Println(k.Algorithm())
	// Output: EdDSA
}

// Decode a token without verifying it, for debugging only.
func ExampleUnsafeParseWithoutVerification() {
	u, _ := jose.UnsafeParseWithoutVerification("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1XzQyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtMTIzNA")
	fmt.Println(u.Header.Algorithm, u.Claims.Subject)
	// Output: HS256 u_42
}
