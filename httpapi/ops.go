package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
)

// opsHandler serves the operations endpoints: liveness, readiness,
// metrics.
type opsHandler struct{ *Server }

// Mount registers the handler's routes.
func (h opsHandler) Mount(s *Server) {
	s.handle("GET /healthz", h.healthz)
	s.handle("GET /readyz", h.readyz)
	s.handle("GET /metrics", h.metricsText)
}

type statusBody struct {
	Status string `json:"status"`
}

// healthz answers 200 while the process serves HTTP at all.
func (h opsHandler) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, statusBody{"ok"})
}

// readyz answers 200 when the readiness check passes within
// Config.ReadyTimeout, else 503, and 503 once Shutdown has begun so that a
// load balancer drains the instance.
func (h opsHandler) readyz(w http.ResponseWriter, r *http.Request) error {
	if h.shuttingDown() {
		return &requestError{kind: kindUnavailable, detail: "the server is shutting down"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.ReadyTimeout)
	defer cancel()
	if err := h.ready(ctx); err != nil {
		return &requestError{kind: kindUnavailable, detail: "a dependency of the server is not ready", cause: err}
	}
	return writeJSON(w, http.StatusOK, statusBody{"ok"})
}

// metricsText answers the Prometheus text exposition format 0.0.4.
func (h opsHandler) metricsText(w http.ResponseWriter, r *http.Request) error {
	var b bytes.Buffer
	h.metrics.writeText(&b)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
	return nil
}
