// Package token mints signet's tokens: opaque refresh tokens, RFC 9068 access
// tokens and OpenID Connect ID tokens. It decides what goes into a token and
// nothing else: which key signs (package keys), who may have a token and for
// how long (package account) are decided by its callers.
//
// Nothing secret goes into a payload (SECURITY.md rule 7): a JWT is signed,
// not encrypted, and anyone holding it can read it. Access tokens carry the
// subject's id, never the email; ID tokens carry the profile claims the
// caller chose to release.
//
// Refresh tokens are 256 random bits, base64url-encoded. Only their SHA-256
// hash (signet.HashRefreshToken) is ever stored.
package token
