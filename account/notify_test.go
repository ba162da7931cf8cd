package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
)

// notifying is a store that announces new revocation entries when the test
// says so, as PostgreSQL's LISTEN/NOTIFY does when another instance commits.
type notifying struct {
	signet.Store
	wake chan struct{}
}

func (n notifying) SubscribeRevocations(context.Context) (<-chan struct{}, error) { return n.wake, nil }

// TestRunFollowsNotices: with a store that notifies, Run reads the entries
// another instance committed as soon as the notice comes, long before its
// poll (an hour here).
func TestRunFollowsNotices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	r := e.login(t, "alice@example.com")
	cfg := e.cfg
	cfg.PollEvery = time.Hour
	wake := make(chan struct{}, 1)
	other, err := account.NewService(t.Context(), notifying{e.store, wake}, e.keys, e.hasher, cfg)
	must(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- other.Run(ctx) }()
	must(t, e.svc.Logout(t.Context(), e.auth(t, r.AccessToken), false))
	if _, err := other.Authenticate(t.Context(), r.AccessToken); err != nil {
		t.Fatalf("before the notice: %v (the poll is an hour away)", err)
	}
	wake <- struct{}{}
	waitFor(t, "the notice to bring the entry", func() bool {
		_, err := other.Authenticate(t.Context(), r.AccessToken)
		return err != nil
	})
	_, err = other.Authenticate(t.Context(), r.AccessToken)
	wantErr(t, err, account.ErrRevoked)
	close(wake)
	cancel()
	wantErr(t, <-done, context.Canceled)
}
