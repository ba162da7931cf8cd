package verify

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

func TestBearerToken(t *testing.T) {
	cases := []struct {
		name string
		hdr  []string
		tok  string
		err  error
	}{
		{"none", nil, "", ErrNoToken},
		{"bearer", []string{"Bearer abc.def-_~+/=="}, "abc.def-_~+/==", nil},
		{"scheme case-insensitive", []string{"bEaReR abc"}, "abc", nil},
		{"several spaces", []string{"Bearer   abc"}, "abc", nil},
		{"other scheme", []string{"Basic dXNlcjpwdw=="}, "", ErrNoToken},
		{"two headers", []string{"Bearer a", "Bearer b"}, "", ErrMalformedRequest},
		{"empty token", []string{"Bearer "}, "", ErrMalformedRequest},
		{"scheme only", []string{"Bearer"}, "", ErrMalformedRequest},
		{"space inside", []string{"Bearer a b"}, "", ErrMalformedRequest},
		{"padding inside", []string{"Bearer a=b"}, "", ErrMalformedRequest},
		{"only padding", []string{"Bearer =="}, "", ErrMalformedRequest},
		{"quote", []string{`Bearer a"b`}, "", ErrMalformedRequest},
		{"tab", []string{"Bearer\tabc"}, "", ErrNoToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			for _, h := range tc.hdr {
				r.Header.Add("Authorization", h)
			}
			tok, err := BearerToken(r)
			if tok != tc.tok || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("BearerToken = %q, %v; want %q, %v", tok, err, tc.tok, tc.err)
			}
		})
	}
}

func TestMiddleware(t *testing.T) {
	iss := newFakeIssuer(t)
	v := staticVerifier(t, iss, WithRealm("posts"))
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, found := ClaimsFrom(r.Context())
		if !found {
			t.Error("no claims in the context")
			return
		}
		w.Write([]byte(c.Subject))
	})
	mux := http.NewServeMux()
	mux.Handle("GET /read", RequireScope("posts:read")(ok))
	mux.Handle("GET /write", RequireScope("posts:read", "posts:write")(ok))
	mux.Handle("GET /admin", RequireRole("admin")(ok))
	h := v.Middleware(mux)

	good := iss.token(iss.claims("alice"))
	admin := iss.claims("root")
	admin.Roles = []string{"user", "admin"}
	adminTok := iss.token(admin)
	expired := iss.claims("bob")
	expired.ExpiresAt = jose.NewNumericDate(time.Now().Add(-time.Hour))
	revoked := iss.claims("carol")
	v.Revocations().Add(Entry{Kind: KindSID, Value: revoked.SessionID, ExpiresAt: time.Now().Unix() + 3600})

	cases := []struct {
		name, path, auth string
		status           int
		challenge        string // the WWW-Authenticate header, exactly
		body             string // a substring of the body
	}{
		{"ok", "/read", "Bearer " + good, 200, "", "alice"},
		{"no token", "/read", "", 401, `Bearer realm="posts"`, "needs a bearer token"},
		{"other scheme", "/read", "Basic eDp5", 401, `Bearer realm="posts"`, ""},
		{"malformed header", "/read", "Bearer a b", 400, `Bearer realm="posts", error="invalid_request", error_description="the Authorization header is not one bearer token"`, `"error":"invalid_request"`},
		{"bad token", "/read", "Bearer abc.def.ghi", 401, `Bearer realm="posts", error="invalid_token", error_description="the access token is invalid"`, `"error":"invalid_token"`},
		{"expired", "/read", "Bearer " + iss.token(expired), 401, `Bearer realm="posts", error="invalid_token", error_description="the access token expired"`, "expired"},
		{"revoked", "/read", "Bearer " + iss.token(revoked), 401, `Bearer realm="posts", error="invalid_token", error_description="the access token was revoked"`, "revoked"},
		{"missing scope", "/write", "Bearer " + good, 403, `Bearer realm="posts", error="insufficient_scope", error_description="the access token lacks a scope this request needs", scope="posts:read posts:write"`, "insufficient_scope"},
		{"missing role", "/admin", "Bearer " + good, 403, `Bearer realm="posts", error="insufficient_scope", error_description="this request needs role admin"`, "role admin"},
		{"role present", "/admin", "Bearer " + adminTok, 200, "", "root"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.path, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status || w.Header().Get("WWW-Authenticate") != tc.challenge || !strings.Contains(w.Body.String(), tc.body) {
				t.Fatalf("got %d %q %q; want %d %q, body with %q", w.Code, w.Header().Get("WWW-Authenticate"), w.Body, tc.status, tc.challenge, tc.body)
			}
			if tc.status != 200 {
				var body map[string]string
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Header().Get("Cache-Control") != "no-store" {
					t.Fatalf("error body %q: %v", w.Body, err)
				}
				if strings.Contains(w.Body.String(), good) || (tc.auth != "" && strings.Contains(w.Body.String(), tc.auth[min(len(tc.auth), 7):])) {
					t.Fatal("the token is echoed in the answer")
				}
			}
		})
	}
}

// TestRequireWithoutMiddleware: a guard used without the middleware
// refuses rather than lets the request through.
func TestRequireWithoutMiddleware(t *testing.T) {
	called := false
	h := RequireScope("x")(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if called || w.Code != 401 {
		t.Fatalf("status %d, called %v", w.Code, called)
	}
	if _, ok := ClaimsFrom(httptest.NewRequest("GET", "/", nil).Context()); ok {
		t.Fatal("claims in a bare context")
	}
}

func TestErrorHandler(t *testing.T) {
	iss := newFakeIssuer(t)
	var got error
	v := staticVerifier(t, iss, WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		got = err
		w.WriteHeader(418)
	}))
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer x.y.z")
	v.Middleware(http.NotFoundHandler()).ServeHTTP(w, r)
	if w.Code != 418 || !errors.Is(got, jose.ErrMalformed) {
		t.Fatalf("status %d, err %v", w.Code, got)
	}
}

func TestWriteErrorUnavailable(t *testing.T) {
	for _, err := range []error{ErrRevocationsUnavailable, ErrKeysUnavailable} {
		w := httptest.NewRecorder()
		WriteError(w, httptest.NewRequest("GET", "/", nil), err)
		if w.Code != 503 || w.Header().Get("Retry-After") == "" || w.Header().Get("WWW-Authenticate") != "" {
			t.Fatalf("%v: %d %v", err, w.Code, w.Header())
		}
	}
}

func TestQuote(t *testing.T) {
	if got := quote("a\"b\\c\nd"); got != `"a\"b\\cd"` {
		t.Fatalf("quote = %s", got)
	}
}
