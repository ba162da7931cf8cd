package httpapi

import "net/http"

// responseWriter records the status and size of a response. Unwrap lets
// http.ResponseController reach the connection (Flush, deadlines).
type responseWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *responseWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wroteHeader reports whether the response has begun; nil-safe.
func (w *responseWriter) wroteHeader() bool { return w != nil && w.status != 0 }

// statusCode is the status sent, 200 if the handler wrote nothing.
func (w *responseWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
