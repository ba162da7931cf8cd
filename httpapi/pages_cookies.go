package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/signet-dev/signet/oauth2"
)

// Cookie names. Outside loopback development they carry the __Host- prefix,
// which a browser accepts only with Secure, Path=/ and no Domain: no other
// host, and no plain-HTTP page, can set them (RFC 6265bis section 4.1.3.2).
const (
	sessionCookie = "signet_session"
	csrfCookie    = "signet_csrf"
)

// secureCookies reports whether cookies are Secure: always, except for an
// http issuer on a loopback host (development).
func (s *Server) secureCookies() bool {
	u, err := url.Parse(s.cfg.Issuer)
	if err != nil {
		return true
	}
	h := u.Hostname()
	loopback := h == "localhost" || h == "::1" || strings.HasPrefix(h, "127.")
	return u.Scheme == "https" || !loopback
}

func (s *Server) cookieName(base string) string {
	if s.secureCookies() {
		return "__Host-" + base
	}
	return base
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site. Lax
// lets the browser send it when a client sends the user to
// /oauth2/authorize (a top-level navigation from another site), which
// single sign-on needs, and withholds it from cross-site POSTs.
func (s *Server) setCookie(w http.ResponseWriter, base, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: s.cookieName(base), Value: value, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode}
	switch {
	case maxAge > 0:
		c.MaxAge = int(maxAge / time.Second)
	case maxAge < 0:
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

func (s *Server) cookie(r *http.Request, base string) string {
	c, err := r.Cookie(s.cookieName(base))
	if err != nil {
		return ""
	}
	return c.Value
}

// csrfBinding returns the browser's CSRF cookie value, or "".
func (s *Server) csrfBinding(r *http.Request) string { return s.cookie(r, csrfCookie) }

// ensureCSRF returns the CSRF token of this browser, giving it a CSRF
// cookie first if it has none.
func (s *Server) ensureCSRF(w http.ResponseWriter, r *http.Request) string {
	b := s.csrfBinding(r)
	if len(b) != 43 {
		b = oauth2.NewCSRFBinding()
		s.setCookie(w, csrfCookie, b, 0)
	}
	return s.cfg.Provider.CSRFToken(b)
}

// browser returns the signed-in user of the request, or nil.
func (s *Server) browser(r *http.Request) (*oauth2.Browser, error) {
	b, err := s.cfg.Provider.BrowserUser(r.Context(), s.cookie(r, sessionCookie))
	if err == oauth2.ErrNoBrowserSession {
		return nil, nil
	}
	return b, err
}
