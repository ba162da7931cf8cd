package httpapi

import (
	"net/http"
	"strings"

	"github.com/signet-dev/signet/account"
)

// tokenHandler serves signup and the token lifecycle: login, refresh,
// logout.
type tokenHandler struct{ *Server }

// Mount registers the handler's routes.
func (h tokenHandler) Mount(s *Server) {
	s.handle("POST /v1/signup", h.signup)
	s.handle("POST /v1/login", h.login)
	s.handle("POST /v1/refresh", h.refresh)
	s.handle("POST /v1/logout", s.bearer(h.logout))
}

// signupResponse is the body of a 201 from /v1/signup.
type signupResponse struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

func (h tokenHandler) signup(w http.ResponseWriter, r *http.Request) error {
	var req account.SignupRequest
	if err := h.decodeBody(w, r, &req, false); err != nil {
		return err
	}
	p, err := h.api.Signup(r.Context(), req, h.meta(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, signupResponse{ID: p.Sub, Email: p.Email, Name: p.Name})
}

// login answers a token response, and counts the attempt by outcome in
// signet_logins_total.
func (h tokenHandler) login(w http.ResponseWriter, r *http.Request) (err error) {
	defer func() { h.metrics.countLogin(err) }()
	var req account.LoginRequest
	if err := h.decodeBody(w, r, &req, false); err != nil {
		return err
	}
	t, err := h.api.Login(r.Context(), req, h.meta(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

// refreshRequest is the body of POST /v1/refresh.
type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (h tokenHandler) refresh(w http.ResponseWriter, r *http.Request) error {
	var req refreshRequest
	if err := h.decodeBody(w, r, &req, false); err != nil {
		return err
	}
	if strings.TrimSpace(req.RefreshToken) == "" {
		return fieldError("refresh_token", `field "refresh_token" is required`)
	}
	t, err := h.api.Refresh(r.Context(), req.RefreshToken, h.meta(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

// logoutRequest is the optional body of POST /v1/logout.
type logoutRequest struct {
	All bool `json:"all"` // revoke every session of the user, not only this one
}

func (h tokenHandler) logout(w http.ResponseWriter, r *http.Request) error {
	var req logoutRequest
	if err := h.decodeBody(w, r, &req, true); err != nil {
		return err
	}
	if err := h.api.Logout(r.Context(), claims(r), req.All); err != nil {
		return err
	}
	return noContent(w)
}
