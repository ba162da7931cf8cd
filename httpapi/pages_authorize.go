package httpapi

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/oauth2"
)

// browserPages serves the browser side of the OpenID provider: the
// authorization endpoint, the login and consent forms, RP-initiated logout
// and the stylesheet.
type browserPages struct{ *Server }

// Mount registers the routes when a provider is configured.
func (h browserPages) Mount(s *Server) {
	if s.cfg.Provider == nil {
		return
	}
	s.handle("GET /oauth2/authorize", s.pageHandler(h.authorizeGet))
	s.handle("POST /oauth2/authorize", s.pageHandler(h.authorizePost))
	s.handle("POST /oauth2/login", s.pageHandler(h.login))
	s.handle("POST /oauth2/consent", s.pageHandler(h.consent))
	s.handle("GET /oauth2/logout", s.pageHandler(h.logoutGet))
	s.handle("POST /oauth2/logout", s.pageHandler(h.logoutPost))
	s.handle("GET /oauth2/static/style.css", s.style)
	s.handle("GET /oauth2/consents", s.pageHandler(h.consentsPage))
	s.handle("POST /oauth2/consents", s.pageHandler(h.withdrawConsent))
	s.handle("GET /v1/consents", s.bearer(h.consents))
	s.handle("DELETE /v1/consents/{client_id}", s.bearer(h.revokeConsent))
}

func (h browserPages) authorizeGet(w http.ResponseWriter, r *http.Request) error {
	return h.authorize(w, r, r.URL.Query(), oauth2.Decision{}, nil)
}

// authorizePost takes the request's parameters from a form (OpenID Connect
// Core section 3.1.2.1).
func (h browserPages) authorizePost(w http.ResponseWriter, r *http.Request) error {
	form, err := readForm(w, r)
	if err != nil {
		return h.errorPage(w, http.StatusBadRequest, "invalid_request", "The authorization request could not be read.")
	}
	return h.authorize(w, r, form, oauth2.Decision{}, nil)
}

// authorize validates the request q, then shows the login or consent page,
// or sends the browser back to the client, as the provider decides. b is
// the user just signed in, or nil to read the session cookie.
func (h browserPages) authorize(w http.ResponseWriter, r *http.Request, q url.Values, d oauth2.Decision, b *oauth2.Browser) error {
	p := h.cfg.Provider
	ar, err := p.ParseAuthorize(r.Context(), q)
	var ae *oauth2.AuthorizeError
	switch {
	case errors.As(err, &ae) && ae.Redirect:
		return h.redirect(w, r, ae.RedirectURL)
	case errors.As(err, &ae):
		return h.errorPage(w, http.StatusBadRequest, ae.Err.Code, "The application sent an invalid sign-in request: "+ae.Err.Description+".")
	case err != nil:
		return err
	}
	if b == nil {
		if b, err = h.browser(r); err != nil {
			return err
		}
	}
	out, err := p.Authorize(r.Context(), ar, b, d)
	if err != nil {
		return err
	}
	switch out.Step {
	case oauth2.StepLogin:
		return h.loginPage(w, r, ar, http.StatusOK, "", "")
	case oauth2.StepConsent:
		return h.render(w, http.StatusOK, "consent", pageData{Title: "Allow access?", ClientName: ar.Client.Name,
			Email: b.User.Email, Scopes: describeScopes(out.Scopes), CSRF: h.ensureCSRF(w, r), Request: q.Encode()}, ar.RedirectURI)
	}
	return h.redirect(w, r, out.RedirectURL)
}

func (h browserPages) loginPage(w http.ResponseWriter, r *http.Request, ar *oauth2.AuthRequest, status int, email, msg string) error {
	return h.render(w, status, "login", pageData{Title: "Sign in", ClientName: ar.Client.Name, Email: email,
		Error: msg, CSRF: h.ensureCSRF(w, r), Request: ar.Params.Encode()}, ar.RedirectURI)
}

// redirect sends the browser to a URL the provider has vouched for: the
// client's registered redirect URI. After a form, 303 makes it a GET.
func (h browserPages) redirect(w http.ResponseWriter, r *http.Request, to string) error {
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	w.Header().Set("Location", to)
	w.WriteHeader(status)
	return nil
}

// login checks the login form's password, opens the browser session and
// carries on with the authorization request.
func (h browserPages) login(w http.ResponseWriter, r *http.Request) error {
	form, ok, err := h.pageForm(w, r)
	if !ok {
		return err
	}
	q, ok := requestParams(form)
	if !ok {
		return h.errorPage(w, http.StatusBadRequest, "invalid_request", "The sign-in form lost its request. Go back to the application and start again.")
	}
	p := h.cfg.Provider
	ar, err := p.ParseAuthorize(r.Context(), q)
	if err != nil {
		return h.authorize(w, r, q, oauth2.Decision{}, nil) // answers the error
	}
	email := form.Get("email")
	cookie, b, err := p.SignIn(r.Context(), h.cookie(r, sessionCookie), email, form.Get("password"), h.meta(r))
	var te *account.ThrottledError
	switch {
	case errors.Is(err, account.ErrInvalidCredentials):
		return h.loginPage(w, r, ar, http.StatusUnauthorized, email, "The email or password is wrong.")
	case errors.As(err, &te):
		w.Header().Set("Retry-After", kindThrottled.problem("").retryAfter(te.RetryAfter).header.Get("Retry-After"))
		return h.loginPage(w, r, ar, http.StatusTooManyRequests, email, "Too many attempts. Wait a few minutes, then try again.")
	case err != nil:
		return err
	}
	h.setCookie(w, sessionCookie, cookie, p.BrowserSessionTTL())
	return h.authorize(w, r, q, oauth2.Decision{Fresh: true}, b)
}

// consent records the user's answer to the consent form and carries on.
func (h browserPages) consent(w http.ResponseWriter, r *http.Request) error {
	form, ok, err := h.pageForm(w, r)
	if !ok {
		return err
	}
	q, ok := requestParams(form)
	d := oauth2.Decision{Fresh: true, Consented: form.Get("decision") == "allow", Denied: form.Get("decision") == "deny"}
	if !ok || d.Consented == d.Denied {
		return h.errorPage(w, http.StatusBadRequest, "invalid_request", "The consent form was incomplete. Go back to the application and start again.")
	}
	return h.authorize(w, r, q, d, nil)
}
