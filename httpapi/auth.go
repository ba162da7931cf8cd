package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/signet-dev/signet/jose"
)

type claimsKey struct{}

// ClaimsFrom returns the verified claims of the request's bearer token, and
// whether there are any: the bearer middleware puts them in the context of
// the requests it lets through.
func ClaimsFrom(ctx context.Context) (*jose.Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*jose.Claims)
	return c, ok && c != nil
}

// claims returns the claims bearer put in r's context; handlers behind
// bearer only.
func claims(r *http.Request) *jose.Claims {
	c, _ := ClaimsFrom(r.Context())
	return c
}

// bearer lets a request reach h only with a valid bearer access token
// (RFC 6750 section 2.1), verified by the service, and puts its claims in
// the context. Without credentials the answer is 401 with a bare "Bearer"
// challenge; a malformed header is 400 invalid_request; a refused token is
// 401 invalid_token (mapped by problemFor).
func (s *Server) bearer(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tok, err := bearerToken(r)
		if err != nil {
			return err
		}
		c, err := s.api.Authenticate(r.Context(), tok)
		switch {
		case err != nil:
			return err
		case c == nil:
			return errors.New("httpapi: Authenticate returned no claims and no error")
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, c)))
	}
}

// withScope is bearer plus a required scope: a valid token without it gets
// 403 insufficient_scope (RFC 6750 section 3.1).
func (s *Server) withScope(scope string, h handlerFunc) handlerFunc {
	return s.bearer(func(w http.ResponseWriter, r *http.Request) error {
		if !claims(r).HasScope(scope) {
			return &requestError{kind: kindInsufficientScope,
				detail: fmt.Sprintf("this endpoint needs an access token with scope %q", scope),
				header: [][2]string{{"WWW-Authenticate", bearerChallenge("insufficient_scope", "", scope)}}}
		}
		return h(w, r)
	})
}

// errNoToken answers a request without bearer credentials.
var errNoToken = &requestError{kind: kindAuthRequired,
	detail: `this endpoint needs an access token: send "Authorization: Bearer <token>"`,
	header: [][2]string{{"WWW-Authenticate", bearerChallenge("", "", "")}}}

// bearerToken returns the token of the one Authorization header, whose
// scheme is "Bearer" in any case. A token in the query string is refused
// (RFC 9700 section 4.3.2; RFC 6750 section 2.3 is not offered).
func bearerToken(r *http.Request) (string, error) {
	if r.URL.Query().Has("access_token") {
		return "", invalidRequest("send the access token in the Authorization header, never in the URL")
	}
	vals := r.Header.Values("Authorization")
	if len(vals) == 0 {
		return "", errNoToken
	}
	if len(vals) > 1 {
		return "", invalidRequest("send exactly one Authorization header")
	}
	scheme, rest, _ := strings.Cut(vals[0], " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", errNoToken // another scheme: no error code (RFC 6750 section 3.1)
	}
	tok := strings.TrimLeft(rest, " ")
	switch {
	case tok == "":
		return "", invalidRequest("the Authorization header must be Bearer, one space, and the token")
	case strings.ContainsAny(tok, " \t,"):
		return "", invalidRequest("send exactly one bearer token")
	case !isB64Token(tok):
		return "", invalidRequest("the bearer token holds characters a token cannot hold")
	}
	return tok, nil
}

// invalidRequest is a malformed bearer request: 400 with an invalid_request
// challenge (RFC 6750 section 3.1).
func invalidRequest(detail string) error {
	return &requestError{kind: kindMalformed, detail: detail,
		header: [][2]string{{"WWW-Authenticate", bearerChallenge("invalid_request", detail, "")}}}
}

// isB64Token reports whether s matches RFC 6750's b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for _, c := range []byte(body) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
		if !ok {
			return false
		}
	}
	return true
}
