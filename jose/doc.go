// Package jose signs and verifies JSON Web Tokens: compact JWS (RFC 7515,
// RFC 7518, RFC 8037) with JWT claims (RFC 7519, RFC 9068), JSON Web Keys and
// key sets (RFC 7517) with thumbprints (RFC 7638). It depends on the Go
// standard library only.
//
// It is strict by design, following RFC 8725 (JWT Best Current Practices):
//
//   - Every Key is bound to one Algorithm when it is made; the verifier's
//     allowed algorithms are those of its keys, so a token's "alg" only ever
//     confirms the key's algorithm and never chooses it. "none" does not exist.
//   - Keys are found by "kid" in the key set the Verifier was given; header
//     members that point elsewhere ("jku", "x5u", "jwk", "x5c") are ignored.
//   - Tokens are parsed strictly before any cryptography: a size limit, three
//     canonical base64url parts, JSON objects without duplicate members.
//   - "crit" and "b64": false are refused; ECDSA signatures must be the fixed
//     r||s form with r and s in range; RSA keys must have 2048 to 8192 bits and
//     no ROCA fingerprint; HMAC secrets must be as long as the hash output.
//   - A Verifier must be told its issuer and audiences (or opt out with an
//     option named Unsafe…), requires "exp", and tells access tokens
//     ("typ": "at+jwt") from other JWTs.
//
// It is also fast: the parts are decoded by a purpose-built strict base64url
// decoder and the header and claims read by a purpose-built strict JSON
// decoder rather than encoding/base64 and encoding/json, HMAC key schedules
// are pooled, and a verification allocates only the payload buffer and the
// returned Claims (plus what crypto/rsa and crypto/ecdsa allocate
// themselves), so the cost of verifying an RSA, ECDSA or Ed25519 token is
// within a few percent of its signature check alone. docs/benchmarks.md in
// the repository has the measurements.
//
// Use a Signer to make tokens and a Verifier to check them:
//
//	key, _ := jose.GenerateKey(jose.ES256, "")
//	signer, _ := jose.NewSigner(key, jose.WithType(jose.TypeAccessToken))
//	token, _ := signer.Sign(&jose.Claims{Issuer: "https://id.example", ...})
//
//	keys, _ := jose.NewKeySet(key.Public())
//	v, _ := jose.NewVerifier(keys, jose.WithIssuer("https://id.example"),
//		jose.WithAudience("https://api.example"), jose.WithTokenType(jose.TypeAccessToken))
//	claims, err := v.Verify(token)
//
// Errors wrap the sentinels in errors.go; tell them apart with errors.Is.
package jose
