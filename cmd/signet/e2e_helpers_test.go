package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"github.com/signet-dev/signet/internal/fakes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testServer is a whole signet server, wired as `signet serve` wires it, on a
// real loopback listener with a SQLite file of its own and a clock the test
// moves.
type testServer struct {
	URL    string
	dir    string
	core   *core
	offset atomic.Int64 // added to the wall clock
	logs   *syncBuffer
	client *http.Client // nil: http.DefaultClient
}

// httpClient is the client requests to ts go through.
func (ts *testServer) httpClient() *http.Client {
	if ts.client != nil {
		return ts.client
	}
	return http.DefaultClient
}

// syncBuffer collects log output from many goroutines.
type syncBuffer = fakes.Buffer

func (ts *testServer) now() time.Time { return time.Now().Add(time.Duration(ts.offset.Load())) }

// advance moves the server's clock forward.
func (ts *testServer) advance(d time.Duration) { ts.offset.Add(int64(d)) }

// testArgs are the flags that point a command at the test server's database.
func (ts *testServer) testArgs() []string {
	return []string{"--db", "sqlite:" + filepath.Join(ts.dir, "signet.db"),
		"--master-key-file", filepath.Join(ts.dir, "master.key"),
		"--argon2-memory", "19456", "--argon2-iterations", "2", "--argon2-parallelism", "1"}
}

func startServer(t *testing.T, extra ...string) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return startServerOn(t, ln, extra...)
}

// startServerOn is startServer on a listener the test chose (so that it
// can name the issuer after the listener's port).
func startServerOn(t *testing.T, ln net.Listener, extra ...string) *testServer {
	t.Helper()
	ts := &testServer{dir: t.TempDir(), logs: &syncBuffer{}}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg := &Config{}
	cfg.register(fs)
	if err := parseConfig(fs, cfg, append(ts.testArgs(), extra...), func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	cfg.LogLevel = "debug"
	cfg.now = ts.now
	log := slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	c, err := openCore(ctx, env, cfg, log)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ts.URL, ts.core = "http://"+ln.Addr().String(), c
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		c.Close()
	})
	return ts
}

// post sends a JSON body and reports the status, or the transport error (the
// crash test expects those once the server is killed).
func (ts *testServer) post(path string, body any, out any) (int, error) {
	j, _ := json.Marshal(body)
	resp, err := ts.httpClient().Post(ts.URL+path, "application/json", bytes.NewReader(j))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return 0, err
		}
	}
	return resp.StatusCode, nil
}

// call sends a JSON request and decodes a JSON answer into out (when not nil).
func (ts *testServer) call(t *testing.T, method, path, bearer string, body any, out any) *http.Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, ts.URL+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := ts.httpClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decoding %q: %v", method, path, raw, err)
		}
	}
	return resp
}

type tokens struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
	Scope        string `json:"scope"`
}

type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

func (ts *testServer) signup(t *testing.T, email, pw string) {
	t.Helper()
	if r := ts.call(t, "POST", "/v1/signup", "", map[string]string{"email": email, "password": pw, "name": "Test"}, nil); r.StatusCode != 201 {
		t.Fatalf("signup: %d", r.StatusCode)
	}
}

func (ts *testServer) login(t *testing.T, email, pw string) tokens {
	t.Helper()
	var tk tokens
	if r := ts.call(t, "POST", "/v1/login", "", map[string]string{"email": email, "password": pw}, &tk); r.StatusCode != 200 {
		t.Fatalf("login: %d", r.StatusCode)
	}
	return tk
}

func (ts *testServer) refresh(t *testing.T, rt string) (tokens, *http.Response) {
	t.Helper()
	var tk tokens
	r := ts.call(t, "POST", "/v1/refresh", "", map[string]string{"refresh_token": rt}, &tk)
	return tk, r
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
