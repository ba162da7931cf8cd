package account_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/sqlite"
)

// countingStore is the real SQLite store, counting the account reads Me
// makes.
type countingStore struct {
	*sqlite.Store
	reads atomic.Int64
}

func (s *countingStore) User(ctx context.Context, id string) (signet.User, error) {
	s.reads.Add(1)
	return s.Store.User(ctx, id)
}

// TestMeProfileCache: Me reads the store once for a run of calls, and still
// shows every change made before the token was issued, every change made
// through the same instance at once, and a change made through another
// instance within PollEvery.
func TestMeProfileCache(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st := &countingStore{Store: e.store}
	svc, err := account.NewService(t.Context(), st, e.keys, e.hasher, e.cfg)
	must(t, err)
	other, err := account.NewService(t.Context(), e.store, e.keys, e.hasher, e.cfg) // another instance
	must(t, err)
	id := e.signup(t, "alice@example.com")
	old, err := svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: goodPassword}, meta)
	must(t, err)
	e.clock.Advance(2 * time.Second)
	me := func(access string) account.Profile {
		t.Helper()
		c, err := svc.Authenticate(t.Context(), access)
		must(t, err)
		p, err := svc.Me(t.Context(), c)
		must(t, err)
		return p
	}
	roles := func(p account.Profile) string { return strings.Join(p.Roles, ",") }

	before := st.reads.Load()
	for range 5 {
		me(old.AccessToken)
	}
	if n := st.reads.Load() - before; n != 1 {
		t.Fatalf("five calls read the account %d times, want 1", n)
	}

	// A change through this instance shows at once.
	must(t, svc.SetRoles(t.Context(), id, []string{"user", "editor"}))
	if got := roles(me(old.AccessToken)); got != "user,editor" {
		t.Fatalf("roles after SetRoles here: %s", got)
	}

	// A change through another instance: a token issued after it sees it at
	// once, in the same second; an older token within PollEvery.
	must(t, other.SetRoles(t.Context(), id, []string{"admin"}))
	fresh, err := other.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: goodPassword}, meta)
	must(t, err)
	if got := roles(me(fresh.AccessToken)); got != "admin" {
		t.Fatalf("roles for a token issued after the change: %s", got)
	}
	must(t, other.SetRoles(t.Context(), id, []string{"auditor"}))
	e.clock.Advance(e.cfg.Defaults().PollEvery)
	if got := roles(me(old.AccessToken)); got != "auditor" {
		t.Fatalf("roles one PollEvery after a change elsewhere: %s", got)
	}
	if p := me(old.AccessToken); p.Email != "alice@example.com" || p.Sub != id {
		t.Fatalf("cached profile %+v", p)
	}
}
