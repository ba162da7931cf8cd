package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// oidcServer is a test server whose issuer is its own URL, so standard
// client libraries can discover it, with a user and a registered
// confidential client.
type oidcServer struct {
	*testServer
	issuer   string
	secret   string // the client's, as `signet client add` printed it
	callback string
}

const (
	oidcUser   = "olivia@example.com"
	oidcClient = "web"
)

// startOIDC starts a server whose issuer names host ("127.0.0.1" or
// "localhost") and its port, signs up oidcUser and registers oidcClient
// with the given redirect URI through the CLI.
func startOIDC(t *testing.T, host, callback string, extra ...string) *oidcServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	issuer := "http://" + net.JoinHostPort(host, port)
	ts := startServerOn(t, ln, append([]string{"--issuer", issuer}, extra...)...)
	o := &oidcServer{testServer: ts, issuer: issuer, callback: callback}
	ts.signup(t, oidcUser, pw)
	out, errOut, err := ts.runCLI(t, "", "client", "add", oidcClient, "--name", "Web App", "--redirect-uri", callback,
		"--post-logout-redirect-uri", callback+"/bye",
		"--grant-types", "authorization_code,refresh_token,client_credentials",
		"--scopes", "openid profile email signet:revocations")
	if err != nil {
		t.Fatalf("client add: %v\n%s", err, errOut)
	}
	o.secret = strings.TrimSpace(out)
	if len(o.secret) != 43 || !strings.Contains(errOut, "shown this once") {
		t.Fatalf("client add printed %q / %q: want the secret alone on stdout", out, errOut)
	}
	return o
}

// browserless is an HTTP client with a cookie jar that does not follow
// redirects, so a test sees each step of the flow.
func browserless(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// page is one response, read whole.
type page struct {
	status int
	header http.Header
	body   string
}

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) page {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

var hiddenRE = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// hidden returns a page's hidden form fields.
func (p page) hidden() url.Values {
	v := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(p.body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// signInAndConsent runs the login and consent pages for an authorization
// URL and returns the redirect the client got.
func (o *oidcServer) signInAndConsent(t *testing.T, c *http.Client, authURL string) *url.URL {
	t.Helper()
	login := fetch(t, c, "GET", authURL, nil)
	if login.status != 200 || !strings.Contains(login.body, `action="/oauth2/login"`) {
		t.Fatalf("authorize: %d\n%s", login.status, login.body)
	}
	form := login.hidden()
	form.Set("email", oidcUser)
	form.Set("password", pw)
	consent := fetch(t, c, "POST", o.issuer+"/oauth2/login", form)
	if consent.status == 303 { // consent remembered from an earlier flow
		return redirectOf(t, consent, o.callback)
	}
	if consent.status != 200 || !strings.Contains(consent.body, `action="/oauth2/consent"`) {
		t.Fatalf("login: %d\n%s", consent.status, consent.body)
	}
	form = consent.hidden()
	form.Set("decision", "allow")
	done := fetch(t, c, "POST", o.issuer+"/oauth2/consent", form)
	return redirectOf(t, done, o.callback)
}

// redirectOf checks that p sends the browser to prefix and returns where.
func redirectOf(t *testing.T, p page, prefix string) *url.URL {
	t.Helper()
	loc := p.header.Get("Location")
	if (p.status != 302 && p.status != 303) || !strings.HasPrefix(loc, prefix+"?") {
		t.Fatalf("want a redirect to %s, got %d %q\n%s", prefix, p.status, loc, p.body)
	}
	u, _ := url.Parse(loc)
	return u
}

func randomState() string { return rand.Text() }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

var _ = fmt.Sprintf

// tokenCallWith posts a form to the token endpoint with Basic credentials.
func (o *oidcServer) tokenCallWith(t *testing.T, form url.Values, id, secret string) (int, http.Header, map[string]any) {
	t.Helper()
	saved := o.secret
	defer func() { o.secret = saved }()
	o.secret = secret
	if id != oidcClient {
		t.Fatal("tokenCallWith: only the test client")
	}
	return o.tokenCall(t, form, true)
}

// ccToken gets a client-credentials token with the given secret.
func (o *oidcServer) ccToken(t *testing.T, secret string) string {
	t.Helper()
	st, _, body := o.tokenCallWith(t, url.Values{"grant_type": {"client_credentials"}, "scope": {"signet:revocations"}}, oidcClient, secret)
	if st != 200 {
		t.Fatalf("client credentials: %d %v", st, body)
	}
	return body["access_token"].(string)
}
