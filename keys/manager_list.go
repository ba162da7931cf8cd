package keys

import (
	"context"
	"fmt"
	"time"

	"github.com/signet-dev/signet"
)

// KeyInfo describes one stored key for `signet keys list`. It holds no key
// material.
type KeyInfo struct {
	KID         string
	Algorithm   string
	State       signet.KeyState
	Published   bool // in the JWKS now
	MasterKeyID string
	CreatedAt   time.Time
	ActivatedAt time.Time // zero before the key became current
	RetiredAt   time.Time // zero before it retired
	DeleteAfter time.Time // when a retired key leaves the JWKS and the store
}

// List returns every stored key, read from the store (not the loaded view),
// ordered by algorithm, then creation.
func (m *Manager) List(ctx context.Context) ([]KeyInfo, error) {
	keys, err := m.store.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("keys: listing signing keys: %w", err)
	}
	now := m.cfg.Now()
	out := make([]KeyInfo, 0, len(keys))
	for _, k := range keys {
		out = append(out, KeyInfo{KID: k.KID, Algorithm: k.Algorithm, State: k.State,
			Published: k.Published(now), MasterKeyID: k.MasterKeyID, CreatedAt: k.CreatedAt,
			ActivatedAt: k.ActivatedAt, RetiredAt: k.RetiredAt, DeleteAfter: k.DeleteAfter})
	}
	return out, nil
}
