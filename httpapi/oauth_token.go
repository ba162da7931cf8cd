package httpapi

import (
	"net/http"
	"net/url"

	"github.com/signet-dev/signet/oauth2"
)

// tokenEndpoints serves the JSON endpoints of the OpenID provider: token,
// introspection, revocation and userinfo.
type tokenEndpoints struct{ *Server }

// Mount registers the routes when a provider is configured.
func (h tokenEndpoints) Mount(s *Server) {
	if s.cfg.Provider == nil {
		return
	}
	s.handle("POST /oauth2/token", s.oauthHandler(h.token))
	s.handle("POST /oauth2/introspect", s.oauthHandler(h.introspect))
	s.handle("POST /oauth2/revoke", s.oauthHandler(h.revoke))
	s.handle("GET /oauth2/userinfo", s.oauthHandler(h.userinfo))
	s.handle("POST /oauth2/userinfo", s.oauthHandler(h.userinfo))
}

// token answers RFC 6749 section 5.1's token response.
func (h tokenEndpoints) token(w http.ResponseWriter, r *http.Request) error {
	form, auth, err := clientForm(w, r)
	if err != nil {
		return err
	}
	resp, err := h.cfg.Provider.Token(r.Context(), oauth2.TokenRequest{Client: auth, GrantType: form.Get("grant_type"),
		Code: form.Get("code"), RedirectURI: form.Get("redirect_uri"), CodeVerifier: form.Get("code_verifier"),
		RefreshToken: form.Get("refresh_token"), Scope: form.Get("scope"), Meta: h.meta(r)})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, resp)
}

// introspect answers RFC 7662 section 2.2.
func (h tokenEndpoints) introspect(w http.ResponseWriter, r *http.Request) error {
	form, auth, err := clientForm(w, r)
	if err != nil {
		return err
	}
	in, err := h.cfg.Provider.Introspect(r.Context(), auth, form.Get("token"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, in)
}

// revoke answers RFC 7009 section 2.2: 200 with an empty body, whether or
// not the token was valid.
func (h tokenEndpoints) revoke(w http.ResponseWriter, r *http.Request) error {
	form, auth, err := clientForm(w, r)
	if err != nil {
		return err
	}
	if err := h.cfg.Provider.Revoke(r.Context(), auth, form.Get("token")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// clientForm reads the form of a client's request and how it
// authenticates.
func clientForm(w http.ResponseWriter, r *http.Request) (url.Values, oauth2.ClientAuth, error) {
	form, err := readForm(w, r)
	if err != nil {
		return nil, oauth2.ClientAuth{}, err
	}
	auth, err := clientAuth(r, form)
	return form, auth, err
}

// userinfo answers OpenID Connect Core section 5.3 for a bearer access
// token in the Authorization header (RFC 6750 section 2.1; never a query
// parameter). A refused token gets 401 with an RFC 6750 challenge.
func (h tokenEndpoints) userinfo(w http.ResponseWriter, r *http.Request) error {
	tok, err := bearerToken(r)
	if err != nil {
		if re, ok := err.(*requestError); ok && re.kind == kindAuthRequired {
			// No credentials: a bare challenge, no error code (RFC 6750
			// section 3.1).
			w.Header().Set("WWW-Authenticate", bearerChallenge("", "", ""))
			noStore(w.Header())
			return writeJSON(w, http.StatusUnauthorized, oauthErrorBody{Error: oauth2.ErrInvalidRequest.Code,
				Description: "send the access token in the Authorization header"})
		}
		return err
	}
	c, err := h.api.Authenticate(r.Context(), tok)
	if err != nil {
		return &oauth2.Error{Code: oauth2.ErrInvalidToken.Code, Description: "the access token is expired, revoked or not valid"}
	}
	info, err := h.cfg.Provider.UserInfo(r.Context(), c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, info)
}
