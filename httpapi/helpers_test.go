package httpapi

import (
	"encoding/json"
	"github.com/signet-dev/signet/internal/fakes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// env is one server under test: the fake service behind a real HTTP server.
type env struct {
	api *fakeAPI
	srv *Server
	ts  *httptest.Server
	log *syncBuffer
}

// newEnv starts a server on a fake API; opts adjust its Config.
func newEnv(t *testing.T, opts ...func(*Config)) *env {
	t.Helper()
	e := &env{api: newFakeAPI(), log: &syncBuffer{}}
	cfg := Config{
		Issuer:            "https://id.example",
		HeartbeatInterval: 20 * time.Millisecond,
		Logger:            slog.New(slog.NewJSONHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.srv = New(cfg, e.api, nil)
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(e.ts.Close)
	t.Cleanup(func() { e.srv.Shutdown(t.Context()) }) // runs first: ends streams
	return e
}

// req is one request of a test.
type req struct {
	method, path, body string
	header             map[string]string // Content-Type defaults to JSON when a body is set
	token              string            // sent as "Authorization: Bearer <token>"
}

// result is a response, read whole.
type result struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) do(t *testing.T, q req) result {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), q.method, e.ts.URL+q.path, strings.NewReader(q.body))
	if err != nil {
		t.Fatal(err)
	}
	if q.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if q.token != "" {
		r.Header.Set("Authorization", "Bearer "+q.token)
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	resp, err := e.ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: body}
}

// wantProblem checks that res is a problem of the kind slug with status.
func wantProblem(t *testing.T, res result, status int, slug string) Problem {
	t.Helper()
	if res.status != status {
		t.Errorf("status = %d, want %d; body %s", res.status, status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("problem body %q: %v", res.body, err)
	}
	if want := problemBase + slug; p.Type != want {
		t.Errorf("type = %q, want %q", p.Type, want)
	}
	if p.Status != status || p.Title == "" || p.Detail == "" {
		t.Errorf("problem %+v: want status %d, a title and a detail", p, status)
	}
	return p
}

// wantJSON checks status and Content-Type and decodes the body into a map.
func wantJSON(t *testing.T, res result, status int) map[string]any {
	t.Helper()
	if res.status != status {
		t.Fatalf("status = %d, want %d; body %s", res.status, status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(res.body, &m); err != nil {
		t.Fatalf("body %q: %v", res.body, err)
	}
	return m
}

// keys returns the member names of m, sorted.
func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// syncBuffer collects log output from many goroutines.
type syncBuffer = fakes.Buffer
