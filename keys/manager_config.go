package keys

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/signet-dev/signet/jose"
)

// IDTokenAlgorithm is always in use besides the access-token algorithm:
// OpenID Connect requires RS256 for ID tokens of clients that ask for it.
const IDTokenAlgorithm = jose.RS256

// ManagerConfig configures a Manager. The zero value is the default except
// for Logger and Now, which default to slog.Default and time.Now.
type ManagerConfig struct {
	// AccessAlgorithm signs access tokens: ES256 by default, any jose
	// algorithm; HS256/384/512 for a single service that holds the secret.
	AccessAlgorithm jose.Algorithm
	// RotateEvery is how long a key signs before the schedule rotates it
	// (default 30 days; negative turns the schedule off, leaving Rotate).
	RotateEvery time.Duration
	// TokenLifetime is the longest lifetime of any token the keys sign (the
	// larger of the access and ID token lifetimes; default 1 hour). A
	// retired key stays published for ReloadEvery plus TokenLifetime plus
	// Leeway.
	TokenLifetime time.Duration
	// Leeway is the clock skew verifiers allow (default 30 s).
	Leeway time.Duration
	// ReloadEvery is how often Run re-reads the store to pick up changes of
	// other processes (default 30 s).
	ReloadEvery time.Duration
	// UnknownKIDReload is the least time between two reloads caused by a
	// token naming an unknown kid (default 5 s): tokens name any kid they
	// like, so they must not be able to make the store busy.
	UnknownKIDReload time.Duration
	// JWKSMaxAge is the longest time a JWKS may be cached (default 1 hour);
	// a next key is published at least this long before it signs.
	JWKSMaxAge time.Duration
	Logger     *slog.Logger
	Now        func() time.Time
}

// withDefaults is the one place defaults are applied.
func (c ManagerConfig) withDefaults() (ManagerConfig, error) {
	if c.AccessAlgorithm == "" {
		c.AccessAlgorithm = jose.ES256
	}
	if !knownAlgorithm(c.AccessAlgorithm) {
		return c, fmt.Errorf("%w: unknown access token algorithm %q", ErrConfig, c.AccessAlgorithm)
	}
	c.RotateEvery = orDefault(c.RotateEvery, 30*24*time.Hour)
	c.TokenLifetime = orDefault(c.TokenLifetime, time.Hour)
	c.Leeway = orDefault(c.Leeway, 30*time.Second)
	c.ReloadEvery = orDefault(c.ReloadEvery, 30*time.Second)
	c.UnknownKIDReload = orDefault(c.UnknownKIDReload, 5*time.Second)
	c.JWKSMaxAge = orDefault(c.JWKSMaxAge, time.Hour)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.TokenLifetime < 0 || c.Leeway < 0 || c.ReloadEvery <= 0 || c.UnknownKIDReload < 0 || c.JWKSMaxAge <= 0 {
		return c, fmt.Errorf("%w: durations must be positive", ErrConfig)
	}
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func knownAlgorithm(a jose.Algorithm) bool {
	for _, k := range jose.Algorithms() {
		if k == a {
			return true
		}
	}
	return false
}

// symmetric reports whether alg is an HMAC algorithm, whose keys are secrets
// that are never published.
func symmetric(alg string) bool {
	return alg == string(jose.HS256) || alg == string(jose.HS384) || alg == string(jose.HS512)
}
