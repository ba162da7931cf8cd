package signet

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Grant types a client may be allowed (RFC 6749 sections 4.1, 4.4 and 6).
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
)

// ClientSecretHashSize is the size of Client.SecretHash: an HMAC-SHA-256.
const ClientSecretHashSize = 32

// Client is a registered OAuth 2.0 / OpenID Connect client (a relying
// party). A confidential client has a secret, stored only as a keyed hash
// (SecretHash, under the key named SecretKeyID); a public client has none
// and proves itself with PKCE alone. Redirect URIs match exactly as
// registered (SECURITY.md rule 13).
type Client struct {
	ID   string
	Name string // shown on the consent page
	// SecretHash is HMAC-SHA-256 of the secret under the key named by
	// SecretKeyID (the oauth2 package derives it from a master key); nil for
	// a public client.
	SecretHash  []byte
	SecretKeyID string
	// RedirectURIs are the exact redirect URIs of the authorization code
	// flow; PostLogoutRedirectURIs those of RP-initiated logout.
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	GrantTypes             []string // a subset of the Grant… constants
	Scopes                 []string // the scopes the client may ask for
	// Audiences, when set, is the "aud" of the client's access tokens;
	// empty means the server's configured audiences.
	Audiences []string
	// IDTokenAlg is the algorithm of the client's ID tokens: "RS256" for a
	// client registered for it, "" for the server's default (ES256).
	IDTokenAlg string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Public reports whether the client has no secret.
func (c Client) Public() bool { return len(c.SecretHash) == 0 }

// AllowsGrant reports whether the client may use the grant type.
func (c Client) AllowsGrant(grant string) bool { return slices.Contains(c.GrantTypes, grant) }

// AllowsScope reports whether the client may ask for the scope.
func (c Client) AllowsScope(scope string) bool { return slices.Contains(c.Scopes, scope) }

// HasRedirectURI reports whether uri is one of the registered redirect URIs,
// compared as exact strings: no normalisation, no prefix or pattern match.
func (c Client) HasRedirectURI(uri string) bool { return slices.Contains(c.RedirectURIs, uri) }

// Validate reports an EINVALID error if the client cannot be stored: a
// malformed id, an unknown grant type, a redirect URI that is not absolute
// or carries a fragment, a public client allowed client credentials, a
// secret hash of the wrong size, an unknown ID token algorithm.
func (c Client) Validate() error {
	switch {
	case !ValidClientID(c.ID):
		return Errorf(EINVALID, "client: the id must be 1 to 64 letters, digits, '-', '_' or '.'")
	case c.CreatedAt.IsZero() || c.UpdatedAt.IsZero():
		return Errorf(EINVALID, "client: created and updated times are required")
	case len(c.SecretHash) != 0 && (len(c.SecretHash) != ClientSecretHashSize || c.SecretKeyID == ""):
		return Errorf(EINVALID, "client: a secret hash is %d bytes with the id of its key", ClientSecretHashSize)
	case c.Public() && c.AllowsGrant(GrantClientCredentials):
		return Errorf(EINVALID, "client: a public client cannot use client_credentials")
	case c.IDTokenAlg != "" && c.IDTokenAlg != "RS256" && c.IDTokenAlg != "ES256":
		return Errorf(EINVALID, "client: the ID token algorithm is RS256 or ES256")
	case c.AllowsGrant(GrantAuthorizationCode) && len(c.RedirectURIs) == 0:
		return Errorf(EINVALID, "client: the authorization_code grant needs at least one redirect URI")
	}
	for _, g := range c.GrantTypes {
		if g != GrantAuthorizationCode && g != GrantRefreshToken && g != GrantClientCredentials {
			return Errorf(EINVALID, "client: unknown grant type %q", g)
		}
	}
	for _, u := range slices.Concat(c.RedirectURIs, c.PostLogoutRedirectURIs) {
		if err := ValidRedirectURI(u); err != nil {
			return err
		}
	}
	for _, s := range c.Scopes {
		if !ValidScopeToken(s) {
			return Errorf(EINVALID, "client: %q is not a scope (RFC 6749 section 3.3)", s)
		}
	}
	return nil
}

// ValidClientID reports whether id is a client id signet accepts: 1 to 64
// characters from [A-Za-z0-9._-], so it is safe in URLs, logs and forms.
func ValidClientID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// ValidRedirectURI reports an EINVALID error unless uri is an absolute URL
// without a fragment (RFC 6749 section 3.1.2), at most 2000 bytes, and
// either https, or http on a loopback host (RFC 8252 section 7.3), or a
// private-use scheme with a dot in it (RFC 8252 section 7.1).
func ValidRedirectURI(uri string) error {
	u, err := url.Parse(uri)
	bad := func(why string) error { return Errorf(EINVALID, "redirect URI %q: %s", uri, why) }
	switch {
	case err != nil || !u.IsAbs() || len(uri) > 2000:
		return bad("must be an absolute URL of at most 2000 bytes")
	case u.Fragment != "" || strings.Contains(uri, "#"):
		return bad("must not have a fragment")
	case u.User != nil:
		return bad("must not carry user information")
	case u.Scheme == "https" && u.Host != "":
		return nil
	case u.Scheme == "http" && isLoopbackHost(u.Hostname()):
		return nil
	case u.Scheme != "http" && u.Scheme != "https" && strings.Contains(u.Scheme, "."):
		return nil
	}
	return bad("must be https, http on a loopback host, or a reverse-domain private scheme")
}

func isLoopbackHost(h string) bool {
	return h == "localhost" || h == "::1" || strings.HasPrefix(h, "127.")
}

// ValidScopeToken reports whether s is one scope-token of RFC 6749 section
// 3.3: printable ASCII but space, '"' and '\'.
func ValidScopeToken(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// ClientStore keeps the client registry.
type ClientStore interface {
	// CreateClient stores a new client. It returns an EINVALID error if c
	// fails Validate and an ECONFLICT error if the id is taken.
	CreateClient(ctx context.Context, c Client) error

	// Client returns the client with the given id, or an ENOTFOUND error.
	Client(ctx context.Context, id string) (Client, error)

	// ListClients returns every client, ordered by id.
	ListClients(ctx context.Context) ([]Client, error)

	// UpdateClient reads the client, calls fn with it and stores what fn
	// returns (its ID and CreatedAt are kept), in one transaction under the
	// write lock; it returns the stored client. An error from fn is returned
	// as it is and nothing changes. It returns an ENOTFOUND error for an
	// unknown id and an EINVALID error if the new state fails Validate.
	UpdateClient(ctx context.Context, id string, fn func(Client) (Client, error)) (Client, error)

	// DeleteClient removes the client with its authorization codes and
	// consents, and ends every session issued to it, writing their
	// revocation entries as r says (r.SessionID and r.KeepSessionID are
	// ignored; r.BySubject is not allowed), all in one transaction. It
	// returns the sessions it ended, or an ENOTFOUND error for an unknown id.
	DeleteClient(ctx context.Context, id string, r SessionRevocation) ([]Session, error)
}
