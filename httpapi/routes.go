package httpapi

import (
	"net/http"
	"strings"
)

// handlerFunc is a handler that returns its error instead of answering it;
// the error is answered by fail, so that every handler stays a few lines of
// parse, call, respond.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers h under pattern ("METHOD /path", Go 1.22 syntax). The
// pattern's path is the route label of the access log and the metrics:
// bounded, and free of ids, emails and tokens.
func (s *Server) handle(pattern string, h handlerFunc) {
	_, path, _ := strings.Cut(pattern, " ")
	s.routes[pattern] = path
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// routeLabel returns the label of a pattern the mux matched, or "unmatched".
func (s *Server) routeLabel(pattern string) string {
	if l, ok := s.routes[pattern]; ok {
		return l
	}
	return "unmatched"
}

// unmatched answers a request no route matched: 405 with Allow when the path
// exists under another method, else 404, both as problems. h is the mux's own
// answer, run against a recorder to learn which.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request, h http.Handler) {
	rec := &headerRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.code == http.StatusMethodNotAllowed {
		allow := rec.header.Get("Allow")
		s.fail(w, r, &requestError{kind: kindMethod,
			detail: "this method is not allowed on this path; the Allow header lists those that are",
			header: [][2]string{{"Allow", allow}}})
		return
	}
	s.fail(w, r, &requestError{kind: kindNotFound, detail: "there is no endpoint at this path"})
}

// headerRecorder keeps the status and headers of a response and discards
// its body.
type headerRecorder struct {
	header http.Header
	code   int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(code int)        { h.code = code }
