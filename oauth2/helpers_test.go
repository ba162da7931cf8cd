package oauth2_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"github.com/signet-dev/signet/internal/fakes"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/keys"
	"github.com/signet-dev/signet/oauth2"
	"github.com/signet-dev/signet/password"
	"github.com/signet-dev/signet/sqlite"
)

const (
	issuer   = "https://id.example"
	goodPW   = "correct horse battery staple"
	redirect = "https://app.example/callback"
	verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636 appendix B
)

// challenge is the S256 challenge of verifier (RFC 7636 appendix B).
const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is the shared fake clock.
type clock = fakes.Clock

// env is a Provider on a real SQLite store, a fake clock and a weak hasher.
type env struct {
	store *sqlite.Store
	clock *clock
	keys  *keys.Manager
	svc   *account.Service
	ring  *keys.Keyring
	p     *oauth2.Provider
	// web is a confidential client for the code flow and client
	// credentials, with its secret; spa a public one.
	web, spa signet.Client
	secret   string
	user     signet.User
}

var meta = account.Meta{ClientIP: "192.0.2.7", UserAgent: "test/1.0"}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{clock: fakes.NewClock(epoch)}
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "signet.db"), sqlite.Options{})
	must(t, err)
	t.Cleanup(func() { st.Close() })
	e.store = st
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mk, _, _ := keys.GenerateMasterKey()
	ring, _ := keys.NewKeyring(mk)
	e.ring = ring
	e.keys, err = keys.NewManager(st, ring, keys.ManagerConfig{Now: e.clock.Now, Logger: log})
	must(t, err)
	must(t, e.keys.Ensure(t.Context()))
	h, err := password.NewHasher(password.Config{UnsafeWeakParams: true,
		Params: password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}})
	must(t, err)
	e.svc, err = account.NewService(t.Context(), st, e.keys, h, account.Config{Issuer: issuer, Now: e.clock.Now, Logger: log,
		RoleScopes: map[string][]string{"user": {"openid", "profile", "email"}, "editor": {"posts:read"}}})
	must(t, err)
	e.p, err = oauth2.New(st, e.svc, e.keys, ring, oauth2.Config{})
	must(t, err)
	web, secret, err := e.p.AddClient(t.Context(), oauth2.NewClient{ID: "web", Name: "Web App", RedirectURIs: []string{redirect},
		PostLogoutRedirectURIs: []string{"https://app.example/bye"},
		GrantTypes:             []string{signet.GrantAuthorizationCode, signet.GrantRefreshToken, signet.GrantClientCredentials},
		Scopes:                 []string{"openid", "profile", "email", "posts:read", "signet:revocations"}})
	must(t, err)
	e.web, e.secret = web.Client, secret
	spa, _, err := e.p.AddClient(t.Context(), oauth2.NewClient{ID: "spa", Public: true, RedirectURIs: []string{"http://127.0.0.1:5173/cb"},
		IDTokenAlg: "RS256"})
	must(t, err)
	e.spa = spa.Client
	_, err = e.svc.Signup(t.Context(), account.SignupRequest{Email: "alice@example.com", Password: goodPW, Name: "Alice"}, meta)
	must(t, err)
	e.user, err = st.UserByEmail(t.Context(), "alice@example.com")
	must(t, err)
	return e
}

func (e *env) webAuth() oauth2.ClientAuth {
	return oauth2.ClientAuth{Method: oauth2.AuthBasic, ID: "web", Secret: e.secret}
}

// params is an authorization request of the web client.
func params(edit ...func(url.Values)) url.Values {
	q := url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {redirect},
		"scope": {"openid email"}, "state": {"xyz"}, "nonce": {"n-0S6"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	for _, f := range edit {
		if f != nil {
			f(q)
		}
	}
	return q
}

// signIn opens a browser session for alice.
func (e *env) signIn(t *testing.T) *oauth2.Browser {
	t.Helper()
	_, b, err := e.p.SignIn(t.Context(), "", "alice@example.com", goodPW, meta)
	must(t, err)
	return b
}

// code runs an authorization request through login and consent and
// returns the code the client got.
func (e *env) code(t *testing.T, q url.Values) string {
	t.Helper()
	ar, err := e.p.ParseAuthorize(t.Context(), q)
	must(t, err)
	out, err := e.p.Authorize(t.Context(), ar, e.signIn(t), oauth2.Decision{Fresh: true, Consented: true})
	must(t, err)
	if out.Step != oauth2.StepRedirect {
		t.Fatalf("step %v, want a redirect", out.Step)
	}
	u, _ := url.Parse(out.RedirectURL)
	if u.Query().Get("state") != q.Get("state") || u.Query().Get("iss") != issuer || u.Query().Get("code") == "" {
		t.Fatalf("redirect %s: want code, state and iss", out.RedirectURL)
	}
	return u.Query().Get("code")
}

// exchange redeems a code for the web client.
func (e *env) exchange(t *testing.T, code string) (oauth2.TokenResponse, error) {
	t.Helper()
	return e.p.Token(t.Context(), oauth2.TokenRequest{Client: e.webAuth(), GrantType: "authorization_code",
		Code: code, RedirectURI: redirect, CodeVerifier: verifier, Meta: meta})
}

// idVerifier verifies ID tokens of the client.
func (e *env) idVerifier(t *testing.T, client string) *jose.Verifier {
	t.Helper()
	doc, _ := e.keys.JWKS()
	set, err := jose.ParseJWKS(doc)
	must(t, err)
	v, err := jose.NewVerifier(set, jose.WithIssuer(issuer), jose.WithAudience(client), jose.WithClock(e.clock.Now))
	must(t, err)
	return v
}

func s256(v string) string {
	h := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func header(tok string) string {
	h, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	return string(h)
}
