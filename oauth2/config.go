package oauth2

import (
	"fmt"
	"log/slog"
	"time"
)

// Config is the provider's configuration; withDefaults fills what is unset,
// in one place. Token lifetimes, the issuer and the first-party audiences
// come from the account service's settings, so both issue alike.
type Config struct {
	// CodeTTL is how long an authorization code may be redeemed; default 1
	// minute (RFC 6749 section 4.1.2 recommends at most 10).
	CodeTTL time.Duration
	// BrowserSessionTTL is how long a login on the login page gives single
	// sign-on; default 12 hours.
	BrowserSessionTTL time.Duration
	// ClientCacheTTL is how long a client record read from the store is
	// used without reading it again; default 1 second. A secret rotated or
	// a client removed by another process (the CLI, another instance) takes
	// effect within it; in this process, at once. Negative turns the cache
	// off.
	ClientCacheTTL time.Duration
	// Now is the clock; default the account service's.
	Now func() time.Time
	// Logger receives the provider's security events; default the account
	// service's.
	Logger *slog.Logger
}

func (c Config) withDefaults(now func() time.Time, log *slog.Logger) (Config, error) {
	c.CodeTTL = orDuration(c.CodeTTL, time.Minute)
	c.BrowserSessionTTL = orDuration(c.BrowserSessionTTL, 12*time.Hour)
	c.ClientCacheTTL = orDuration(c.ClientCacheTTL, time.Second)
	if c.Now == nil {
		c.Now = now
	}
	if c.Logger == nil {
		c.Logger = log
	}
	if c.CodeTTL < 0 || c.BrowserSessionTTL < 0 || c.CodeTTL > 10*time.Minute {
		return c, fmt.Errorf("%w: lifetimes must be positive, codes live at most 10 minutes", errConfig)
	}
	return c, nil
}

func orDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
