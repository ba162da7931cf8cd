package oauth2_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/signet-dev/signet/oauth2"
)

// FuzzParseAuthorize: whatever the query, ParseAuthorize never panics, an
// error is an *AuthorizeError that redirects only to a registered URI, and
// an accepted request has S256 PKCE, a state and allowed scopes.
func FuzzParseAuthorize(f *testing.F) {
	f.Add(params().Encode())
	f.Add(params(func(q url.Values) { q.Set("redirect_uri", "https://evil.example/") }).Encode())
	f.Add(params(func(q url.Values) { q.Set("prompt", "none login"); q.Set("max_age", "007") }).Encode())
	f.Add("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&state=x&scope=%00")
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		ar, err := e.p.ParseAuthorize(t.Context(), q)
		var ae *oauth2.AuthorizeError
		switch {
		case errors.As(err, &ae):
			if ae.Redirect && !strings.HasPrefix(ae.RedirectURL, redirect+"?") {
				t.Fatalf("redirects an error to %q", ae.RedirectURL)
			}
		case err != nil:
			t.Fatalf("error %v is not an *AuthorizeError", err)
		default:
			if ar.RedirectURI != redirect || ar.State == "" || len(ar.CodeChallenge) != 43 {
				t.Fatalf("accepted %+v", ar)
			}
			for _, s := range ar.Scopes {
				if !ar.Client.AllowsScope(s) {
					t.Fatalf("accepted scope %q", s)
				}
			}
		}
	})
}
