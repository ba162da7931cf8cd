package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/token"
)

func (e *env) refresh(t *testing.T, rt string) account.TokenResponse {
	t.Helper()
	r, err := e.svc.Refresh(t.Context(), rt, meta)
	must(t, err)
	return r
}

func TestRefreshRotates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	r1 := e.login(t, "alice@example.com")
	e.clock.Advance(time.Minute)
	r2 := e.refresh(t, r1.RefreshToken)
	if r2.RefreshToken == r1.RefreshToken || r2.AccessToken == r1.AccessToken {
		t.Fatal("refresh did not issue new tokens")
	}
	c1, c2 := e.auth(t, r1.AccessToken), e.auth(t, r2.AccessToken)
	if c1.SessionID != c2.SessionID || c2.Scope != r1.Scope || c2.IssuedAt <= c1.IssuedAt {
		t.Fatalf("refreshed claims %+v from %+v", c2, c1)
	}
	if idc := verifyIDToken(t, e, r2.IDToken); idc.AuthTime != c1.IssuedAt {
		t.Fatalf("auth_time %d after refresh, want the login time %d", idc.AuthTime, c1.IssuedAt)
	}
	e.refresh(t, r2.RefreshToken)
}

func TestRefreshGraceSiblingAndReuse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	r1 := e.login(t, "alice@example.com")
	r2 := e.refresh(t, r1.RefreshToken)

	e.clock.Advance(5 * time.Second) // inside the 10 s grace window: a race, not a theft
	sibling := e.refresh(t, r1.RefreshToken)
	if sibling.RefreshToken == r2.RefreshToken {
		t.Fatal("the sibling repeats its twin's refresh token")
	}
	if e.auth(t, sibling.AccessToken).SessionID != e.auth(t, r2.AccessToken).SessionID {
		t.Fatal("the sibling is in another session")
	}
	r3 := e.refresh(t, r2.RefreshToken) // both siblings stay valid
	r4 := e.refresh(t, sibling.RefreshToken)

	e.clock.Advance(6 * time.Second) // 11 s after r1's rotation: reuse
	_, err := e.svc.Refresh(t.Context(), r1.RefreshToken, meta)
	wantErr(t, err, account.ErrInvalidGrant)
	for _, rt := range []string{r3.RefreshToken, r4.RefreshToken} {
		_, err := e.svc.Refresh(t.Context(), rt, meta)
		wantErr(t, err, account.ErrInvalidGrant)
	}
	_, err = e.svc.Authenticate(t.Context(), r4.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	wantErr(t, err, account.ErrInvalidToken)
	if !strings.Contains(e.logs.String(), `"event":"refresh.reuse"`) {
		t.Fatal("no refresh.reuse event")
	}
	e.login(t, "alice@example.com") // the account itself is fine
}

func TestRefreshExpiry(t *testing.T) {
	t.Parallel()
	cfg := setup{account: func(c *account.Config) {
		c.RefreshIdleTTL, c.RefreshAbsoluteTTL, c.AccessTTL = time.Hour, 150*time.Minute, 5*time.Minute
	}}
	t.Run("idle", func(t *testing.T) {
		e := newEnv(t, cfg)
		e.signup(t, "alice@example.com")
		r := e.login(t, "alice@example.com")
		e.clock.Advance(time.Hour)
		_, err := e.svc.Refresh(t.Context(), r.RefreshToken, meta)
		wantErr(t, err, account.ErrInvalidGrant)
	})
	t.Run("absolute", func(t *testing.T) {
		e := newEnv(t, cfg)
		e.signup(t, "alice@example.com")
		r := e.login(t, "alice@example.com")
		sid := e.auth(t, r.AccessToken).SessionID
		for range 2 { // each refresh pushes the idle expiry forward
			e.clock.Advance(50 * time.Minute)
			r = e.refresh(t, r.RefreshToken)
		}
		e.clock.Advance(40 * time.Minute) // 140 min: idle would allow 160, the absolute limit is 150
		r = e.refresh(t, r.RefreshToken)
		sess, err := e.store.Session(t.Context(), sid)
		must(t, err)
		if !sess.IdleExpiresAt.Equal(sess.ExpiresAt) || !sess.ExpiresAt.Equal(epoch.Add(150*time.Minute)) {
			t.Fatalf("idle expiry %v pushed past the absolute %v", sess.IdleExpiresAt, sess.ExpiresAt)
		}
		e.clock.Advance(10 * time.Minute)
		_, err = e.svc.Refresh(t.Context(), r.RefreshToken, meta)
		wantErr(t, err, account.ErrInvalidGrant)
	})
}

func TestRefreshRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.signup(t, "alice@example.com")
	r := e.login(t, "alice@example.com")
	unknown, _ := token.NewRefreshToken()
	tests := []struct {
		name, token string
	}{
		{"garbage", "not-a-token"},
		{"empty", ""},
		{"unknown", unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Refresh(t.Context(), tt.token, meta)
			wantErr(t, err, account.ErrInvalidGrant)
		})
	}
	t.Run("disabled account", func(t *testing.T) {
		_, err := e.store.UpdateUser(t.Context(), id, func(u signet.User) (signet.UserUpdate, error) {
			u.Disabled = true // directly, without the revocation SetDisabled writes
			return signet.UserUpdate{User: u}, nil
		})
		must(t, err)
		_, err = e.svc.Refresh(t.Context(), r.RefreshToken, meta)
		wantErr(t, err, account.ErrInvalidGrant)
	})
}
