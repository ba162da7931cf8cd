package oauth2

import (
	"slices"
	"strconv"
	"strings"

	"github.com/signet-dev/signet"
)

// The OpenID Connect scopes (Core section 5.4): about the user, granted by
// the user's consent rather than by roles.
var oidcScopes = []string{"openid", "profile", "email", "offline_access"}

// userScope reports whether s is about a user, and so means nothing in a
// client-credentials token.
func userScope(s string) bool { return slices.Contains(oidcScopes, s) }

// parseScope splits a scope parameter (RFC 6749 section 3.3) into its
// distinct tokens, in order; a malformed token is invalid_scope.
func parseScope(s string) ([]string, error) {
	var out []string
	for _, tok := range strings.Split(s, " ") {
		if tok == "" {
			continue
		}
		if !signet.ValidScopeToken(tok) {
			return nil, oauthErr(ErrInvalidScope, "the scope holds characters a scope cannot hold")
		}
		if !slices.Contains(out, tok) {
			out = append(out, tok)
		}
	}
	return out, nil
}

// quoteScope quotes a scope token for a description: it is printable ASCII
// (parseScope checked), and short.
func quoteScope(s string) string { return strconv.Quote(s) }

// forUser narrows scopes a client asked for (and may ask for) to what the
// user may give it: the OpenID scopes always, any other only if the user's
// roles grant it. A client never gets more than its user has.
func forUser(scopes, granted []string) []string {
	var out []string
	for _, s := range scopes {
		if userScope(s) || slices.Contains(granted, s) {
			out = append(out, s)
		}
	}
	return out
}

func joinScope(s []string) string { return strings.Join(s, " ") }

func hasScope(scope []string, s string) bool { return slices.Contains(scope, s) }
