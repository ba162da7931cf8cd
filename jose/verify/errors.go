package verify

import "errors"

// Sentinel errors of this package. Errors returned by Verify wrap either one
// of these or one of the jose package's sentinels (jose.ErrExpired,
// jose.ErrWrongAudience, …), so callers tell failures apart with errors.Is.
// No message ever contains a token or key material.
var (
	// ErrNoToken reports a request without a bearer token (RFC 6750 section
	// 3.1: the answer carries no error code).
	ErrNoToken = errors.New("verify: no bearer token")

	// ErrMalformedRequest reports an Authorization header that is not one
	// well-formed "Bearer" credential (RFC 6750 "invalid_request").
	ErrMalformedRequest = errors.New("verify: malformed authorization header")

	// ErrRevoked reports a token covered by a live entry of the revocation
	// feed: its "jti", its session "sid", or its subject before a cut-off.
	ErrRevoked = errors.New("verify: token revoked")

	// ErrRevocationsUnavailable reports that the revocation feed has not been
	// heard from for longer than the allowed staleness (WithMaxStaleness), so
	// no token can be shown not to be revoked. It is a failure of this
	// service, not of the token: the middleware answers 503.
	ErrRevocationsUnavailable = errors.New("verify: revocation feed unavailable")

	// ErrKeysUnavailable reports that no key set could be fetched yet from the
	// issuer: the token may be fine. The middleware answers 503.
	ErrKeysUnavailable = errors.New("verify: issuer keys unavailable")

	// ErrInsufficientScope reports a valid token that lacks a scope or role
	// the route requires (RFC 6750 "insufficient_scope").
	ErrInsufficientScope = errors.New("verify: insufficient scope")

	// ErrInsecureURL reports a URL this package refuses to fetch: not https,
	// and neither a loopback address nor allowed by UnsafeAllowHTTP.
	ErrInsecureURL = errors.New("verify: insecure URL")

	// ErrFetch reports a failed fetch of a discovery document, key set or
	// revocation list: a network error, an unexpected status, a response over
	// the size limit, or a body that does not parse.
	ErrFetch = errors.New("verify: fetch failed")

	// ErrDiscovery reports a discovery document that does not fit this
	// verifier: another issuer, or a missing "jwks_uri" or revocation URL.
	ErrDiscovery = errors.New("verify: unusable discovery document")

	// ErrCursorGone reports that the issuer no longer keeps the revocation
	// cursor a follower asked to resume from (HTTP 410); the follower then
	// starts again from the full list.
	ErrCursorGone = errors.New("verify: revocation cursor gone")
)
