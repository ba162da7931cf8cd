// Package oauth2 is signet's OpenID Provider: the logic of the OAuth 2.0
// authorization server (RFC 6749) and OpenID Connect (Core 1.0) endpoints
// under /oauth2/, with no SQL and no HTTP. The HTTP layer (package httpapi)
// parses requests into the types of this package and writes back what its
// methods return; the store (signet.OAuthStore) applies each decision
// atomically.
//
// # What it enforces
//
//   - Authorization requests: response_type=code only, PKCE with S256
//     required (RFC 7636; RFC 9700 section 2.1.1), a state, redirect URIs
//     compared as exact strings with the registered ones, prompt none,
//     login or consent, max_age. Errors go back to the client only once the
//     client and the redirect URI are known to be valid; before that they
//     are shown to the user (RFC 6749 section 4.1.2.1).
//   - Authorization codes are 256 random bits, stored only as a hash, valid
//     for a minute, bound to the client, the redirect URI and the PKCE
//     challenge, and redeemed once; a replay revokes the session the code
//     opened, access tokens included (SECURITY.md rule 13).
//   - The token endpoint's grants: authorization_code, refresh_token (the
//     rotation and reuse rules of /v1/refresh, by the account service's own
//     code) and client_credentials. Client secrets are 256 random bits,
//     stored as HMAC-SHA-256 under a key derived from the master key, and
//     compared in constant time.
//   - Introspection (RFC 7662) reflects revocation; revocation (RFC 7009)
//     ends the session of a refresh token or revokes one access token.
//   - ID tokens are signed RS256 for clients registered for it, with the
//     server's default (ES256) otherwise.
//
// # Browser sessions
//
// A successful login on the login page opens a browser session: a random
// cookie value whose hash the store keeps. It gives single sign-on across
// clients until it expires, the user signs out (RP-initiated logout), the
// account is disabled or all its sessions are revoked. Consent is remembered
// per user and client, for the set of scopes granted, and revocable.
package oauth2
