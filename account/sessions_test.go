package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/password"
)

func TestLogoutRevokesAccessTokenAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	a, b := e.login(t, "alice@example.com"), e.login(t, "alice@example.com")
	must(t, e.svc.Logout(t.Context(), e.auth(t, a.AccessToken), false))
	_, err := e.svc.Authenticate(t.Context(), a.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	wantErr(t, err, account.ErrInvalidToken)
	_, err = e.svc.Refresh(t.Context(), a.RefreshToken, meta)
	wantErr(t, err, account.ErrInvalidGrant)
	e.auth(t, b.AccessToken) // the other session lives on
	e.refresh(t, b.RefreshToken)
}

func TestLogoutAll(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	bob := e.signup(t, "bob@example.com")
	a, b := e.login(t, "alice@example.com"), e.login(t, "alice@example.com")
	other := e.login(t, "bob@example.com")
	must(t, e.svc.Logout(t.Context(), e.auth(t, a.AccessToken), true))
	for _, r := range []account.TokenResponse{a, b} {
		_, err := e.svc.Authenticate(t.Context(), r.AccessToken)
		wantErr(t, err, account.ErrRevoked)
		_, err = e.svc.Refresh(t.Context(), r.RefreshToken, meta)
		wantErr(t, err, account.ErrInvalidGrant)
	}
	if e.auth(t, other.AccessToken).Subject != bob {
		t.Fatal("another user's session was touched")
	}
	e.clock.Advance(time.Second) // the cut-off covers the whole second of the logout
	e.auth(t, e.login(t, "alice@example.com").AccessToken)
}

func TestRevokeSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	e.signup(t, "bob@example.com")
	a, b := e.login(t, "alice@example.com"), e.login(t, "alice@example.com")
	bobs := e.auth(t, e.login(t, "bob@example.com").AccessToken)
	ca, cb := e.auth(t, a.AccessToken), e.auth(t, b.AccessToken)
	tests := []struct {
		name string
		id   string
		err  error
	}{
		{"unknown session", "no-such-session", signet.ErrNotFound},
		{"another user's session", bobs.SessionID, signet.ErrNotFound},
		{"empty id", "", signet.ErrNotFound},
		{"own other session", cb.SessionID, nil},
		{"again", cb.SessionID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.RevokeSession(t.Context(), ca, tt.id)
			if tt.err != nil {
				wantErr(t, err, tt.err)
				return
			}
			must(t, err)
		})
	}
	_, err := e.svc.Authenticate(t.Context(), b.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	e.auth(t, a.AccessToken)
	list, err := e.svc.Sessions(t.Context(), ca)
	must(t, err)
	if len(list) != 1 || list[0].ID != ca.SessionID {
		t.Fatalf("sessions after revoking one: %+v", list)
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	keep, other := e.login(t, "alice@example.com"), e.login(t, "alice@example.com")
	c := e.auth(t, keep.AccessToken)
	tests := []struct {
		name, current, next string
		errs                []error
	}{
		{"wrong current password", otherPassword, "brand new passphrase here", []error{account.ErrInvalidCredentials}},
		{"weak new password", goodPassword, "12345678", []error{signet.ErrInvalid, password.ErrCommon}},
		{"same password", goodPassword, goodPassword, []error{signet.ErrInvalid}},
		{"changed", goodPassword, otherPassword, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.ChangePassword(t.Context(), c, tt.current, tt.next)
			for _, want := range tt.errs {
				wantErr(t, err, want)
			}
			if tt.errs == nil {
				must(t, err)
			}
		})
	}
	_, err := e.svc.Authenticate(t.Context(), other.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	_, err = e.svc.Refresh(t.Context(), other.RefreshToken, meta)
	wantErr(t, err, account.ErrInvalidGrant)
	e.auth(t, keep.AccessToken) // the session the change came from stays
	e.refresh(t, keep.RefreshToken)
	_, err = e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: goodPassword}, meta)
	wantErr(t, err, account.ErrInvalidCredentials)
	_, err = e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: otherPassword}, meta)
	must(t, err)
	if !strings.Contains(e.logs.String(), `"event":"password.changed"`) {
		t.Fatal("no password.changed event")
	}
}
