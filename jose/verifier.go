package jose

import (
	"errors"
	"fmt"
	"time"
)

// DefaultLeeway is the clock skew allowed on "exp", "nbf" and "iat".
const DefaultLeeway = 30 * time.Second

// Token types for WithTokenType (the "typ" header, RFC 7515 section 4.1.9).
const (
	// TypeJWT is the default: a plain JWT such as an OpenID Connect ID token,
	// with "typ" absent or "JWT".
	TypeJWT = "JWT"
	// TypeAccessToken is an RFC 9068 access token, "typ": "at+jwt".
	TypeAccessToken = "at+jwt"
)

// KeySource gives a Verifier its keys. *KeySet is a KeySource; a remote JWKS
// cache is another. CurrentKeys is called once per verification and must be
// cheap and safe for concurrent use.
type KeySource interface {
	CurrentKeys() *KeySet
}

// KeyRefresher is a KeySource that can look for a kid it does not know yet
// (after a key rotation). RefreshForKeyID returns the set to retry with, or
// nil; it should rate-limit itself, since tokens name any kid they like.
type KeyRefresher interface {
	KeySource
	RefreshForKeyID(kid string) *KeySet
}

// core is the part of a Verifier the signature check needs.
type core struct {
	keys      KeySource
	refresher KeyRefresher
	algs      map[Algorithm]bool // nil: any algorithm a key is bound to
	maxSize   int
	headers   *headerCache
}

// Verifier checks compact JWTs: signature first, then the type and the
// claims. It is immutable and safe for concurrent use. Its allowed algorithms
// are those of its keys; a token never chooses.
type Verifier struct {
	core
	issuer       string
	audiences    []string
	typ          string
	leeway       int64
	now          func() time.Time
	required     claimSet
	skipIssuer   bool
	skipAudience bool
	optionalExp  bool
}

// Option configures a Verifier.
type Option func(*Verifier) error

// NewVerifier returns a Verifier over keys. It must be told the issuer
// (WithIssuer) and the accepted audiences (WithAudience) — or be told
// explicitly not to check them, with the options named Unsafe… — because a
// token for another issuer or another service must never pass by default
// (RFC 8725 sections 3.8 and 3.9).
func NewVerifier(keys KeySource, opts ...Option) (*Verifier, error) {
	if keys == nil {
		return nil, errors.New("jose: NewVerifier needs a key source")
	}
	v := &Verifier{core: core{keys: keys, maxSize: DefaultMaxTokenSize, headers: &headerCache{}}, typ: TypeJWT,
		leeway: int64(DefaultLeeway / time.Second), now: time.Now, required: clExp}
	v.refresher, _ = keys.(KeyRefresher)
	for _, o := range opts {
		if err := o(v); err != nil {
			return nil, err
		}
	}
	if v.issuer == "" && !v.skipIssuer {
		return nil, errors.New("jose: NewVerifier needs WithIssuer (or UnsafeSkipIssuerCheck)")
	}
	if len(v.audiences) == 0 && !v.skipAudience {
		return nil, errors.New("jose: NewVerifier needs WithAudience (or UnsafeSkipAudienceCheck)")
	}
	if v.optionalExp {
		v.required &^= clExp
	}
	return v, nil
}

// WithIssuer sets the issuer "iss" must equal exactly.
func WithIssuer(iss string) Option {
	return func(v *Verifier) error { v.issuer = iss; return nil }
}

// WithAudience sets the accepted audiences: "aud" must contain at least one.
func WithAudience(aud ...string) Option {
	return func(v *Verifier) error { v.audiences = append(v.audiences, aud...); return nil }
}

// WithTokenType sets the kind of token accepted, by its "typ" header:
// TypeJWT (the default: absent or "JWT") or TypeAccessToken ("at+jwt"), or
// any other media type, compared case-insensitively with an optional
// "application/" prefix (RFC 7515 section 4.1.9).
func WithTokenType(typ string) Option {
	return func(v *Verifier) error { v.typ = typ; return nil }
}

// WithLeeway sets the clock skew allowed on "exp", "nbf" and "iat" (default
// 30 s). It is counted in whole seconds.
func WithLeeway(d time.Duration) Option {
	return func(v *Verifier) error {
		if d < 0 || d > 5*time.Minute {
			return fmt.Errorf("jose: leeway %v is outside 0..5m", d)
		}
		v.leeway = int64(d / time.Second)
		return nil
	}
}

// WithClock sets the clock used for time-based claims (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(v *Verifier) error { v.now = now; return nil }
}

// WithMaxTokenSize sets the size limit checked before any decoding (default
// DefaultMaxTokenSize, 8 KiB).
func WithMaxTokenSize(n int) Option {
	return func(v *Verifier) error {
		if n < 64 {
			return fmt.Errorf("jose: max token size %d is too small", n)
		}
		v.maxSize = n
		return nil
	}
}

// WithAlgorithms restricts verification to algs, on top of the binding of
// each key to its own algorithm.
func WithAlgorithms(algs ...Algorithm) Option {
	return func(v *Verifier) error {
		v.algs = map[Algorithm]bool{}
		for _, a := range algs {
			if _, ok := lookupAlg(a); !ok {
				return fmt.Errorf("jose: unknown algorithm %q", a)
			}
			v.algs[a] = true
		}
		return nil
	}
}

// WithRequiredClaims makes the named claims mandatory ("exp" always is,
// unless UnsafeAllowMissingExpiry). Names must be claims Claims holds.
func WithRequiredClaims(names ...string) Option {
	return func(v *Verifier) error {
		for _, n := range names {
			bit, ok := claimBits[n]
			if !ok {
				return fmt.Errorf("jose: cannot require unknown claim %q", n)
			}
			v.required |= bit
		}
		return nil
	}
}

// UnsafeSkipIssuerCheck accepts any "iss". Only for tools that inspect tokens.
func UnsafeSkipIssuerCheck() Option {
	return func(v *Verifier) error { v.skipIssuer = true; return nil }
}

// UnsafeSkipAudienceCheck accepts any "aud". Only for tools that inspect
// tokens, or a verifier whose issuer mints tokens for it alone.
func UnsafeSkipAudienceCheck() Option {
	return func(v *Verifier) error { v.skipAudience = true; return nil }
}

// UnsafeAllowMissingExpiry accepts tokens without "exp" (they never expire).
// Never for access tokens (security rule 6).
func UnsafeAllowMissingExpiry() Option {
	return func(v *Verifier) error { v.optionalExp = true; return nil }
}
