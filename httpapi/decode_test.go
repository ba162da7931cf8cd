package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/signet-dev/signet/account"
)

// TestStrictJSON checks that every malformed body is refused with a detail a
// person can act on, and never reaches the service.
func TestStrictJSON(t *testing.T) {
	big := `{"email":"` + strings.Repeat("a", DefaultMaxBodyBytes) + `","password":"pw"}`
	cases := []struct {
		name        string
		body        string
		contentType string // "-" for none
		chunked     bool   // no Content-Length
		status      int
		slug        string
		detail      string // a substring of the detail
		field       string // errors[0].field
	}{
		{name: "unknown field", body: `{"email":"a@b.c","password":"pw","foo":1}`, status: 400, slug: "malformed-request", detail: `unknown field "foo"`, field: "foo"},
		{name: "field in another case", body: `{"EMAIL":"a@b.c","password":"pw"}`, status: 400, slug: "malformed-request", detail: `unknown field "EMAIL"`, field: "EMAIL"},
		{name: "duplicate field", body: `{"email":"a@b.c","password":"pw","email":"x@y.z"}`, status: 400, slug: "malformed-request", detail: `duplicate field "email"`, field: "email"},
		{name: "duplicate inside a nested value", body: `{"email":{"a":1,"a":2},"password":"pw"}`, status: 400, slug: "malformed-request", detail: `duplicate field "a"`},
		{name: "trailing object", body: `{"email":"a@b.c","password":"pw"}{}`, status: 400, slug: "malformed-request", detail: "exactly one JSON object"},
		{name: "trailing garbage", body: `{"email":"a@b.c","password":"pw"} x`, status: 400, slug: "malformed-request", detail: "exactly one JSON object"},
		{name: "array instead of object", body: `[{"email":"a@b.c"}]`, status: 400, slug: "malformed-request", detail: "must be a JSON object"},
		{name: "string instead of object", body: `"hello"`, status: 400, slug: "malformed-request", detail: "must be a JSON object"},
		{name: "null", body: `null`, status: 400, slug: "malformed-request", detail: "must be a JSON object"},
		{name: "empty body", body: ``, status: 400, slug: "malformed-request", detail: "empty", contentType: "application/json"},
		{name: "truncated", body: `{"email":"a@b.c"`, status: 400, slug: "malformed-request", detail: "ends before"},
		{name: "syntax error", body: `{"email":'a'}`, status: 400, slug: "malformed-request", detail: "not valid JSON"},
		{name: "invalid UTF-8", body: "{\"email\":\"a\xff@b.c\",\"password\":\"pw\"}", status: 400, slug: "malformed-request", detail: "UTF-8"},
		{name: "wrong type", body: `{"email":42,"password":"pw"}`, status: 400, slug: "malformed-request", detail: `field "email" must be a string, not a number`, field: "email"},
		{name: "text/plain", body: `{"email":"a@b.c","password":"pw"}`, contentType: "text/plain", status: 415, slug: "unsupported-media-type", detail: "application/json"},
		{name: "no content type", body: `{"email":"a@b.c","password":"pw"}`, contentType: "-", status: 415, slug: "unsupported-media-type"},
		{name: "form encoded", body: `email=a`, contentType: "application/x-www-form-urlencoded", status: 415, slug: "unsupported-media-type"},
		{name: "latin-1 charset", body: `{"email":"a@b.c","password":"pw"}`, contentType: "application/json; charset=iso-8859-1", status: 415, slug: "unsupported-media-type"},
		{name: "oversized", body: big, status: 413, slug: "body-too-large", detail: "65536 bytes"},
		{name: "oversized without Content-Length", body: big, chunked: true, status: 413, slug: "body-too-large", detail: "65536 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r, _ := http.NewRequestWithContext(t.Context(), "POST", e.ts.URL+"/v1/login", strings.NewReader(tc.body))
			switch tc.contentType {
			case "":
				r.Header.Set("Content-Type", "application/json")
			case "-":
			default:
				r.Header.Set("Content-Type", tc.contentType)
			}
			if tc.chunked {
				r.ContentLength = -1
				r.Body = io.NopCloser(struct{ io.Reader }{strings.NewReader(tc.body)})
			}
			res := send(t, e, r)
			p := wantProblem(t, res, tc.status, tc.slug)
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q, want it to say %q", p.Detail, tc.detail)
			}
			if tc.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tc.field) {
				t.Errorf("errors %+v, want one for field %q", p.Errors, tc.field)
			}
			if e.api.called("Login") {
				t.Error("a malformed request reached the service")
			}
		})
	}
}

