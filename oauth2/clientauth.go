package oauth2

import (
	"context"
	"errors"
	"log/slog"

	"github.com/signet-dev/signet"
)

// Client authentication methods (RFC 6749 section 2.3.1; OpenID Connect
// Core section 9), as the discovery document names them.
const (
	AuthBasic = "client_secret_basic"
	AuthPost  = "client_secret_post"
	AuthNone  = "none" // a public client: client_id only, PKCE proves the rest
)

// ClientAuth is what a request to the token, introspection or revocation
// endpoint says about its client: the method it used, the client id and
// the secret (empty for AuthNone). The HTTP layer fills it from the
// Authorization header or the form, refusing requests that use two methods.
type ClientAuth struct {
	Method string
	ID     string
	Secret string
}

// errClientAuth is the one answer to every failed client authentication,
// so an unknown client and a wrong secret cannot be told apart.
var errClientAuth = oauthErr(ErrInvalidClient, "client authentication failed")

// dummyClient makes an unknown client cost the same HMAC as a known one.
var dummyClient = signet.Client{SecretHash: make([]byte, signet.ClientSecretHashSize)}

// authenticateClient returns the client a ClientAuth proves. A public client
// authenticates with AuthNone only, a confidential one with its secret by
// either method; anything else is invalid_client.
func (p *Provider) authenticateClient(ctx context.Context, a ClientAuth) (signet.Client, error) {
	if !signet.ValidClientID(a.ID) {
		return signet.Client{}, errClientAuth
	}
	c, err := p.client(ctx, a.ID)
	switch {
	case errors.Is(err, signet.ErrNotFound):
		d := dummyClient
		d.SecretKeyID = p.secretKeyID
		p.secretMatches(d, a.Secret)
		a.ID = "" // not logged: it may be a secret typed into the wrong field
		return signet.Client{}, p.clientRefused(ctx, a, "unknown client")
	case err != nil:
		return signet.Client{}, internal("reading the client", err)
	case c.Public() && a.Method == AuthNone:
		return c, nil
	case c.Public() || a.Method == AuthNone:
		return signet.Client{}, p.clientRefused(ctx, a, "wrong authentication method")
	case !hasSecretForm(a.Secret) || !p.secretMatches(c, a.Secret):
		return signet.Client{}, p.clientRefused(ctx, a, "wrong secret")
	}
	return c, nil
}

func (p *Provider) clientRefused(ctx context.Context, a ClientAuth, reason string) error {
	p.event(ctx, slog.LevelWarn, "client.auth_failed", "client authentication failed",
		slog.String("client_id", a.ID), slog.String("method", a.Method), slog.String("reason", reason))
	return errClientAuth
}

// client returns the client with the given id, from the cache when it was
// read less than Config.ClientCacheTTL ago.
func (p *Provider) client(ctx context.Context, id string) (signet.Client, error) {
	now := p.cfg.Now()
	if c, ok := p.clients.get(id, now); ok {
		return c, nil
	}
	c, err := p.store.Client(ctx, id)
	if err == nil {
		p.clients.put(c, now)
	}
	return c, err
}
