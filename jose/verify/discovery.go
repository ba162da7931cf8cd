package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Discovery is the part of an issuer's metadata document (OpenID Connect
// Discovery 1.0 section 3, RFC 8414 section 2) a verifier uses.
type Discovery struct {
	Issuer              string `json:"issuer"`
	JWKSURI             string `json:"jwks_uri"`
	RevocationsEndpoint string `json:"signet_revocations_endpoint,omitempty"`
	RevocationsStream   string `json:"signet_revocations_stream,omitempty"`
}

// DiscoveryURL returns where issuer publishes its metadata: the issuer with
// "/.well-known/openid-configuration" appended (OpenID Connect Discovery 1.0
// section 4; a trailing slash of the issuer is dropped first).
func DiscoveryURL(issuer string) string {
	return strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
}

// Discover fetches issuer's discovery document and checks it: its "issuer"
// must equal issuer exactly (section 4.3: a document of another issuer
// would hand over its keys), and "jwks_uri" must be present and pass the
// https rule. Options: WithHTTPClient, UnsafeAllowHTTP, WithFetchTimeout,
// WithMaxResponseSize. Errors wrap ErrInsecureURL, ErrFetch or
// ErrDiscovery.
func Discover(ctx context.Context, issuer string, opts ...Option) (*Discovery, error) {
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return c.discover(ctx, issuer)
}

func (c *config) discover(ctx context.Context, issuer string) (*Discovery, error) {
	u := DiscoveryURL(issuer)
	if _, err := checkURL(u, c.allowHTTP); err != nil {
		return nil, err
	}
	resp, err := c.fetch(ctx, u, http.Header{"Accept": {"application/json"}}, c.maxResponse)
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusOK {
		return nil, fmt.Errorf("%w: GET %s: status %d", ErrFetch, u, resp.status)
	}
	var d Discovery
	if err := json.Unmarshal(resp.body, &d); err != nil {
		return nil, fmt.Errorf("%w: %s is not a JSON object: %v", ErrFetch, u, err)
	}
	if d.Issuer != issuer {
		return nil, fmt.Errorf("%w: the document at %s is of issuer %q, not %q", ErrDiscovery, u, d.Issuer, issuer)
	}
	if d.JWKSURI == "" {
		return nil, fmt.Errorf("%w: the document at %s has no jwks_uri", ErrDiscovery, u)
	}
	if _, err := checkURL(d.JWKSURI, c.allowHTTP); err != nil {
		return nil, err
	}
	return &d, nil
}
