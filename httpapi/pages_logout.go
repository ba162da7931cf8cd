package httpapi

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/signet-dev/signet/oauth2"
)

// logoutGet is RP-initiated logout's endpoint: it asks the signed-in user to
// confirm (a GET must not sign anyone out: a link on any page could), or,
// with nobody signed in, goes straight to the end.
func (h browserPages) logoutGet(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	lr, err := h.cfg.Provider.ParseLogout(r.Context(), q)
	if err != nil {
		return h.logoutError(w, err)
	}
	b, err := h.browser(r)
	if err != nil {
		return err
	}
	if b == nil {
		return h.signedOut(w, r, lr)
	}
	return h.render(w, http.StatusOK, "logout", pageData{Title: "Sign out", ClientName: lr.ClientName,
		CSRF: h.ensureCSRF(w, r), Request: q.Encode()}, lr.RedirectURL)
}

// logoutPost signs the browser out after the confirmation form.
func (h browserPages) logoutPost(w http.ResponseWriter, r *http.Request) error {
	form, ok, err := h.pageForm(w, r)
	if !ok {
		return err
	}
	q, _ := url.ParseQuery(form.Get("request"))
	lr, err := h.cfg.Provider.ParseLogout(r.Context(), q)
	if err != nil {
		return h.logoutError(w, err)
	}
	if err := h.cfg.Provider.Logout(r.Context(), lr, h.cookie(r, sessionCookie)); err != nil {
		return err
	}
	h.setCookie(w, sessionCookie, "", -1)
	return h.signedOut(w, r, lr)
}

func (h browserPages) logoutError(w http.ResponseWriter, err error) error {
	var oe *oauth2.Error
	if errors.As(err, &oe) {
		return h.errorPage(w, http.StatusBadRequest, oe.Code, "The application sent an invalid sign-out request: "+oe.Description+".")
	}
	return err
}

// signedOut sends the browser to the client's registered post-logout URI,
// or shows that the user is signed out.
func (h browserPages) signedOut(w http.ResponseWriter, r *http.Request, lr *oauth2.LogoutRequest) error {
	if lr.RedirectURL != "" {
		return h.redirect(w, r, lr.RedirectURL)
	}
	return h.render(w, http.StatusOK, "message", pageData{Title: "Signed out", Message: "You are signed out of signet. You can close this window."}, "")
}

// consentsResponse is the body of GET /v1/consents.
type consentsResponse struct {
	Consents []oauth2.ConsentView `json:"consents"`
}

// consents lists the bearer's remembered consents.
func (h browserPages) consents(w http.ResponseWriter, r *http.Request) error {
	list, err := h.cfg.Provider.Consents(r.Context(), claims(r).Subject)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, consentsResponse{Consents: list})
}

// revokeConsent withdraws the bearer's consent to a client, ending the
// client's sessions of the user.
func (h browserPages) revokeConsent(w http.ResponseWriter, r *http.Request) error {
	if err := h.cfg.Provider.RevokeConsent(r.Context(), claims(r).Subject, r.PathValue("client_id")); err != nil {
		return err
	}
	return noContent(w)
}
