package httpapi

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/signet-dev/signet/oauth2"
)

// The login, consent and logout pages: server-rendered HTML from embedded
// templates, one stylesheet, no script. Every form carries a CSRF token;
// every page a strict Content-Security-Policy (SECURITY.md rule 17).

//go:embed html/*.html html/style.css
var pageFiles embed.FS

var pageTemplates = template.Must(template.ParseFS(pageFiles, "html/*.html"))

var styleCSS, _ = pageFiles.ReadFile("html/style.css")

// pageData is what the templates show. Every string is escaped by
// html/template; none holds a secret but the CSRF token, which is this
// browser's own.
type pageData struct {
	Title      string
	ClientName string
	Email      string
	Error      string
	Message    string
	Code       string
	CSRF       string
	Request    string // the authorization (or logout) request's parameters
	Scopes     []scopeView
	Consents   []oauth2.ConsentView
}

type scopeView struct{ Name, Description string }

// scopeDescriptions say what each OpenID scope lets the client do.
var scopeDescriptions = map[string]string{
	"openid":         "sign you in with your signet account",
	"profile":        "see your name",
	"email":          "see your email address",
	"offline_access": "keep access while you are away",
}

func describeScopes(scopes []string) []scopeView {
	out := make([]scopeView, 0, len(scopes))
	for _, s := range scopes {
		d, ok := scopeDescriptions[s]
		if !ok {
			d = "use “" + s + "” on your behalf"
		}
		out = append(out, scopeView{Name: s, Description: d})
	}
	return out
}

// pageCSP is the policy of every page: nothing but the stylesheet loads,
// nothing frames the page, and forms post only to signet, plus the client's
// redirect origin when a form ends in a redirect to it (CSP form-action
// applies to redirects that follow a form submission).
func pageCSP(formTarget string) string {
	action := "'self'"
	if src := cspSource(formTarget); src != "" {
		action += " " + src
	}
	return "default-src 'none'; style-src 'self'; img-src 'self'; form-action " + action +
		"; frame-ancestors 'none'; base-uri 'none'"
}

// cspSource is the CSP source expression of a URI's origin, or "".
func cspSource(uri string) string {
	u, err := url.Parse(uri)
	switch {
	case err != nil || uri == "":
		return ""
	case u.Scheme == "http" || u.Scheme == "https":
		return u.Scheme + "://" + u.Host
	}
	return u.Scheme + ":"
}

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData, formTarget string) error {
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, name, d); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP(formTarget))
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// errorPage shows an error the user must see (never redirected).
func (s *Server) errorPage(w http.ResponseWriter, status int, code, msg string) error {
	return s.render(w, status, "message", pageData{Title: "Something went wrong", Error: msg, Code: code}, "")
}

// pageHandler adapts a page handler: an error it returns is internal, logged
// as fail logs them, and answered with an HTML page that says nothing of it.
func (s *Server) pageHandler(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := h(w, r)
		if err == nil {
			return nil
		}
		s.logInternal(r, err)
		if infoFrom(r.Context()).rw.wroteHeader() {
			return nil
		}
		return s.errorPage(w, http.StatusInternalServerError, "server_error", detailInternal)
	}
}

// style serves the pages' stylesheet.
func (s *Server) style(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	cacheFor(h, 24*60*60*1e9)
	w.Write(styleCSS)
	return nil
}

// pageForm reads a page's form: the limits of readForm, and a CSRF token
// that matches this browser's CSRF cookie. It reports false, having
// answered the request, when either fails; nothing has changed then.
func (s *Server) pageForm(w http.ResponseWriter, r *http.Request) (url.Values, bool, error) {
	form, err := readForm(w, r)
	if err != nil {
		return nil, false, s.errorPage(w, http.StatusBadRequest, "invalid_request", "The form could not be read. Go back and try again.")
	}
	if !s.cfg.Provider.CheckCSRF(s.csrfBinding(r), form.Get("csrf_token")) {
		return nil, false, s.errorPage(w, http.StatusForbidden, "invalid_request",
			"This form has expired or was not sent by this site. Go back, reload the page and try again.")
	}
	return form, true, nil
}

// requestParams reads the request carried in a form's "request" field.
func requestParams(form url.Values) (url.Values, bool) {
	q, err := url.ParseQuery(form.Get("request"))
	return q, err == nil && len(q) > 0 && !strings.ContainsAny(form.Get("request"), "\r\n")
}