// TestStrictJSONAccepts checks bodies that are fine.
func TestStrictJSONAccepts(t *testing.T) {
	cases := []struct{ name, body, contentType string }{
		{"plain", `{"email":"a@b.c","password":"pw"}`, "application/json"},
		{"charset utf-8", `{"email":"a@b.c","password":"pw"}`, "application/json; charset=UTF-8"},
		{"whitespace around", " \n\t{\"email\":\"a@b.c\",\"password\":\"pw\"}\r\n ", "application/json"},
		{"optional member", `{"email":"a@b.c","password":"pw","scope":"openid"}`, "application/json"},
		{"escaped name", `{"em\u0061il":"a@b.c","password":"pw"}`, "application/json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.do(t, req{method: "POST", path: "/v1/login", body: tc.body, header: map[string]string{"Content-Type": tc.contentType}})
			if res.status != 200 || e.api.login.Email != "a@b.c" {
				t.Errorf("status %d, service got %+v; body %s", res.status, e.api.login, res.body)
			}
		})
	}
}

// TestRequiredFields checks the members the HTTP layer requires.
func TestRequiredFields(t *testing.T) {
	cases := []struct{ name, path, body, field string }{
		{"refresh token", "/v1/refresh", `{}`, "refresh_token"},
		{"current password", "/v1/password", `{"new_password":"n"}`, "current_password"},
		{"new password", "/v1/password", `{"current_password":"c"}`, "new_password"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.do(t, req{method: "POST", path: tc.path, body: tc.body, token: userToken})
			p := wantProblem(t, res, 400, "malformed-request")
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
				t.Errorf("errors %+v, want %q", p.Errors, tc.field)
			}
		})
	}
}

// TestLogoutBodyOptional checks that logout takes no body, or a strict one.
func TestLogoutBodyOptional(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, req{method: "POST", path: "/v1/logout", token: userToken, body: `{"all":"yes"}`})
	wantProblem(t, res, 400, "malformed-request")
	res = e.do(t, req{method: "POST", path: "/v1/logout", token: userToken, body: `{"everything":true}`})
	wantProblem(t, res, 400, "malformed-request")
	if e.api.called("Logout") {
		t.Error("a malformed logout reached the service")
	}
}

func send(t *testing.T, e *env, r *http.Request) result {
	t.Helper()
	resp, err := e.ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b.Bytes()}
}

// FuzzDecodeStrict checks that the decoder never panics, refuses with a
// malformed-request problem only, and accepts only what encoding/json reads
// the same way.
func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@b.c","password":"pw"}`, `{"email":"a","email":"b"}`, `{"scope":"x"} {}`, `[]`, `null`,
		`{"email":{"a":[1,{"b":2,"b":3}]}}`, `{"EMAIL":"x"}`, "{\"email\":\"\xff\"}", `{"password":1e999}`, `{"email":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got account.LoginRequest
		err := decodeStrict(data, &got)
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || re.kind != kindMalformed || re.detail == "" {
				t.Fatalf("error %v: want a malformed-request with a detail", err)
			}
			return
		}
		var want account.LoginRequest
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", data, err)
		}
		if got != want {
			t.Fatalf("decoded %+v, encoding/json %+v", got, want)
		}
		again, _ := json.Marshal(got)
		var round account.LoginRequest
		if err := decodeStrict(again, &round); err != nil || round != got {
			t.Fatalf("re-encoded %s: %v, %+v", again, err, round)
		}
	})
}
