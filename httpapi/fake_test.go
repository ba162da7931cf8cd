package httpapi

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
)

// Bearer tokens the fake knows.
const (
	userToken    = "user-token.abc_DEF-123"
	feedToken    = "feed-token.xyz"
	expiredToken = "expired-token"
	revokedToken = "revoked-token"
)

// fakeAPI is a hand-written account.API: it records what it was asked and
// answers canned values, or the error set for a method in errs.
type fakeAPI struct {
	mu       sync.Mutex
	errs     map[string]error // method name → error to return
	panics   map[string]bool  // method name → panic instead
	calls    []string
	metas    []account.Meta
	login    account.LoginRequest
	signup   account.SignupRequest
	refresh  string
	logout   *bool
	revoked  string
	password [2]string
	jwks     []byte
	maxAge   time.Duration

	feed    []verify.Entry // cursors "0001", "0002", …
	floor   int            // cursors below it are gone
	changed chan struct{}  // closed and replaced when feed grows
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		errs:    map[string]error{},
		panics:  map[string]bool{},
		jwks:    []byte(`{"keys":[{"kty":"EC","kid":"k1","use":"sig","alg":"ES256","crv":"P-256","x":"x","y":"y"},{"kty":"RSA","kid":"k2","alg":"RS256","e":"AQAB","n":"n"},{"kty":"EC","kid":"k3","alg":"ES256","crv":"P-256","x":"x","y":"y"}]}`),
		maxAge:  5 * time.Minute,
		changed: make(chan struct{}),
	}
}

// enter records a call and returns the error set for it.
func (f *fakeAPI) enter(name string, m *account.Meta) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
	if m != nil {
		f.metas = append(f.metas, *m)
	}
	if f.panics[name] {
		panic("fake panic in " + name)
	}
	return f.errs[name]
}

func (f *fakeAPI) setErr(name string, err error) {
	f.mu.Lock()
	f.errs[name] = err
	f.mu.Unlock()
}

func (f *fakeAPI) called(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.calls {
		if c == name {
			return true
		}
	}
	return false
}

func (f *fakeAPI) lastMeta() account.Meta {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.metas) == 0 {
		return account.Meta{}
	}
	return f.metas[len(f.metas)-1]
}

var fakeTokens = account.TokenResponse{AccessToken: "at.x.y", TokenType: "Bearer", ExpiresIn: 900,
	RefreshToken: "rt-1", IDToken: "id.x.y", Scope: "openid profile"}

func (f *fakeAPI) Signup(ctx context.Context, r account.SignupRequest, m account.Meta) (account.Profile, error) {
	if err := f.enter("Signup", &m); err != nil {
		return account.Profile{}, err
	}
	f.mu.Lock()
	f.signup = r
	f.mu.Unlock()
	return account.Profile{Sub: "u_1", Email: r.Email, Name: r.Name, Roles: []string{"user"}}, nil
}

func (f *fakeAPI) Login(ctx context.Context, r account.LoginRequest, m account.Meta) (account.TokenResponse, error) {
	if err := f.enter("Login", &m); err != nil {
		return account.TokenResponse{}, err
	}
	f.mu.Lock()
	f.login = r
	f.mu.Unlock()
	return fakeTokens, nil
}

func (f *fakeAPI) Refresh(ctx context.Context, tok string, m account.Meta) (account.TokenResponse, error) {
	if err := f.enter("Refresh", &m); err != nil {
		return account.TokenResponse{}, err
	}
	f.mu.Lock()
	f.refresh = tok
	f.mu.Unlock()
	t := fakeTokens
	t.RefreshToken = "rt-2"
	return t, nil
}

func (f *fakeAPI) Authenticate(ctx context.Context, bearer string) (*jose.Claims, error) {
	if err := f.enter("Authenticate", nil); err != nil {
		return nil, err
	}
	switch bearer {
	case userToken:
		return &jose.Claims{Subject: "u_1", SessionID: "s_1", Scope: "openid profile", Email: "ann@example.com"}, nil
	case feedToken:
		return &jose.Claims{Subject: "svc", ClientID: "follower", Scope: "other " + ScopeRevocations}, nil
	case expiredToken:
		return nil, fmt.Errorf("%w: %w", account.ErrInvalidToken, jose.ErrExpired)
	case revokedToken:
		return nil, fmt.Errorf("%w: %w", account.ErrInvalidToken, account.ErrRevoked)
	}
	return nil, fmt.Errorf("%w: %w", account.ErrInvalidToken, jose.ErrBadSignature)
}

