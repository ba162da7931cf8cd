package account_test

import (
	"slices"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
)

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u, err := e.svc.AddUser(t.Context(), account.NewUser{Email: "Root@Example.com", Password: goodPassword, Name: "Root", Roles: []string{"admin", "user", "admin"}})
	must(t, err)
	if u.Email != "root@example.com" || !slices.Equal(u.Roles, []string{"admin", "user"}) {
		t.Fatalf("added %+v", u)
	}
	_, err = e.svc.AddUser(t.Context(), account.NewUser{Email: "root@example.com", Password: goodPassword})
	wantErr(t, err, signet.ErrConflict)
	_, err = e.svc.AddUser(t.Context(), account.NewUser{Email: "x@example.com", Password: goodPassword, Roles: []string{"bad role"}})
	wantErr(t, err, signet.ErrInvalid)
	e.signup(t, "alice@example.com")
	for _, ref := range []string{"ROOT@example.com", u.ID} {
		got, err := e.svc.FindUser(t.Context(), ref)
		if err != nil || got.ID != u.ID {
			t.Fatalf("FindUser(%q) = %+v, %v", ref, got, err)
		}
	}
	_, err = e.svc.FindUser(t.Context(), "ghost@example.com")
	wantErr(t, err, signet.ErrNotFound)
	list, err := e.svc.ListUsers(t.Context(), "", 0)
	must(t, err)
	if len(list) != 2 || list[0].Email != "alice@example.com" || list[1].Email != "root@example.com" {
		t.Fatalf("ListUsers = %+v", list)
	}
	if page, _ := e.svc.ListUsers(t.Context(), "alice@example.com", 10); len(page) != 1 || page[0].ID != u.ID {
		t.Fatalf("second page = %+v", page)
	}
}

func TestDisableAndEnable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.signup(t, "alice@example.com")
	r := e.login(t, "alice@example.com")
	must(t, e.svc.SetDisabled(t.Context(), id, true))
	_, err := e.svc.Authenticate(t.Context(), r.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	_, err = e.svc.Refresh(t.Context(), r.RefreshToken, meta)
	wantErr(t, err, account.ErrInvalidGrant)
	_, err = e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: goodPassword}, meta)
	wantErr(t, err, account.ErrInvalidCredentials)
	must(t, e.svc.SetDisabled(t.Context(), id, true)) // again: nothing more to do
	wantErr(t, e.svc.SetDisabled(t.Context(), "no-such-user", true), signet.ErrNotFound)

	e.clock.Advance(time.Second)
	must(t, e.svc.SetDisabled(t.Context(), id, false))
	e.auth(t, e.login(t, "alice@example.com").AccessToken)
}

func TestSetRolesNarrowsAtRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{account: func(c *account.Config) {
		c.RoleScopes = map[string][]string{"user": {"openid"}, "editor": {"posts:write"}}
	}})
	u, err := e.svc.AddUser(t.Context(), account.NewUser{Email: "ed@example.com", Password: goodPassword, Roles: []string{"user", "editor"}})
	must(t, err)
	r := e.login(t, "ed@example.com")
	if r.Scope != "openid posts:write" {
		t.Fatalf("scope %q", r.Scope)
	}
	must(t, e.svc.SetRoles(t.Context(), u.ID, []string{"user", "editor", "admin"}))
	must(t, e.svc.SetRoles(t.Context(), u.ID, []string{"user"}))
	r = e.refresh(t, r.RefreshToken)
	c := e.auth(t, r.AccessToken)
	if r.Scope != "openid" || c.Scope != "openid" || !slices.Equal(c.Roles, []string{"user"}) {
		t.Fatalf("after losing editor: scope %q, claims %+v", r.Scope, c)
	}
	wantErr(t, e.svc.SetRoles(t.Context(), u.ID, []string{""}), signet.ErrInvalid)
}

func TestSetPasswordAndRevokeUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.signup(t, "alice@example.com")
	a := e.login(t, "alice@example.com")
	wantErr(t, e.svc.SetPassword(t.Context(), id, "password"), signet.ErrInvalid)
	must(t, e.svc.SetPassword(t.Context(), id, otherPassword))
	_, err := e.svc.Authenticate(t.Context(), a.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	_, err = e.svc.Refresh(t.Context(), a.RefreshToken, meta)
	wantErr(t, err, account.ErrInvalidGrant)

	e.clock.Advance(time.Second)
	b, err := e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: otherPassword}, meta)
	must(t, err)
	e.clock.Advance(time.Second)
	must(t, e.svc.RevokeUser(t.Context(), id))
	_, err = e.svc.Authenticate(t.Context(), b.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	_, err = e.svc.Refresh(t.Context(), b.RefreshToken, meta)
	wantErr(t, err, account.ErrInvalidGrant)
	wantErr(t, e.svc.RevokeUser(t.Context(), "no-such-user"), signet.ErrNotFound)
}
