package account_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/throttle"
	"github.com/signet-dev/signet/token"
)

func TestLoginFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.signup(t, "alice@example.com")
	r := e.login(t, "  ALICE@example.com")
	if r.TokenType != "Bearer" || r.ExpiresIn != 900 || r.Scope != "openid profile email" ||
		!token.LooksLikeRefreshToken(r.RefreshToken) || r.IDToken == "" {
		t.Fatalf("token response %+v", r)
	}
	c := e.auth(t, r.AccessToken)
	if c.Subject != id || c.ClientID != "signet" || !c.Audience.Contains(issuer) || c.SessionID == "" ||
		c.ID == "" || !slices.Equal(c.Roles, []string{"user"}) || c.Scope != r.Scope ||
		c.ExpiresAt != jose.NewNumericDate(epoch.Add(15*time.Minute)) {
		t.Fatalf("access claims %+v", c)
	}
	idc := verifyIDToken(t, e, r.IDToken)
	wantHash, _ := token.AccessTokenHash(e.keys.AccessAlgorithm(), r.AccessToken)
	if idc.Subject != id || idc.Email != "alice@example.com" || idc.Name != "Test User" ||
		idc.AccessTokenHash != wantHash || idc.SessionID != c.SessionID || idc.AuthTime != jose.NewNumericDate(epoch) {
		t.Fatalf("ID token claims %+v", idc)
	}
	if _, err := e.svc.Authenticate(t.Context(), r.IDToken); !errors.Is(err, account.ErrInvalidToken) || !errors.Is(err, jose.ErrWrongType) {
		t.Fatalf("ID token accepted as an access token: %v", err)
	}
	p, err := e.svc.Me(t.Context(), c)
	must(t, err)
	if p.Sub != id || p.Email != "alice@example.com" || p.SessionID != c.SessionID || p.Scope != r.Scope {
		t.Fatalf("profile %+v", p)
	}
	sessions, err := e.svc.Sessions(t.Context(), c)
	must(t, err)
	if len(sessions) != 1 || !sessions[0].Current || sessions[0].UserAgent != "test-agent/1.0" || sessions[0].ClientID != "signet" {
		t.Fatalf("sessions %+v", sessions)
	}
}

// verifyIDToken checks an ID token against the published JWKS, as a client
// would: aud is the first-party client id.
func verifyIDToken(t *testing.T, e *env, tok string) *jose.Claims {
	t.Helper()
	doc, _, err := e.svc.JWKS(t.Context())
	must(t, err)
	set, err := jose.ParseJWKS(doc)
	must(t, err)
	v, err := jose.NewVerifier(set, jose.WithIssuer(issuer), jose.WithAudience("signet"), jose.WithClock(e.clock.Now))
	must(t, err)
	c, err := v.Verify(tok)
	must(t, err)
	return c
}

// TestLoginOneHashOnEveryPath is security rule 9: unknown email, wrong
// password and disabled account each cost exactly one argon2id computation
// and return the same error.
func TestLoginOneHashOnEveryPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	off := e.signup(t, "off@example.com")
	must(t, e.svc.SetDisabled(t.Context(), off, true))
	tests := []struct {
		name  string
		req   account.LoginRequest
		want  error
		cause string
	}{
		{"unknown email", account.LoginRequest{Email: "nobody@example.com", Password: goodPassword}, account.ErrInvalidCredentials, "unknown_email"},
		{"malformed email", account.LoginRequest{Email: "not an email", Password: goodPassword}, account.ErrInvalidCredentials, "unknown_email"},
		{"wrong password", account.LoginRequest{Email: "alice@example.com", Password: otherPassword}, account.ErrInvalidCredentials, "bad_password"},
		{"disabled account", account.LoginRequest{Email: "off@example.com", Password: goodPassword}, account.ErrInvalidCredentials, "disabled"},
		{"success", account.LoginRequest{Email: "alice@example.com", Password: goodPassword}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := e.countHashes(func() { _, err = e.svc.Login(t.Context(), tt.req, meta) })
			if n != 1 {
				t.Fatalf("%d argon2id computations, want exactly 1", n)
			}
			if tt.want == nil {
				must(t, err)
				return
			}
			wantErr(t, err, tt.want)
			if err.Error() != account.ErrInvalidCredentials.Error() {
				t.Fatalf("error text %q differs between paths", err)
			}
			if !strings.Contains(e.logs.String(), `"reason":"`+tt.cause+`"`) {
				t.Fatalf("no login.failed event with reason %s", tt.cause)
			}
		})
	}
}

