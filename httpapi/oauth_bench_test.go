package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkTokenHandler is POST /oauth2/token (client credentials) through
// the whole handler, without a network: what the server spends per token.
func BenchmarkTokenHandler(b *testing.B) {
	e := newOIDCEnv(b)
	h := e.srv.Handler()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/oauth2/token", strings.NewReader("grant_type=client_credentials&scope=posts%3Aread"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.SetBasicAuth("web", e.secret)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
