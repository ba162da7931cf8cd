package httpapi

import (
	"errors"
	"net/http"

	"github.com/signet-dev/signet"
)

// consentsPage lists the signed-in user's consents, each with a form to
// withdraw it. Without a browser session it says how to sign in: the page
// has no login form of its own, since a login belongs to an authorization
// request.
func (h browserPages) consentsPage(w http.ResponseWriter, r *http.Request) error {
	return h.showConsents(w, r, http.StatusOK, "")
}

func (h browserPages) showConsents(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	b, err := h.browser(r)
	if err != nil {
		return err
	}
	if b == nil {
		return h.render(w, http.StatusUnauthorized, "message", pageData{Title: "Your applications",
			Message: "You are not signed in to signet in this browser. Sign in through an application first, then come back to this page."}, "")
	}
	list, err := h.cfg.Provider.Consents(r.Context(), b.User.ID)
	if err != nil {
		return err
	}
	return h.render(w, status, "consents", pageData{Title: "Your applications", Email: b.User.Email,
		Message: msg, Consents: list, CSRF: h.ensureCSRF(w, r)}, "")
}

// withdrawConsent withdraws the signed-in user's consent to one client,
// ending that client's sessions of the user, and shows the list again.
func (h browserPages) withdrawConsent(w http.ResponseWriter, r *http.Request) error {
	form, ok, err := h.pageForm(w, r)
	if !ok {
		return err
	}
	b, err := h.browser(r)
	if err != nil {
		return err
	}
	if b == nil {
		return h.showConsents(w, r, http.StatusUnauthorized, "")
	}
	err = h.cfg.Provider.RevokeConsent(r.Context(), b.User.ID, form.Get("client_id"))
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return h.showConsents(w, r, http.StatusNotFound, "That application had no access to withdraw.")
	case err != nil:
		return err
	}
	return h.showConsents(w, r, http.StatusOK, "Access withdrawn: the application has to ask you again.")
}
