package oauth2

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/signet-dev/signet"
)

// NewClient is a client the CLI registers (`signet client add`).
type NewClient struct {
	ID                     string
	Name                   string
	Public                 bool     // no secret: PKCE alone (a browser or native app)
	Secret                 string   // a supplied secret (CheckSecret); "" generates one
	RedirectURIs           []string // exact; required for authorization_code
	PostLogoutRedirectURIs []string
	GrantTypes             []string // default: authorization_code and refresh_token
	Scopes                 []string // default: openid profile email
	Audiences              []string // default: the server's audiences
	IDTokenAlg             string   // "RS256", "ES256" or "" for the default
}

// ClientInfo is a client as the CLI shows it: no secret, no hash.
type ClientInfo struct {
	signet.Client
}

func infoOf(c signet.Client) ClientInfo {
	c.SecretHash = nil
	return ClientInfo{Client: c}
}

// Confidential reports whether the client has a secret.
func (c ClientInfo) Confidential() bool { return c.SecretKeyID != "" }

// AddClient registers a client and returns it with its secret, which is
// shown once and never stored ("" for a public client). A taken id returns
// an error matching signet.ErrConflict; an invalid registration one
// matching signet.ErrInvalid.
func (p *Provider) AddClient(ctx context.Context, nc NewClient) (ClientInfo, string, error) {
	if nc.ID == p.acct.FirstPartyClientID {
		return ClientInfo{}, "", signet.Errorf(signet.ECONFLICT, "client id %q is the built-in first-party client's (--client-id)", nc.ID)
	}
	now := p.now()
	c := signet.Client{ID: nc.ID, Name: nc.Name, RedirectURIs: nc.RedirectURIs,
		PostLogoutRedirectURIs: nc.PostLogoutRedirectURIs, GrantTypes: nc.GrantTypes, Scopes: nc.Scopes,
		Audiences: nc.Audiences, IDTokenAlg: nc.IDTokenAlg, CreatedAt: now, UpdatedAt: now}
	if c.Name == "" {
		c.Name = c.ID
	}
	if c.GrantTypes == nil {
		c.GrantTypes = []string{signet.GrantAuthorizationCode, signet.GrantRefreshToken}
	}
	if c.Scopes == nil {
		c.Scopes = []string{"openid", "profile", "email"}
	}
	secret, err := p.setSecret(&c, nc.Public, nc.Secret)
	if err != nil {
		return ClientInfo{}, "", err
	}
	if err := p.store.CreateClient(ctx, c); err != nil {
		return ClientInfo{}, "", err
	}
	p.event(ctx, slog.LevelInfo, "client.added", "client registered", slog.String("client_id", c.ID),
		slog.Bool("public", c.Public()), slog.Any("grant_types", c.GrantTypes))
	return infoOf(c), secret, nil
}

// setSecret gives c a new secret (the supplied one, checked, or a generated
// one) unless it is public, and returns the secret.
func (p *Provider) setSecret(c *signet.Client, public bool, supplied string) (string, error) {
	if public {
		if supplied != "" {
			return "", signet.Errorf(signet.EINVALID, "a public client has no secret")
		}
		c.SecretHash, c.SecretKeyID = nil, ""
		return "", nil
	}
	secret := supplied
	if secret == "" {
		secret = NewSecret()
	} else if err := CheckSecret(secret); err != nil {
		return "", err
	}
	var err error
	if c.SecretHash, c.SecretKeyID, err = p.hashSecret(secret); err != nil {
		return "", internal("hashing the client secret", err)
	}
	return secret, nil
}

// Clients lists every client by id.
func (p *Provider) Clients(ctx context.Context) ([]ClientInfo, error) {
	list, err := p.store.ListClients(ctx)
	if err != nil {
		return nil, internal("listing clients", err)
	}
	out := make([]ClientInfo, 0, len(list))
	for _, c := range list {
		out = append(out, infoOf(c))
	}
	return out, nil
}

// RotateSecret gives a confidential client a new secret (supplied, or
// generated when "") and returns it; the old one stops working at once. A
// public client returns an error matching signet.ErrInvalid, an unknown one
// signet.ErrNotFound.
func (p *Provider) RotateSecret(ctx context.Context, id, supplied string) (string, error) {
	var secret string
	_, err := p.store.UpdateClient(ctx, id, func(c signet.Client) (signet.Client, error) {
		if c.Public() {
			return c, signet.Errorf(signet.EINVALID, "client %s is public: it has no secret", id)
		}
		var err error
		secret, err = p.setSecret(&c, false, supplied)
		c.UpdatedAt = p.now()
		return c, err
	})
	p.clients.forget(id)
	if err != nil {
		return "", err
	}
	p.event(ctx, slog.LevelInfo, "client.secret_rotated", "client secret rotated", slog.String("client_id", id))
	return secret, nil
}

// RemoveClient deletes a client with its codes and consents, ends every
// session issued to it and revokes its client-credentials tokens (access
// tokens included, through the revocation feed). An unknown id returns an
// error matching signet.ErrNotFound.
func (p *Provider) RemoveClient(ctx context.Context, id string) error {
	now := p.now()
	ended, err := p.store.DeleteClient(ctx, id, signet.SessionRevocation{At: now, FeedUntil: p.svc.FeedUntil(now)})
	p.clients.forget(id)
	if err != nil {
		if errors.Is(err, signet.ErrNotFound) {
			return err
		}
		return internal("removing the client", err)
	}
	p.svc.SessionsEnded(ctx, ended, now, "client removed")
	// Its client-credentials tokens have no session: their subject is the
	// client, cut off now, and a little later: other instances may still
	// authenticate it from their client cache for ClientCacheTTL.
	cutoff := now.Add(max(p.cfg.ClientCacheTTL, 0) + time.Second)
	stored, err := p.store.AddRevocations(ctx, signet.Revocation{Kind: signet.RevokeSub, Value: id, Before: cutoff,
		ExpiresAt: p.svc.FeedUntil(cutoff), CreatedAt: now})
	if err != nil {
		return internal("revoking the client's service tokens", err)
	}
	p.svc.Remember(stored...)
	p.event(ctx, slog.LevelInfo, "client.removed", "client removed", slog.String("client_id", id),
		slog.Int("sessions_ended", len(ended)))
	return nil
}

// clientScopes returns the scopes of a client-credentials token: the
// requested ones, each allowed to the client, or all the client's scopes
// that make sense without a user when none are requested.
func clientScopes(c signet.Client, requested []string) ([]string, error) {
	if len(requested) == 0 {
		var out []string
		for _, s := range c.Scopes {
			if !userScope(s) {
				out = append(out, s)
			}
		}
		return out, nil
	}
	for _, s := range requested {
		if !c.AllowsScope(s) || userScope(s) {
			return nil, oauthErr(ErrInvalidScope, "the client may not ask for scope "+quoteScope(s))
		}
	}
	return slices.Clone(requested), nil
}
