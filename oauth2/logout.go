package oauth2

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"slices"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// LogoutRequest is a validated RP-initiated logout request (OpenID Connect
// RP-Initiated Logout 1.0 section 2).
type LogoutRequest struct {
	// Hint holds the verified claims of id_token_hint, or nil.
	Hint *jose.Claims
	// RedirectURL is where to send the browser afterwards: the registered
	// post_logout_redirect_uri with the state, or "" to show signet's own
	// page.
	RedirectURL string
	// ClientName names the client for the confirmation page; "" if none.
	ClientName string
	Params     url.Values
}

// ParseLogout validates a logout request: an id_token_hint, when given,
// must be an unexpired ID token of this issuer (an expired one is ignored
// when client_id is given); a post_logout_redirect_uri must be registered, exactly, by the
// client the hint or client_id names. Errors are *Error (invalid_request)
// and are shown to the user, never redirected.
func (p *Provider) ParseLogout(ctx context.Context, q url.Values) (*LogoutRequest, error) {
	for name, vs := range q {
		if len(vs) > 1 {
			return nil, oauthErr(ErrInvalidRequest, name+" is given more than once")
		}
	}
	lr := &LogoutRequest{Params: q}
	clientID := q.Get("client_id")
	if h := q.Get("id_token_hint"); h != "" {
		c, err := p.verifyIDToken(h)
		switch {
		case errors.Is(err, jose.ErrExpired) && clientID != "":
			// An expired hint identifies nobody for sure; the user is asked
			// to confirm, as without a hint.
		case err != nil:
			return nil, oauthErr(ErrInvalidRequest, "id_token_hint is not a valid, unexpired ID token of this issuer; send client_id instead of an expired one")
		case clientID != "" && !slices.Contains(c.Audience, clientID):
			return nil, oauthErr(ErrInvalidRequest, "client_id is not the audience of id_token_hint")
		default:
			lr.Hint, clientID = c, c.Audience[0]
		}
	}
	if clientID == "" {
		if q.Has("post_logout_redirect_uri") {
			return nil, oauthErr(ErrInvalidRequest, "post_logout_redirect_uri needs client_id or id_token_hint")
		}
		return lr, nil
	}
	c, err := p.store.Client(ctx, clientID)
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return nil, oauthErr(ErrInvalidRequest, "there is no client with this client_id")
	case err != nil:
		return nil, internal("reading the client", err)
	}
	lr.ClientName = c.Name
	if uri := q.Get("post_logout_redirect_uri"); uri != "" {
		if !slices.Contains(c.PostLogoutRedirectURIs, uri) {
			return nil, oauthErr(ErrInvalidRequest, "post_logout_redirect_uri is not one this client registered (they must match exactly)")
		}
		v := url.Values{}
		if s := q.Get("state"); s != "" {
			v.Set("state", s)
		}
		lr.RedirectURL = uri
		if len(v) > 0 {
			lr.RedirectURL = withQuery(uri, v)
		}
	}
	return lr, nil
}

// verifyIDToken verifies an ID token of this issuer, signed by any of its
// published keys.
func (p *Provider) verifyIDToken(tok string) (*jose.Claims, error) {
	doc, _ := p.keys.JWKS()
	set, err := jose.ParseJWKS(doc)
	if err != nil {
		return nil, err
	}
	v, err := jose.NewVerifier(set, jose.WithIssuer(p.acct.Issuer), jose.UnsafeSkipAudienceCheck(),
		jose.WithTokenType(jose.TypeJWT), jose.WithClock(p.cfg.Now), jose.WithLeeway(p.acct.Leeway),
		jose.WithRequiredClaims("sub", "aud"))
	if err != nil {
		return nil, err
	}
	c, err := v.Verify(tok)
	if err != nil {
		return nil, err
	}
	if len(c.Audience) == 0 || c.ClientID != "" || c.Scope != "" {
		return nil, errors.New("oauth2: not an ID token") // an access token in disguise
	}
	return c, nil
}

// Logout ends the browser session behind cookie and, when the hint is the
// signed-in user's, the session of the hint's ID token (its refresh and
// access tokens too).
func (p *Provider) Logout(ctx context.Context, lr *LogoutRequest, cookie string) error {
	b, err := p.BrowserUser(ctx, cookie)
	if err != nil && !errors.Is(err, ErrNoBrowserSession) {
		return err
	}
	if err := p.SignOut(ctx, cookie); err != nil {
		return err
	}
	if lr.Hint != nil && lr.Hint.SessionID != "" && b != nil && b.User.ID == lr.Hint.Subject {
		if err := p.svc.EndSession(ctx, b.User.ID, lr.Hint.SessionID, "RP-initiated logout"); err != nil {
			return err
		}
	}
	p.logBrowser(ctx, "browser.logout", "signed out", b)
	return nil
}

// ConsentView is one consent as its user sees it.
type ConsentView struct {
	ClientID   string   `json:"client_id"`
	ClientName string   `json:"client_name"`
	Scopes     []string `json:"scopes"`
	GrantedAt  string   `json:"granted_at"`
}

// Consents lists the user's remembered consents.
func (p *Provider) Consents(ctx context.Context, userID string) ([]ConsentView, error) {
	list, err := p.store.ListConsents(ctx, userID)
	if err != nil {
		return nil, internal("listing consents", err)
	}
	out := make([]ConsentView, 0, len(list))
	for _, c := range list {
		name := c.ClientID
		if cl, err := p.store.Client(ctx, c.ClientID); err == nil {
			name = cl.Name
		}
		out = append(out, ConsentView{ClientID: c.ClientID, ClientName: name, Scopes: c.Scopes,
			GrantedAt: c.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	return out, nil
}

// RevokeConsent forgets the user's consent to a client and ends the user's
// sessions of that client, access tokens included: the client must ask
// again. No such consent returns an error matching signet.ErrNotFound.
func (p *Provider) RevokeConsent(ctx context.Context, userID, clientID string) error {
	now := p.now()
	ended, err := p.store.RevokeConsent(ctx, userID, clientID, signet.SessionRevocation{At: now, FeedUntil: p.svc.FeedUntil(now)})
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return signet.Errorf(signet.ENOTFOUND, "you have no consent for this client")
	case err != nil:
		return internal("revoking the consent", err)
	}
	p.svc.SessionsEnded(ctx, ended, now, "consent revoked")
	p.event(ctx, slog.LevelInfo, "consent.revoked", "consent revoked", slog.String("user_id", userID),
		slog.String("client_id", clientID), slog.Int("sessions_ended", len(ended)))
	return nil
}
