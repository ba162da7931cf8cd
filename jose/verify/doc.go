// Package verify is what an API imports to accept an issuer's access tokens
// offline: no call to the issuer per request, and still a revoked token is
// refused within seconds. It depends on the Go standard library and the
// jose package only, and works with any issuer that publishes a JWKS;
// the revocation feed is signet's.
//
// The parts:
//
//   - New builds a Verifier from the issuer's discovery document (or an
//     explicit JWKS URL, or keys of the caller's), the accepted audiences,
//     the required token type ("at+jwt" by default, RFC 9068), the leeway
//     and the allowed algorithms.
//   - RemoteKeySet fetches and caches the issuer's JWKS: it honours
//     Cache-Control, refreshes in the background before expiry, refetches
//     for an unknown "kid" at most once per interval (one request for a
//     burst), keeps the last good set while the issuer is unreachable,
//     bounds response sizes and times, and fetches only https (or loopback,
//     or with UnsafeAllowHTTP).
//   - Verifier.Middleware takes the bearer token from the Authorization
//     header (RFC 6750), verifies it, and puts the claims in the request
//     context for ClaimsFrom; RequireScope and RequireRole guard routes.
//     Refusals are answered per RFC 6750 section 3.
//   - A cache of verified tokens answers a repeat verification with a hash
//     and a comparison, in well under a microsecond and without
//     allocating; it never lets one token hit another's entry, and a
//     revocation takes effect on it at once.
//   - Follower keeps a RevocationSet current from signet's revocation
//     stream (Server-Sent Events), resuming from its cursor after a
//     disconnection; a Verifier with WithRevocationFeed runs one and refuses
//     tokens it covers. While the feed cannot be heard from, tokens are
//     accepted for WithMaxStaleness (2 minutes by default), then refused
//     with 503 until it is back; UnsafeFailOpen keeps accepting instead.
//
// Protect an API:
//
//	v, err := verify.New(ctx, "https://id.example.com",
//		verify.WithAudience("https://api.example.com"))
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer v.Close()
//	mux := http.NewServeMux()
//	mux.Handle("GET /posts", verify.RequireScope("posts:read")(listPosts))
//	mux.Handle("DELETE /posts/{id}", verify.RequireRole("admin")(deletePost))
//	log.Fatal(http.ListenAndServe(":8081", v.Middleware(mux)))
//
// Handlers read the caller with verify.ClaimsFrom(r.Context()).
package verify
