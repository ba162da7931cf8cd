package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSecurityHeaders checks the headers every response carries: success,
// problem, unknown route, stream, metrics.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, q := range []req{
		{method: "POST", path: "/v1/login", body: `{"email":"a@b.c","password":"pw"}`},
		{method: "POST", path: "/v1/login", body: `{"bad":1}`},
		{method: "GET", path: "/v1/me"},
		{method: "GET", path: "/nowhere"},
		{method: "GET", path: "/metrics"},
		{method: "GET", path: "/.well-known/jwks.json"},
		{method: "GET", path: "/healthz"},
	} {
		t.Run(q.method+" "+q.path, func(t *testing.T) {
			res := e.do(t, q)
			for k, want := range map[string]string{
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "no-referrer",
				"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
			} {
				if got := res.header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if len(res.header.Get("X-Request-Id")) != 32 {
				t.Errorf("X-Request-Id = %q", res.header.Get("X-Request-Id"))
			}
			if res.header.Get("Access-Control-Allow-Origin") != "" {
				t.Error("CORS header while CORS is off")
			}
		})
	}
}

// TestCORS checks that only configured origins get CORS headers, echoed,
// never "*", and never with credentials.
func TestCORS(t *testing.T) {
	const app = "https://app.example"
	e := newEnv(t, func(c *Config) { c.CORSOrigins = []string{app} })
	cases := []struct {
		name, method, origin, reqMethod string
		status                          int
		allow                           string
	}{
		{"allowed origin", "GET", app, "", 200, app},
		{"other origin", "GET", "https://evil.example", "", 200, ""},
		{"no origin", "GET", "", "", 200, ""},
		{"origin with a trailing slash", "GET", app + "/", "", 200, ""},
		{"preflight of an allowed origin", "OPTIONS", app, "POST", 204, app},
		{"preflight of another origin", "OPTIONS", "https://evil.example", "POST", 405, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.origin != "" {
				h["Origin"] = tc.origin
			}
			if tc.reqMethod != "" {
				h["Access-Control-Request-Method"] = tc.reqMethod
				h["Access-Control-Request-Headers"] = "authorization, content-type"
			}
			res := e.do(t, req{method: tc.method, path: "/healthz", header: h})
			if res.status != tc.status {
				t.Errorf("status = %d, want %d", res.status, tc.status)
			}
			if got := res.header.Get("Access-Control-Allow-Origin"); got != tc.allow {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tc.allow)
			}
			if res.header.Get("Access-Control-Allow-Credentials") != "" {
				t.Error("credentials allowed")
			}
			if !strings.Contains(strings.Join(res.header.Values("Vary"), ","), "Origin") {
				t.Errorf("Vary = %q, want Origin", res.header.Values("Vary"))
			}
			if tc.status == 204 && !strings.Contains(res.header.Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("Access-Control-Allow-Headers = %q", res.header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero", Config{}, true},
		{"full", Config{Issuer: "https://id.example", CORSOrigins: []string{"https://a.example", "http://localhost:3000"}, ProxyHeader: "forwarded"}, true},
		{"wildcard origin", Config{CORSOrigins: []string{"*"}}, false},
		{"null origin", Config{CORSOrigins: []string{"null"}}, false},
		{"origin with a path", Config{CORSOrigins: []string{"https://a.example/app"}}, false},
		{"origin with a trailing slash", Config{CORSOrigins: []string{"https://a.example/"}}, false},
		{"relative issuer", Config{Issuer: "id.example"}, false},
		{"issuer with a query", Config{Issuer: "https://id.example/?x=1"}, false},
		{"unknown proxy header", Config{ProxyHeader: "X-Real-IP"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// TestAccessLog checks the access log line: what it holds, and that it
// holds no token, path id, query or body, and a request id of its own.
func TestAccessLog(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, req{method: "DELETE", path: "/v1/sessions/s_secret_9?trace=q_secret", token: userToken,
		header: map[string]string{"X-Request-Id": "client-chosen-id", "Cookie": "c=cookie_secret"}})
	id := res.header.Get("X-Request-Id")
	if id == "client-chosen-id" || len(id) != 32 {
		t.Errorf("X-Request-Id = %q: the server must make its own", id)
	}
	logs := e.log.String()
	var line map[string]any
	for l := range strings.SplitSeq(logs, "\n") {
		if strings.Contains(l, `"msg":"request"`) {
			json.Unmarshal([]byte(l), &line)
		}
	}
	for k, want := range map[string]any{"method": "DELETE", "route": "/v1/sessions/{id}", "status": float64(204), "request_id": id} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v", k, line[k], want)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Error("log has no duration")
	}
	for _, secret := range []string{userToken, "s_secret_9", "q_secret", "cookie_secret", "client-chosen-id"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q", secret)
		}
	}
}

func TestNewHTTPServer(t *testing.T) {
	hs := NewHTTPServer("127.0.0.1:0", nil)
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Errorf("a timeout or limit is unset: %+v", hs)
	}
	if hs.ReadHeaderTimeout > hs.ReadTimeout || hs.MaxHeaderBytes > 1<<20 {
		t.Error("limits out of order")
	}
}

// TestHeaderLimit checks that NewHTTPServer refuses oversized headers.
func TestHeaderLimit(t *testing.T) {
	ts := httptest.NewUnstartedServer(nil)
	ts.Config = NewHTTPServer("", New(Config{Logger: slog.New(slog.DiscardHandler)}, newFakeAPI(), nil).Handler())
	ts.Start()
	defer ts.Close()
	r, _ := http.NewRequest("GET", ts.URL+"/healthz", nil)
	r.Header.Set("X-Big", strings.Repeat("a", 2*MaxHeaderBytes))
	resp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status = %d, want 431", resp.StatusCode)
	}
}
