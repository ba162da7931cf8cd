package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/signet-dev/signet/oauth2"
)

// oauthErrorBody is RFC 6749 section 5.2's error response.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// oauthStatus is the status of an OAuth error code: 401 for a failed client
// authentication (section 5.2) and a refused bearer token, 403 for a
// missing scope, 500 for server_error, 400 for the rest.
func oauthStatus(code string) int {
	switch code {
	case oauth2.ErrInvalidClient.Code, oauth2.ErrInvalidToken.Code:
		return http.StatusUnauthorized
	case oauth2.ErrInsufficientScope.Code:
		return http.StatusForbidden
	case oauth2.ErrServerError.Code:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// oauthHandler adapts a handler of the JSON OAuth endpoints (token,
// introspection, revocation, userinfo): its errors are answered in RFC
// 6749's JSON form instead of as problems. A request error of the HTTP
// layer (a body too large, a wrong media type) becomes invalid_request; an
// internal error is logged, as fail logs them, and answered server_error.
func (s *Server) oauthHandler(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := h(w, r)
		if err == nil {
			return nil
		}
		var oe *oauth2.Error
		var re *requestError
		switch {
		case errors.As(err, &oe):
		case errors.As(err, &re) && re.kind.status < 500:
			oe = &oauth2.Error{Code: oauth2.ErrInvalidRequest.Code, Description: re.detail}
		default:
			s.logInternal(r, err)
			oe = &oauth2.Error{Code: oauth2.ErrServerError.Code, Description: detailInternal}
		}
		status := oauthStatus(oe.Code)
		if status == http.StatusUnauthorized && oe.Code == oauth2.ErrInvalidClient.Code && hasBasic(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="signet"`) // RFC 6749 section 5.2
		}
		if oe.Code == oauth2.ErrInvalidToken.Code || oe.Code == oauth2.ErrInsufficientScope.Code {
			w.Header().Set("WWW-Authenticate", bearerChallenge(oe.Code, oe.Description, scopeOf(oe)))
		}
		noStore(w.Header())
		return writeJSON(w, status, oauthErrorBody{Error: oe.Code, Description: oe.Description})
	}
}

func scopeOf(e *oauth2.Error) string {
	if e.Code == oauth2.ErrInsufficientScope.Code {
		return "openid"
	}
	return ""
}

// logInternal logs a server-side failure with the request id, as fail does.
func (s *Server) logInternal(r *http.Request, err error) {
	level := slog.LevelError
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		level = slog.LevelDebug
	}
	info := infoFrom(r.Context())
	s.log.Log(r.Context(), level, "request failed", "request_id", info.id, "method", r.Method,
		"route", info.route, "status", 500, "err", err)
}