func TestLoginUpgradesHash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.newHasher(t, 32) // other parameters than the service's hasher
	hash, err := old.Hash(goodPassword)
	must(t, err)
	id := e.signup(t, "alice@example.com")
	_, err = e.store.UpdateUser(t.Context(), id, func(u signet.User) (signet.UserUpdate, error) {
		u.PasswordHash = hash
		return signet.UserUpdate{User: u}, nil
	})
	must(t, err)
	e.login(t, "alice@example.com")
	u, err := e.store.User(t.Context(), id)
	must(t, err)
	if u.PasswordHash == hash || !strings.Contains(u.PasswordHash, e.hasher.Params().String()) {
		t.Fatalf("hash not upgraded to %s: %s", e.hasher.Params(), u.PasswordHash[:30])
	}
	if n := e.countHashes(func() { e.login(t, "alice@example.com") }); n != 1 {
		t.Fatalf("%d hashes after the upgrade, want 1", n)
	}
}

func TestLoginScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{account: func(c *account.Config) {
		c.RoleScopes = map[string][]string{"user": {"openid", "email"}, "editor": {"posts:read", "posts:write"}}
	}})
	_, err := e.svc.AddUser(t.Context(), account.NewUser{Email: "ed@example.com", Password: goodPassword, Roles: []string{"user", "editor"}})
	must(t, err)
	tests := []struct {
		name, ask, want string
		err             error
	}{
		{"everything granted", "", "openid email posts:read posts:write", nil},
		{"a subset", "posts:read  openid posts:read", "posts:read openid", nil},
		{"more than granted", "openid admin", "", account.ErrScope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.svc.Login(t.Context(), account.LoginRequest{Email: "ed@example.com", Password: goodPassword, Scope: tt.ask}, meta)
			if tt.err != nil {
				wantErr(t, err, tt.err)
				return
			}
			must(t, err)
			if r.Scope != tt.want || e.auth(t, r.AccessToken).Scope != tt.want {
				t.Fatalf("scope %q, want %q", r.Scope, tt.want)
			}
		})
	}
}

func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var te *account.ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("error = %v, want *ThrottledError", err)
	}
	return te.RetryAfter
}

func TestLoginThrottleBacksOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	wrong := account.LoginRequest{Email: "alice@example.com", Password: otherPassword}
	right := account.LoginRequest{Email: "Alice@example.com", Password: goodPassword}
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		for range 5 {
			_, err := e.svc.Login(t.Context(), wrong, meta)
			wantErr(t, err, account.ErrInvalidCredentials)
		}
		var err error
		if n := e.countHashes(func() { _, err = e.svc.Login(t.Context(), right, meta) }); n != 0 {
			t.Fatalf("a throttled login computed %d hashes", n)
		}
		if got := retryAfter(t, err); got != want {
			t.Fatalf("lock %d: Retry-After %v, want %v", i+1, got, want)
		}
		e.clock.Advance(want)
	}
	e.login(t, "alice@example.com")
	if !strings.Contains(e.logs.String(), `"event":"login.throttled"`) {
		t.Fatal("no login.throttled event")
	}
}

func TestLoginThrottleUnknownEmailAndAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{account: func(c *account.Config) {
		c.Throttle = account.ThrottleLimits{Account: throttle.Limits{MaxFailures: 3}, Address: throttle.Limits{MaxFailures: 4}}
	}})
	e.signup(t, "alice@example.com")
	for range 3 {
		_, err := e.svc.Login(t.Context(), account.LoginRequest{Email: "ghost@example.com", Password: "x"}, account.Meta{ClientIP: "198.51.100.1"})
		wantErr(t, err, account.ErrInvalidCredentials)
	}
	_, err := e.svc.Login(t.Context(), account.LoginRequest{Email: "ghost@example.com", Password: "x"}, account.Meta{ClientIP: "198.51.100.2"})
	retryAfter(t, err) // an unknown email is throttled like a real one
	for i := range 4 {
		_, err := e.svc.Login(t.Context(), account.LoginRequest{Email: "spray" + string(rune('a'+i)) + "@example.com", Password: "x"}, meta)
		wantErr(t, err, account.ErrInvalidCredentials)
	}
	_, err = e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: goodPassword}, meta)
	retryAfter(t, err) // the address sprayed four accounts
	if _, err := e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: goodPassword}, account.Meta{ClientIP: "203.0.113.5"}); err != nil {
		t.Fatalf("alice from another address: %v", err)
	}
}
