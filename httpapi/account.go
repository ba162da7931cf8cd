package httpapi

import (
	"net/http"

	"github.com/signet-dev/signet/account"
)

// accountHandler serves the signed-in user's own resources: profile,
// sessions, password.
type accountHandler struct{ *Server }

// Mount registers the handler's routes; all need a bearer token.
func (h accountHandler) Mount(s *Server) {
	s.handle("GET /v1/me", s.bearer(h.me))
	s.handle("GET /v1/sessions", s.bearer(h.sessions))
	s.handle("DELETE /v1/sessions/{id}", s.bearer(h.revokeSession))
	s.handle("POST /v1/password", s.bearer(h.password))
}

func (h accountHandler) me(w http.ResponseWriter, r *http.Request) error {
	p, err := h.api.Me(r.Context(), claims(r))
	if err != nil {
		return err
	}
	if p.Roles == nil {
		p.Roles = []string{}
	}
	return writeJSON(w, http.StatusOK, p)
}

// sessionsResponse is the body of GET /v1/sessions.
type sessionsResponse struct {
	Sessions []account.SessionView `json:"sessions"`
}

func (h accountHandler) sessions(w http.ResponseWriter, r *http.Request) error {
	list, err := h.api.Sessions(r.Context(), claims(r))
	if err != nil {
		return err
	}
	if list == nil {
		list = []account.SessionView{}
	}
	return writeJSON(w, http.StatusOK, sessionsResponse{Sessions: list})
}

func (h accountHandler) revokeSession(w http.ResponseWriter, r *http.Request) error {
	if err := h.api.RevokeSession(r.Context(), claims(r), r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

// passwordRequest is the body of POST /v1/password.
type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (h accountHandler) password(w http.ResponseWriter, r *http.Request) error {
	var req passwordRequest
	if err := h.decodeBody(w, r, &req, false); err != nil {
		return err
	}
	for _, f := range [][2]string{{"current_password", req.CurrentPassword}, {"new_password", req.NewPassword}} {
		if f[1] == "" {
			return fieldError(f[0], "field \""+f[0]+"\" is required")
		}
	}
	if err := h.api.ChangePassword(r.Context(), claims(r), req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	return noContent(w)
}
