package keys

import (
	"context"
	"log/slog"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// reloadTimeout bounds a reload caused by an unknown kid, which runs inside a
// verification that has no context of its own.
const reloadTimeout = 5 * time.Second

// Run keeps the Manager current until ctx ends: every ReloadEvery it reloads
// the keys (picking up rotations by the CLI or another instance) and, when the
// schedule says so, rotates, deletes keys whose retirement is over and makes
// missing keys. When the store is a signet.KeyNotifier (PostgreSQL), it also
// reloads as soon as any process changed the keys, so every instance signs
// with the current key and publishes the same key set within moments.
// Errors are logged and retried at the next tick. It returns ctx's error.
func (m *Manager) Run(ctx context.Context) error {
	t := time.NewTicker(m.cfg.ReloadEvery)
	defer t.Stop()
	wake := m.subscribe(ctx)
	for {
		var err error
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if wake == nil { // the first subscription failed: try again
				wake = m.subscribe(ctx)
			}
			err = m.Tick(ctx)
		case _, ok := <-wake:
			if !ok {
				wake = nil // the subscription ended: the ticker goes on
				continue
			}
			err = m.Reload(ctx)
		}
		if err != nil && ctx.Err() == nil {
			m.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "signing key maintenance failed", slog.String("error", err.Error()))
		}
	}
}

// subscribe returns the store's key-change notices, or nil (never ready)
// when the store has none or the subscription fails: then Run polls, and
// tries again at its next tick.
func (m *Manager) subscribe(ctx context.Context) <-chan struct{} {
	n, ok := m.store.(signet.KeyNotifier)
	if !ok {
		return nil
	}
	wake, err := n.SubscribeKeys(ctx)
	if err != nil {
		m.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "cannot follow signing key changes; polling only",
			slog.String("error", err.Error()))
		return nil
	}
	return wake
}

// Tick is one step of Run: reload, then maintain the keys if the schedule
// asks for it. Tests call it instead of waiting for the ticker.
func (m *Manager) Tick(ctx context.Context) error {
	if err := m.Reload(ctx); err != nil {
		return err
	}
	if !m.needsMaintenance(m.cfg.Now()) {
		return nil
	}
	return m.update(ctx, nil)
}

// needsMaintenance reports whether the loaded keys call for a change: a
// missing current or next key, a rotation due, or a retired key to delete.
func (m *Manager) needsMaintenance(now time.Time) bool {
	s := m.snap.Load()
	if s == nil {
		return true
	}
	for _, alg := range m.algs {
		cur, next := find(s.keys, alg)
		if cur == nil || next == nil || m.due(cur, next, now) {
			return true
		}
	}
	for _, k := range s.keys {
		if !live(k, now) {
			return true
		}
	}
	return false
}

// RefreshForKeyID reloads the keys when a token names a kid the access set
// lacks (another instance may have rotated), at most once per
// UnknownKIDReload, and returns the new set, or nil when it did not reload.
func (a accessSource) RefreshForKeyID(kid string) *jose.KeySet {
	m := a.m
	now := m.cfg.Now()
	m.kidMu.Lock()
	if !m.lastKIDAt.IsZero() && now.Sub(m.lastKIDAt) < m.cfg.UnknownKIDReload {
		m.kidMu.Unlock()
		return nil
	}
	m.lastKIDAt = now
	m.kidMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), reloadTimeout)
	defer cancel()
	if err := m.Reload(ctx); err != nil {
		m.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "signing key reload failed", slog.String("error", err.Error()))
		return nil
	}
	return a.CurrentKeys()
}
