package oauth2

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"time"

	"github.com/signet-dev/signet"
)

// Step is what an authorization request needs next.
type Step int

const (
	// StepLogin: show the login page.
	StepLogin Step = iota
	// StepConsent: show the consent page for Outcome.Scopes.
	StepConsent
	// StepRedirect: send the browser to Outcome.RedirectURL, which holds
	// the code, or an error for the client.
	StepRedirect
)

// Decision is what the user did in the request being answered.
type Decision struct {
	// Fresh is set when the user has just entered the password in this
	// request, or has just answered the consent form of the browser session
	// that did: prompt=login and max_age are then satisfied.
	Fresh bool
	// Consented is set when the user approved the consent form; Denied
	// when they refused it.
	Consented bool
	Denied    bool
}

// Outcome is Authorize's answer.
type Outcome struct {
	Step        Step
	RedirectURL string   // StepRedirect
	Scopes      []string // StepConsent: the scopes the user is asked for
}

// Authorize decides what a valid authorization request needs, given the
// browser's signed-in user (nil if none) and what the user just did: the
// login page, the consent page, or a redirect to the client with a code or
// with an error (login_required, consent_required for prompt=none;
// access_denied when the user refused).
func (p *Provider) Authorize(ctx context.Context, ar *AuthRequest, b *Browser, d Decision) (Outcome, error) {
	if p.needsLogin(ar, b, d) {
		if ar.PromptNone {
			return p.redirect(ar, oauthErr(ErrLoginRequired, "the user is not signed in"))
		}
		return Outcome{Step: StepLogin}, nil
	}
	if d.Denied {
		p.logBrowser(ctx, "consent.denied", "consent denied", b, slog.String("client_id", ar.Client.ID))
		return p.redirect(ar, oauthErr(ErrAccessDenied, "the user refused"))
	}
	scopes := forUser(ar.Scopes, p.svc.GrantedScopes(b.User.Roles))
	ok, err := p.consented(ctx, ar, b, scopes, d)
	if err != nil {
		return Outcome{}, err
	}
	if !ok {
		if ar.PromptNone {
			return p.redirect(ar, oauthErr(ErrConsentRequired, "the user has not consented to this client"))
		}
		return Outcome{Step: StepConsent, Scopes: scopes}, nil
	}
	code, err := p.newCode(ctx, ar, b.User, scopes, b.Session.AuthTime)
	if err != nil {
		return Outcome{}, err
	}
	p.logBrowser(ctx, "code.issued", "authorization code issued", b, slog.String("client_id", ar.Client.ID))
	v := url.Values{"code": {code}, "state": {ar.State}, "iss": {p.acct.Issuer}}
	return Outcome{Step: StepRedirect, RedirectURL: withQuery(ar.RedirectURI, v)}, nil
}

// needsLogin reports whether the user must enter the password: nobody is
// signed in, or prompt=login or max_age asks for a fresh login that this
// request did not bring.
func (p *Provider) needsLogin(ar *AuthRequest, b *Browser, d Decision) bool {
	switch {
	case b == nil:
		return true
	case d.Fresh:
		return false
	case ar.PromptLogin:
		return true
	case ar.MaxAge >= 0:
		return p.now().Sub(b.Session.AuthTime) > time.Duration(ar.MaxAge)*time.Second
	}
	return false
}

// consented reports whether the user has agreed to give the client these
// scopes: just now (which is remembered, together with what was agreed
// before), or before, unless prompt=consent asks again.
func (p *Provider) consented(ctx context.Context, ar *AuthRequest, b *Browser, scopes []string, d Decision) (bool, error) {
	prior, err := p.store.Consent(ctx, b.User.ID, ar.Client.ID)
	if err != nil && !errors.Is(err, signet.ErrNotFound) {
		return false, internal("reading the consent", err)
	}
	if !d.Consented {
		return err == nil && !ar.PromptConsent && prior.Covers(scopes), nil
	}
	now := p.now()
	union := append([]string(nil), prior.Scopes...)
	for _, s := range scopes {
		if !hasScope(union, s) {
			union = append(union, s)
		}
	}
	c := signet.Consent{UserID: b.User.ID, ClientID: ar.Client.ID, Scopes: union, CreatedAt: now, UpdatedAt: now}
	if err := p.store.PutConsent(ctx, c); err != nil {
		return false, internal("storing the consent", err)
	}
	p.logBrowser(ctx, "consent.granted", "consent granted", b, slog.String("client_id", ar.Client.ID))
	return true, nil
}

func (p *Provider) redirect(ar *AuthRequest, e *Error) (Outcome, error) {
	return Outcome{Step: StepRedirect, RedirectURL: p.redirectErr(ar, e).RedirectURL}, nil
}
