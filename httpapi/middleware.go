package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// requestInfo is what the outer middleware learns about a request and the
// handlers and fail need: it lives in the request context.
type requestInfo struct {
	id       string // random, made here; never taken from the client
	route    string // the pattern's path, or "unmatched"
	clientIP string // after the trusted-proxy rule
	rw       *responseWriter
}

type infoKey struct{}

// infoFrom returns the request's info, or an empty one outside Handler.
func infoFrom(ctx context.Context) *requestInfo {
	if i, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return i
	}
	return &requestInfo{}
}

// RequestIDFrom returns the id of the request ctx belongs to (also sent as
// the X-Request-Id response header), or "" outside a request of Handler. The
// service may log it with its security events.
func RequestIDFrom(ctx context.Context) string { return infoFrom(ctx).id }

// serve is the outermost handler: request id, security headers, CORS, panic
// recovery, routing, then metrics and the access log.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	start := s.cfg.Now()
	h, pattern := s.mux.Handler(r)
	rw := &responseWriter{ResponseWriter: w}
	info := &requestInfo{id: newRequestID(), route: s.routeLabel(pattern), clientIP: s.clientIP(r), rw: rw}
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
	hdr := w.Header()
	hdr.Set("X-Request-Id", info.id)
	securityHeaders(hdr)
	defer s.record(r, info, start)
	defer s.recover(rw, r)
	switch {
	case s.cors(rw, r):
		info.route = "preflight"
	case pattern == "":
		s.unmatched(rw, r, h)
	default:
		s.mux.ServeHTTP(rw, r)
	}
}

// record counts the request in the metrics and writes its access log line:
// method, route pattern, status, duration, size and request id. Never the
// path, the query, a header or a body, which may carry tokens and emails.
func (s *Server) record(r *http.Request, info *requestInfo, start time.Time) {
	d := s.cfg.Now().Sub(start)
	status := info.rw.statusCode()
	method := methodLabel(r.Method)
	s.metrics.observeRequest(info.route, method, status, d)
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("request_id", info.id), slog.String("method", method), slog.String("route", info.route),
		slog.Int("status", status), slog.Duration("duration", d), slog.Int64("bytes", info.rw.bytes))
}

// recover turns a handler's panic into a 500 problem (logged by fail),
// except http.ErrAbortHandler, which net/http handles.
func (s *Server) recover(w *responseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.fail(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
}

// securityHeaders sets the headers every response carries; handlers of
// cacheable documents replace Cache-Control with cacheFor.
func securityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	noStore(h)
}

// noStore forbids caching: tokens and personal data (RFC 6749 section 5.1).
func noStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}

// cacheFor lets any cache keep the response for maxAge.
func cacheFor(h http.Header, maxAge time.Duration) {
	h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int64(maxAge/time.Second)))
	h.Del("Pragma")
}

// newRequestID returns 128 random bits in hex.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// methodLabel bounds the method label: a client may send any token.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}
