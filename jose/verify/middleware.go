package verify

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/signet-dev/signet/jose"
)

// principal is what the middleware puts in the request context.
type principal struct {
	claims *jose.Claims
	v      *Verifier
}

type ctxKey struct{}

// Middleware returns next protected by v: a request must carry a bearer
// token in its Authorization header (RFC 6750 section 2.1) that v.Verify
// accepts; next then finds the claims with ClaimsFrom. A refused request
// never reaches next: it gets 401 with a WWW-Authenticate challenge (no
// error code without a token, "invalid_token" for a refused one), 400
// "invalid_request" for a malformed header, or 503 when the issuer's keys
// or revocation feed are unavailable (see WriteError; WithErrorHandler
// replaces it).
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, err := BearerToken(r)
		var claims *jose.Claims
		if err == nil {
			claims, err = v.Verify(tok)
		}
		if err != nil {
			v.fail(w, r, err)
			return
		}
		ctx := &principalCtx{Context: r.Context(), p: principal{claims: claims, v: v}}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// principalCtx is context.WithValue(parent, ctxKey{}, &p) in one allocation
// instead of two: Middleware makes one per request.
type principalCtx struct {
	context.Context
	p principal
}

func (c *principalCtx) Value(key any) any {
	if key == (ctxKey{}) {
		return &c.p
	}
	return c.Context.Value(key)
}

// ClaimsFrom returns the verified claims Middleware put in ctx, and false
// when there are none (the handler is not behind Middleware). The claims
// must not be modified.
func ClaimsFrom(ctx context.Context) (*jose.Claims, bool) {
	p, ok := ctx.Value(ctxKey{}).(*principal)
	if !ok {
		return nil, false
	}
	return p.claims, true
}

// RequireScope returns middleware that lets a request through only when the
// claims Middleware verified hold every one of scopes in their "scope";
// otherwise it answers 403 with RFC 6750's insufficient_scope challenge
// naming them. Behind no Middleware it answers 401: it never lets an
// unauthenticated request through.
func RequireScope(scopes ...string) func(http.Handler) http.Handler {
	return require(func(c *jose.Claims) error {
		for _, s := range scopes {
			if !c.HasScope(s) {
				return &InsufficientError{Scopes: scopes}
			}
		}
		return nil
	})
}

// RequireRole returns middleware that lets a request through only when the
// claims Middleware verified hold every one of roles in their "roles";
// otherwise it answers 403 insufficient_scope, naming the roles in the
// description. Behind no Middleware it answers 401.
func RequireRole(roles ...string) func(http.Handler) http.Handler {
	return require(func(c *jose.Claims) error {
		for _, r := range roles {
			if !c.HasRole(r) {
				return &InsufficientError{Roles: roles}
			}
		}
		return nil
	})
}

func require(check func(*jose.Claims) error) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, ok := r.Context().Value(ctxKey{}).(*principal)
			if !ok {
				WriteError(w, r, fmt.Errorf("%w: the route is not behind the verifier's middleware", ErrNoToken))
				return
			}
			if err := check(p.claims); err != nil {
				p.v.fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// InsufficientError reports a valid token that lacks scopes or roles a route
// requires. It matches ErrInsufficientScope with errors.Is.
type InsufficientError struct {
	Scopes []string // every scope the route requires, when it requires scopes
	Roles  []string // every role the route requires, when it requires roles
}

func (e *InsufficientError) Error() string {
	if len(e.Scopes) > 0 {
		return fmt.Sprintf("verify: insufficient scope: the request needs scope %q", strings.Join(e.Scopes, " "))
	}
	return fmt.Sprintf("verify: insufficient scope: the request needs role %q", strings.Join(e.Roles, " "))
}

// Unwrap makes the error match ErrInsufficientScope.
func (e *InsufficientError) Unwrap() error { return ErrInsufficientScope }

// BearerToken returns the token of r's Authorization header, "Bearer"
// (case-insensitive) followed by one or more spaces and a b64token (RFC 6750
// section 2.1). A request without the header, or with another scheme, gets
// ErrNoToken; several Authorization headers, or a token with characters
// outside b64token, get ErrMalformedRequest. Tokens in the query or the body
// (sections 2.2 and 2.3) are never read: they end up in logs.
func BearerToken(r *http.Request) (string, error) {
	vals := r.Header.Values("Authorization")
	switch {
	case len(vals) == 0:
		return "", ErrNoToken
	case len(vals) > 1:
		return "", fmt.Errorf("%w: send one Authorization header", ErrMalformedRequest)
	}
	scheme, tok, _ := strings.Cut(vals[0], " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", ErrNoToken
	}
	tok = strings.TrimLeft(tok, " ")
	if !isB64Token(tok) {
		return "", fmt.Errorf("%w: the bearer token is empty or holds characters a token cannot", ErrMalformedRequest)
	}
	return tok, nil
}

// isB64Token reports whether s is 1*( ALPHA / DIGIT / "-" / "." / "_" / "~"
// / "+" / "/" ) *"=" (RFC 6750 section 2.1).
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		if !b64TokenChar[body[i]] {
			return false
		}
	}
	return true
}

// b64TokenChar marks the characters of a b64token before its "=" padding.
var b64TokenChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
	}
	return t
}()
