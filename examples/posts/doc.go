// Command posts is the classic posts API protected by signet's access
// tokens through github.com/signet-dev/signet/jose/verify: the keys come
// from the issuer's discovery document, every request's bearer token is
// verified offline, and with a service token the API follows the issuer's
// revocation feed so that a logout is honoured within a second. See
// README.md for a walk-through with `signet serve` and curl.
package main
