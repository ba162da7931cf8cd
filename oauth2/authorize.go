package oauth2

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/signet-dev/signet"
)

// AuthRequest is a validated authorization request (RFC 6749 section
// 4.1.1, OpenID Connect Core section 3.1.2.1).
type AuthRequest struct {
	Client        signet.Client
	RedirectURI   string
	State         string
	Nonce         string
	CodeChallenge string
	Scopes        []string // requested; each allowed to the client
	PromptNone    bool
	PromptLogin   bool
	PromptConsent bool
	MaxAge        int64 // seconds; -1 when absent
	// Params are the request's parameters as received, to carry through
	// the login and consent forms; they are validated again each time.
	Params url.Values
}

// AuthorizeError is a refused authorization request. When Redirect is
// true the client and its redirect URI are valid and the error goes back to
// the client (RedirectURL); otherwise it must be shown to the user, and
// never sent to an unverified URI (RFC 6749 section 4.1.2.1).
type AuthorizeError struct {
	Err         *Error
	Redirect    bool
	RedirectURL string
}

func (e *AuthorizeError) Error() string { return e.Err.Error() }
func (e *AuthorizeError) Unwrap() error { return e.Err }

// Bounds of the parameters a client chooses.
const (
	maxStateLen = 1024
	maxNonceLen = 512
)

// ParseAuthorize validates an authorization request's parameters. Errors
// are *AuthorizeError, or internal.
func (p *Provider) ParseAuthorize(ctx context.Context, q url.Values) (*AuthRequest, error) {
	for _, name := range []string{"client_id", "redirect_uri"} {
		if len(q[name]) > 1 {
			return nil, pageErr(ErrInvalidRequest, name+" is given more than once")
		}
	}
	ar := &AuthRequest{Params: q, RedirectURI: q.Get("redirect_uri")}
	id := q.Get("client_id")
	if id == "" {
		return nil, pageErr(ErrInvalidRequest, "client_id is missing")
	}
	c, err := p.store.Client(ctx, id)
	switch {
	case errors.Is(err, signet.ErrNotFound) || (err == nil && !signet.ValidClientID(id)):
		return nil, pageErr(ErrInvalidRequest, "there is no client with this client_id")
	case err != nil:
		return nil, internal("reading the client", err)
	case ar.RedirectURI == "":
		return nil, pageErr(ErrInvalidRequest, "redirect_uri is missing")
	case !c.HasRedirectURI(ar.RedirectURI):
		return nil, pageErr(ErrInvalidRequest, "redirect_uri is not one this client registered (they must match exactly)")
	}
	ar.Client = c
	ar.State = q.Get("state")
	if e := p.checkAuthorize(ar, q); e != nil {
		return nil, p.redirectErr(ar, e)
	}
	return ar, nil
}

// checkAuthorize validates what comes after the client and redirect URI;
// its errors are redirected to the client.
func (p *Provider) checkAuthorize(ar *AuthRequest, q url.Values) *Error {
	for name, vs := range q {
		if len(vs) > 1 {
			return oauthErr(ErrInvalidRequest, name+" is given more than once")
		}
	}
	switch {
	case q.Has("request"):
		return oauthErr(ErrRequestNotSupported, "request objects are not supported")
	case q.Has("request_uri"):
		return oauthErr(ErrRequestURINotSupported, "request_uri is not supported")
	case q.Get("response_type") != "code":
		return oauthErr(ErrUnsupportedResponseType, "response_type must be code")
	case !ar.Client.AllowsGrant(signet.GrantAuthorizationCode):
		return oauthErr(ErrUnauthorizedClient, "the client is not registered for the authorization_code grant")
	case q.Has("response_mode") && q.Get("response_mode") != "query":
		return oauthErr(ErrInvalidRequest, "response_mode must be query")
	case ar.State == "" || len(ar.State) > maxStateLen:
		return oauthErr(ErrInvalidRequest, "state is required (at most 1024 characters)")
	case q.Get("code_challenge_method") != "S256":
		return oauthErr(ErrInvalidRequest, "PKCE is required with code_challenge_method S256")
	case !validChallenge(q.Get("code_challenge")):
		return oauthErr(ErrInvalidRequest, "code_challenge must be the base64url SHA-256 of the code verifier (43 characters)")
	case len(q.Get("nonce")) > maxNonceLen:
		return oauthErr(ErrInvalidRequest, "nonce is longer than 512 characters")
	}
	ar.CodeChallenge, ar.Nonce = q.Get("code_challenge"), q.Get("nonce")
	if e := ar.parsePrompt(q.Get("prompt"), q.Get("max_age"), q.Has("max_age")); e != nil {
		return e
	}
	return ar.parseScopes(q.Get("scope"))
}

func (ar *AuthRequest) parsePrompt(prompt, maxAge string, hasMaxAge bool) *Error {
	values := strings.Fields(prompt)
	for _, v := range values {
		switch v {
		case "none":
			ar.PromptNone = true
		case "login":
			ar.PromptLogin = true
		case "consent":
			ar.PromptConsent = true
		default:
			return oauthErr(ErrInvalidRequest, "prompt may be none, login or consent")
		}
	}
	if ar.PromptNone && len(values) > 1 {
		return oauthErr(ErrInvalidRequest, "prompt none cannot be combined with another value")
	}
	ar.MaxAge = -1
	if hasMaxAge {
		n, err := strconv.ParseInt(maxAge, 10, 64)
		if err != nil || n < 0 || strconv.FormatInt(n, 10) != maxAge {
			return oauthErr(ErrInvalidRequest, "max_age must be a number of seconds")
		}
		ar.MaxAge = n
	}
	return nil
}

func (ar *AuthRequest) parseScopes(scope string) *Error {
	scopes, err := parseScope(scope)
	if err != nil {
		var e *Error
		errors.As(err, &e)
		return e
	}
	for _, s := range scopes {
		if !ar.Client.AllowsScope(s) {
			return oauthErr(ErrInvalidScope, "the client may not ask for scope "+quoteScope(s))
		}
	}
	ar.Scopes = scopes
	return nil
}

func pageErr(sentinel *Error, description string) *AuthorizeError {
	return &AuthorizeError{Err: oauthErr(sentinel, description)}
}

// redirectErr is an error sent back to the client's verified redirect URI,
// with the state and the issuer (RFC 9207).
func (p *Provider) redirectErr(ar *AuthRequest, e *Error) *AuthorizeError {
	v := url.Values{"error": {e.Code}, "error_description": {e.Description}, "iss": {p.acct.Issuer}}
	if ar.State != "" {
		v.Set("state", ar.State)
	}
	return &AuthorizeError{Err: e, Redirect: true, RedirectURL: withQuery(ar.RedirectURI, v)}
}

// withQuery adds v to uri's query, keeping what the registered URI holds
// (RFC 6749 section 3.1.2).
func withQuery(uri string, v url.Values) string {
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	return uri + sep + v.Encode()
}
