package account_test

import (
	"slices"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
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

// TestSubjectRevocationWithinOneSecond: "iat" has one-second resolution, so a
// subject revocation must refuse the tokens issued earlier in its own second
// and accept those issued later in it, when the user logs in again at once.
func TestSubjectRevocationWithinOneSecond(t *testing.T) {
	t.Parallel()
	revokes := []struct {
		name   string
		revoke func(e *env, id string, c *jose.Claims) error
	}{
		{"admin revoke", func(e *env, id string, _ *jose.Claims) error { return e.svc.RevokeUser(t.Context(), id) }},
		{"logout everywhere", func(e *env, _ string, c *jose.Claims) error { return e.svc.Logout(t.Context(), c, true) }},
		{"password reset", func(e *env, id string, _ *jose.Claims) error {
			return e.svc.SetPassword(t.Context(), id, otherPassword)
		}},
		{"disable and enable", func(e *env, id string, _ *jose.Claims) error {
			if err := e.svc.SetDisabled(t.Context(), id, true); err != nil {
				return err
			}
			return e.svc.SetDisabled(t.Context(), id, false)
		}},
	}
	for _, tt := range revokes {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			id := e.signup(t, "alice@example.com")
			e.clock.Advance(200 * time.Millisecond) // all of this happens within one second
			before := e.login(t, "alice@example.com")
			e.clock.Advance(300 * time.Millisecond)
			must(t, tt.revoke(e, id, e.auth(t, before.AccessToken)))
			_, err := e.svc.Authenticate(t.Context(), before.AccessToken)
			wantErr(t, err, account.ErrRevoked)

			e.clock.Advance(300 * time.Millisecond)
			pw := goodPassword
			if tt.name == "password reset" {
				pw = otherPassword
			}
			after, err := e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: pw}, meta)
			must(t, err)
			if _, err := e.svc.Authenticate(t.Context(), after.AccessToken); err != nil {
				t.Fatalf("a token issued after the revocation, in its second: %v", err)
			}
			// A second instance, which learns of the revocation from the store
			// alone, judges both tokens alike.
			second, err := account.NewService(t.Context(), e.store, e.keys, e.hasher, e.cfg)
			must(t, err)
			_, err = second.Authenticate(t.Context(), before.AccessToken)
			wantErr(t, err, account.ErrRevoked)
			if _, err := second.Authenticate(t.Context(), after.AccessToken); err != nil {
				t.Fatalf("second instance, token issued after the revocation: %v", err)
			}
		})
	}
}
