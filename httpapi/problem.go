package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// problemBase is where every problem type is documented, one anchor per
// kind (docs/problems.md). The URIs are stable: clients may switch on them.
const problemBase = "https://github.com/signet-dev/signet/blob/main/docs/problems.md#"

// Problem is an RFC 9457 problem details object, sent as
// application/problem+json. Type is one of the documented URIs; Detail is
// safe to show to a person and never holds a secret, a token or a password.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Errors lists per-field problems of an invalid request body.
	Errors []FieldError `json:"errors,omitempty"`

	header http.Header // WWW-Authenticate, Retry-After, Allow
}

// FieldError names one invalid member of a request body.
type FieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// kind is one documented kind of problem: the anchor of its type URI, its
// title and its status. Every kind is listed in docs/problems.md.
type kind struct {
	slug   string
	title  string
	status int
}

// The kinds of problem the API answers. Their slugs are part of the
// contract: renaming one breaks clients.
var (
	kindMalformed         = &kind{"malformed-request", "Malformed request", http.StatusBadRequest}
	kindMediaType         = &kind{"unsupported-media-type", "Unsupported media type", http.StatusUnsupportedMediaType}
	kindTooLarge          = &kind{"body-too-large", "Request body too large", http.StatusRequestEntityTooLarge}
	kindInvalidInput      = &kind{"invalid-input", "Invalid input", http.StatusBadRequest}
	kindConflict          = &kind{"conflict", "Conflict", http.StatusConflict}
	kindNotFound          = &kind{"not-found", "Not found", http.StatusNotFound}
	kindMethod            = &kind{"method-not-allowed", "Method not allowed", http.StatusMethodNotAllowed}
	kindCredentials       = &kind{"invalid-credentials", "Invalid credentials", http.StatusUnauthorized}
	kindInvalidGrant      = &kind{"invalid-grant", "Invalid refresh token", http.StatusBadRequest}
	kindInvalidScope      = &kind{"invalid-scope", "Scope not granted", http.StatusBadRequest}
	kindAuthRequired      = &kind{"authentication-required", "Authentication required", http.StatusUnauthorized}
	kindInvalidToken      = &kind{"invalid-token", "Invalid access token", http.StatusUnauthorized}
	kindInsufficientScope = &kind{"insufficient-scope", "Insufficient scope", http.StatusForbidden}
	kindDisabled          = &kind{"account-disabled", "Account disabled", http.StatusForbidden}
	kindThrottled         = &kind{"throttled", "Too many attempts", http.StatusTooManyRequests}
	kindCursorGone        = &kind{"cursor-gone", "Revocation cursor gone", http.StatusGone}
	kindUnavailable       = &kind{"unavailable", "Service unavailable", http.StatusServiceUnavailable}
	kindInternal          = &kind{"internal", "Internal error", http.StatusInternalServerError}
)

// kinds lists every kind, for the test that holds docs/problems.md to them.
var kinds = []*kind{
	kindMalformed, kindMediaType, kindTooLarge, kindInvalidInput, kindConflict, kindNotFound, kindMethod,
	kindCredentials, kindInvalidGrant, kindInvalidScope, kindAuthRequired, kindInvalidToken,
	kindInsufficientScope, kindDisabled, kindThrottled, kindCursorGone, kindUnavailable, kindInternal,
}

// problem returns a problem of kind k with the given detail.
func (k *kind) problem(detail string) *Problem {
	return &Problem{Type: problemBase + k.slug, Title: k.title, Status: k.status, Detail: detail}
}

// set adds a response header to p.
func (p *Problem) set(name, value string) *Problem {
	if p.header == nil {
		p.header = http.Header{}
	}
	p.header.Set(name, value)
	return p
}

// retryAfter sets Retry-After to d in whole seconds, rounded up, at least 1
// (RFC 9110 section 10.2.3).
func (p *Problem) retryAfter(d time.Duration) *Problem {
	secs := max(1, int64((d+time.Second-1)/time.Second))
	return p.set("Retry-After", strconv.FormatInt(secs, 10))
}

// bearerChallenge returns an RFC 6750 section 3 challenge: "Bearer" alone
// when code is empty (no credentials were sent), else with error, and with
// error_description and scope when set.
func bearerChallenge(code, description, scope string) string {
	var b strings.Builder
	b.WriteString("Bearer")
	sep := " "
	for _, p := range [][2]string{{"error", code}, {"error_description", description}, {"scope", scope}} {
		if p[1] == "" || code == "" {
			continue
		}
		b.WriteString(sep + p[0] + "=" + quote(p[1]))
		sep = ", "
	}
	return b.String()
}

// quote returns s as an RFC 9110 quoted-string.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// writeProblem sends p as application/problem+json with its headers. It is
// called by fail only.
func writeProblem(w http.ResponseWriter, p *Problem) {
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(p) // cannot fail: strings and ints only
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	noStore(h)
	w.WriteHeader(p.Status)
	w.Write(buf.Bytes())
}
