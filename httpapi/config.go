package httpapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/signet-dev/signet/oauth2"
)

// Config is the HTTP layer's configuration. The zero value is usable: New
// fills every unset field with its default, in withDefaults and nowhere else.
type Config struct {
	// Issuer is the server's issuer URL (the "iss" of its tokens), from which
	// the discovery document builds its endpoint URLs. Default
	// "http://localhost:8080".
	Issuer string

	// TrustedProxies are the peers whose X-Forwarded-For and Forwarded
	// headers are believed. For any other peer those headers are ignored and
	// the client address is the connection's remote address (SECURITY.md
	// rule 10). Empty: no proxy is trusted.
	TrustedProxies []netip.Prefix

	// ProxyHeader names the one header the trusted proxies write:
	// "X-Forwarded-For" (the default; nginx, HAProxy, cloud load balancers)
	// or "Forwarded" (RFC 7239). Only that header is read, because a proxy
	// passes the other one through from the client untouched, and believing
	// it would let the client choose its own address.
	ProxyHeader string

	// CORSOrigins are the exact origins ("https://app.example", scheme, host
	// and port as a browser sends them) allowed to call the API from a
	// browser. Empty: CORS is off. "*" is not a wildcard; Validate refuses it.
	CORSOrigins []string

	// MaxBodyBytes bounds every request body; a larger body gets 413.
	// Default 64 KiB.
	MaxBodyBytes int64

	// HeartbeatInterval is how often an idle revocation stream sends a
	// comment line to keep proxies from closing it. Default 15 s.
	HeartbeatInterval time.Duration

	// ReadyTimeout bounds one call of the readiness check. Default 2 s.
	ReadyTimeout time.Duration

	// Logger receives the access log and internal errors. Default
	// slog.Default().
	Logger *slog.Logger

	// Now is the clock used for request durations. Default time.Now.
	Now func() time.Time

	// Provider, when set, is the OpenID provider behind /oauth2/ (and the
	// login and consent pages); nil serves none of them, and the discovery
	// document names none.
	Provider *oauth2.Provider
}

// Values of Config.ProxyHeader.
const (
	HeaderXForwardedFor = "X-Forwarded-For"
	HeaderForwarded     = "Forwarded"
)

// Defaults of Config.
const (
	DefaultIssuer            = "http://localhost:8080"
	DefaultMaxBodyBytes      = 64 << 10
	DefaultHeartbeatInterval = 15 * time.Second
	DefaultReadyTimeout      = 2 * time.Second
)

// withDefaults returns c with every unset field set to its default.
func (c Config) withDefaults() Config {
	if c.Issuer == "" {
		c.Issuer = DefaultIssuer
	}
	c.Issuer = strings.TrimRight(c.Issuer, "/")
	if c.ProxyHeader == "" {
		c.ProxyHeader = HeaderXForwardedFor
	}
	c.ProxyHeader = http.CanonicalHeaderKey(c.ProxyHeader)
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = DefaultHeartbeatInterval
	}
	if c.ReadyTimeout <= 0 {
		c.ReadyTimeout = DefaultReadyTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate reports every field of c that would make the server misbehave:
// an issuer that is not an absolute http(s) URL without query or fragment,
// and a CORS origin that is not exactly scheme://host[:port] (so "*" and
// "null" are refused: SECURITY.md rule 18). cmd/signet calls it before New.
func (c Config) Validate() error {
	var errs []error
	if c.Issuer != "" {
		u, err := url.Parse(c.Issuer)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("issuer %q: want an absolute http(s) URL without query or fragment", c.Issuer))
		}
	}
	if h := http.CanonicalHeaderKey(c.ProxyHeader); h != "" && h != HeaderXForwardedFor && h != HeaderForwarded {
		errs = append(errs, fmt.Errorf("proxy header %q: want %q or %q", c.ProxyHeader, HeaderXForwardedFor, HeaderForwarded))
	}
	for _, o := range c.CORSOrigins {
		if !validOrigin(o) {
			errs = append(errs, fmt.Errorf("CORS origin %q: want scheme://host[:port] exactly, no wildcard, path or trailing slash", o))
		}
	}
	return errors.Join(errs...)
}

// validOrigin reports whether o is a serialized origin (RFC 6454 section 6.2).
func validOrigin(o string) bool {
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil && u.Scheme+"://"+u.Host == o
}
