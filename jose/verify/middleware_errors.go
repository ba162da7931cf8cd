package verify

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/signet-dev/signet/jose"
)

// fail answers a refused request with the configured error handler.
func (v *Verifier) fail(w http.ResponseWriter, r *http.Request, err error) {
	if v.cfg.errorHandler != nil {
		v.cfg.errorHandler(w, r, err)
		return
	}
	writeError(w, err, v.cfg.realm)
}

// WriteError is the middleware's default answer to a refused request, per
// RFC 6750 section 3, with a JSON body {"error", "error_description"} and
// Cache-Control: no-store:
//
//   - ErrNoToken: 401 with a bare "Bearer" challenge (no error code, section
//     3.1: the request had no credentials);
//   - ErrMalformedRequest: 400, error="invalid_request";
//   - ErrInsufficientScope: 403, error="insufficient_scope", with scope="…"
//     when scopes were required;
//   - ErrRevocationsUnavailable, ErrKeysUnavailable: 503 with Retry-After
//     and no challenge: the token may well be good, so the client should
//     retry rather than sign in again;
//   - anything else (a jose sentinel, ErrRevoked): 401,
//     error="invalid_token".
//
// The description is a fixed phrase per kind of failure; it never holds the
// token or what it claimed.
func WriteError(w http.ResponseWriter, r *http.Request, err error) { writeError(w, err, "") }

func writeError(w http.ResponseWriter, err error, realm string) {
	status, code, desc := classify(err)
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if status != http.StatusServiceUnavailable {
		h.Set("WWW-Authenticate", challenge(realm, code, desc, scopeOf(err)))
	} else {
		h.Set("Retry-After", "5")
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]string{"error_description": desc}
	if code != "" {
		body["error"] = code
	}
	json.NewEncoder(w).Encode(body)
}

// classify maps an error to its status, RFC 6750 error code and description.
func classify(err error) (status int, code, desc string) {
	var ie *InsufficientError
	switch {
	case errors.Is(err, ErrNoToken):
		return http.StatusUnauthorized, "", "this request needs a bearer token"
	case errors.Is(err, ErrMalformedRequest):
		return http.StatusBadRequest, "invalid_request", "the Authorization header is not one bearer token"
	case errors.As(err, &ie) && len(ie.Scopes) == 0:
		return http.StatusForbidden, "insufficient_scope", "this request needs role " + strings.Join(ie.Roles, " ")
	case errors.Is(err, ErrInsufficientScope):
		return http.StatusForbidden, "insufficient_scope", "the access token lacks a scope this request needs"
	case errors.Is(err, ErrRevocationsUnavailable), errors.Is(err, ErrKeysUnavailable):
		return http.StatusServiceUnavailable, "temporarily_unavailable", "tokens cannot be checked right now; retry later"
	}
	return http.StatusUnauthorized, "invalid_token", tokenProblem(err)
}

func tokenProblem(err error) string {
	switch {
	case errors.Is(err, jose.ErrExpired):
		return "the access token expired"
	case errors.Is(err, jose.ErrNotYetValid):
		return "the access token is not valid yet"
	case errors.Is(err, ErrRevoked):
		return "the access token was revoked"
	case errors.Is(err, jose.ErrWrongAudience):
		return "the access token is not meant for this service"
	case errors.Is(err, jose.ErrWrongIssuer):
		return "the access token is from another issuer"
	case errors.Is(err, jose.ErrWrongType):
		return "the token is not an access token"
	}
	return "the access token is invalid"
}

func scopeOf(err error) string {
	var ie *InsufficientError
	if errors.As(err, &ie) {
		return strings.Join(ie.Scopes, " ")
	}
	return ""
}

// challenge builds a Bearer challenge (RFC 6750 section 3). Every value is
// a fixed phrase, a configured realm or a configured scope, so quoting never
// needs escaping; quote() still escapes, for safety.
func challenge(realm, code, desc, scope string) string {
	var b strings.Builder
	b.WriteString("Bearer")
	sep := " "
	param := func(name, val string) {
		b.WriteString(sep + name + "=" + quote(val))
		sep = ", "
	}
	if realm != "" {
		param("realm", realm)
	}
	if code != "" {
		param("error", code)
		param("error_description", desc)
	}
	if scope != "" {
		param("scope", scope)
	}
	return b.String()
}

// quote makes a quoted-string (RFC 9110 section 5.6.4), dropping control
// characters.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
