package httpapi

import (
	"net/http"
	"slices"
)

// CORS: off unless Config.CORSOrigins is set; then only those exact origins
// get Access-Control-Allow-Origin, echoed, never "*". No credentials mode is
// offered: the API takes bearer tokens in a header, not cookies (SECURITY.md
// rule 18).
const (
	corsMethods = "GET, POST, DELETE"
	corsHeaders = "Authorization, Content-Type, Last-Event-ID"
	corsExpose  = "Retry-After, WWW-Authenticate, X-Request-Id"
	corsMaxAge  = "600"
)

// cors adds the CORS headers for an allowed origin and answers its
// preflight requests. It reports whether it answered the request.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	if len(s.cfg.CORSOrigins) == 0 {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.Contains(s.cfg.CORSOrigins, origin) {
		return false
	}
	h.Set("Access-Control-Allow-Origin", origin)
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		h.Set("Access-Control-Expose-Headers", corsExpose)
		return false
	}
	h.Add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers")
	h.Set("Access-Control-Allow-Methods", corsMethods)
	h.Set("Access-Control-Allow-Headers", corsHeaders)
	h.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
	return true
}
