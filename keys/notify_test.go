package keys_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/keys"
)

// notifying is a store that announces key changes when the test says so,
// as PostgreSQL's LISTEN/NOTIFY does when another instance commits one.
type notifying struct {
	signet.KeyStore
	wake chan struct{}
}

func (n notifying) SubscribeKeys(context.Context) (<-chan struct{}, error) { return n.wake, nil }

// TestRunReloadsOnNotice: with a store that notifies key changes, Run
// reloads as soon as a notice comes, long before its ReloadEvery: the
// instance signs with the key another instance just made current and
// publishes the same JWKS.
func TestRunReloadsOnNotice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.ensured(t, keys.ManagerConfig{})
	wake := make(chan struct{}, 1)
	server, err := keys.NewManager(notifying{e.store, wake}, e.ring, keys.ManagerConfig{ReloadEvery: time.Hour,
		Now: e.clock.Now, Logger: slog.New(slog.NewJSONHandler(e.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := server.Ensure(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- server.Run(ctx) }()
	if err := other.Rotate(t.Context()); err != nil {
		t.Fatal(err)
	}
	wake <- struct{}{}
	want, _ := other.JWKS()
	deadline := time.Now().Add(5 * time.Second)
	for got, _ := server.JWKS(); !bytes.Equal(got, want); got, _ = server.JWKS() {
		if time.Now().After(deadline) {
			t.Fatalf("JWKS after the notice:\n got  %s\n want %s", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	mine, _ := server.AccessSigner()
	theirs, _ := other.AccessSigner()
	if mine.Key().KeyID() != theirs.Key().KeyID() {
		t.Fatalf("signing with %s after the notice, want %s", mine.Key().KeyID(), theirs.Key().KeyID())
	}
	close(wake) // the subscription ends: Run goes on polling
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run = %v", err)
	}
}