func (f *fakeAPI) Logout(ctx context.Context, c *jose.Claims, all bool) error {
	if err := f.enter("Logout", nil); err != nil {
		return err
	}
	f.mu.Lock()
	f.logout = &all
	f.mu.Unlock()
	return nil
}

func (f *fakeAPI) Me(ctx context.Context, c *jose.Claims) (account.Profile, error) {
	if err := f.enter("Me", nil); err != nil {
		return account.Profile{}, err
	}
	return account.Profile{Sub: c.Subject, Email: "ann@example.com", Name: "Ann", Scope: c.Scope, SessionID: c.SessionID,
		CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}, nil
}

func (f *fakeAPI) Sessions(ctx context.Context, c *jose.Claims) ([]account.SessionView, error) {
	if err := f.enter("Sessions", nil); err != nil {
		return nil, err
	}
	t := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return []account.SessionView{{ID: c.SessionID, ClientID: "signet", CreatedAt: t, LastUsedAt: t, UserAgent: "curl", Current: true}}, nil
}

func (f *fakeAPI) RevokeSession(ctx context.Context, c *jose.Claims, id string) error {
	if err := f.enter("RevokeSession", nil); err != nil {
		return err
	}
	f.mu.Lock()
	f.revoked = id
	f.mu.Unlock()
	return nil
}

func (f *fakeAPI) ChangePassword(ctx context.Context, c *jose.Claims, current, next string) error {
	if err := f.enter("ChangePassword", nil); err != nil {
		return err
	}
	f.mu.Lock()
	f.password = [2]string{current, next}
	f.mu.Unlock()
	return nil
}

// addEntries appends n entries to the feed and wakes the waiters.
func (f *fakeAPI) addEntries(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		i := len(f.feed) + 1
		f.feed = append(f.feed, verify.Entry{Cursor: fmt.Sprintf("%04d", i), Kind: verify.KindJTI,
			Value: fmt.Sprintf("jti-%d", i), ExpiresAt: 2000000000})
	}
	close(f.changed)
	f.changed = make(chan struct{})
}

// after returns the entries after cursor and the current cursor; the
// caller holds mu.
func (f *fakeAPI) after(cursor string) ([]verify.Entry, string, error) {
	n := 0
	if cursor != "" {
		var err error
		if n, err = strconv.Atoi(cursor); err != nil {
			return nil, "", signet.Errorf(signet.EINVALID, "malformed cursor")
		}
		if n < f.floor {
			return nil, "", account.ErrCursorGone
		}
	}
	cur := fmt.Sprintf("%04d", len(f.feed))
	if n >= len(f.feed) {
		return nil, cur, nil
	}
	return append([]verify.Entry(nil), f.feed[n:]...), cur, nil
}

func (f *fakeAPI) Revocations(ctx context.Context, after string) ([]verify.Entry, string, error) {
	if err := f.enter("Revocations", nil); err != nil {
		return nil, "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.after(after)
}

func (f *fakeAPI) WaitRevocations(ctx context.Context, after string) ([]verify.Entry, string, error) {
	if err := f.enter("WaitRevocations", nil); err != nil {
		return nil, "", err
	}
	for {
		f.mu.Lock()
		entries, cur, err := f.after(after)
		changed := f.changed
		f.mu.Unlock()
		if err != nil || len(entries) > 0 {
			return entries, cur, err
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, "", ctx.Err()
		}
	}
}

func (f *fakeAPI) JWKS(ctx context.Context) ([]byte, time.Duration, error) {
	if err := f.enter("JWKS", nil); err != nil {
		return nil, 0, err
	}
	return f.jwks, f.maxAge, nil
}

var _ account.API = (*fakeAPI)(nil)
