package keys

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// plan decides one change of the stored keys. It runs inside
// KeyStore.UpdateKeys, under the store's write lock, so it does no slow
// work: new keys come ready-made from a keyPool.
type plan struct {
	m      *Manager
	now    time.Time
	pool   *keyPool
	puts   []signet.SigningKey
	dels   []string
	events []keyEvent
}

// keyEvent is one security event to log once the change is committed.
type keyEvent struct {
	name, msg string
	attrs     []slog.Attr
}

// plan returns the change that brings keys to the wanted state at now: every
// algorithm in use has a current and a next key; the algorithms in force,
// and those the schedule says are due, are rotated; keys of algorithms no
// longer in use are retired; retired keys whose time is over are deleted;
// keys sealed under an older master key are sealed again under the current
// one.
func (m *Manager) plan(keys []signet.SigningKey, now time.Time, force []jose.Algorithm, pool *keyPool) (signet.KeyChange, []keyEvent, error) {
	p := &plan{m: m, now: now, pool: pool}
	for _, alg := range m.algs {
		p.algorithm(keys, alg, slices.Contains(force, alg))
	}
	for _, k := range keys {
		p.housekeep(k)
	}
	if err := p.reseal(keys); err != nil {
		return signet.KeyChange{}, nil, err
	}
	return signet.KeyChange{Put: p.puts, Delete: p.dels}, p.events, nil
}

// algorithm rotates alg when forced, due or without a current key, and
// makes its next key when it has none.
func (p *plan) algorithm(keys []signet.SigningKey, alg jose.Algorithm, force bool) {
	cur, next := find(keys, alg)
	if cur == nil || force || p.m.due(cur, next, p.now) {
		var k signet.SigningKey
		if next != nil {
			k, next = *next, nil
		} else {
			k = p.pool.take(alg, p.now)
		}
		k.State, k.ActivatedAt = signet.KeyCurrent, p.now
		p.put(k)
		if cur == nil {
			p.event("key.activated", "signing key activated", k)
		} else {
			p.put(p.retire(*cur))
			p.event("key.rotated", "signing key rotated", k, slog.String("retired_kid", cur.KID))
		}
	}
	if next == nil {
		k := p.pool.take(alg, p.now)
		p.put(k)
		p.event("key.created", "signing key created and published", k, slog.String("state", string(k.State)))
	}
}

// housekeep retires the keys of algorithms no longer in use and deletes
// retired keys whose tokens have all expired. A next key of an algorithm no
// longer in use never signed anything and goes at once.
func (p *plan) housekeep(k signet.SigningKey) {
	inUse := slices.Contains(p.m.algs, jose.Algorithm(k.Algorithm))
	switch {
	case !live(k, p.now) || (!inUse && k.State == signet.KeyNext):
		p.dels = append(p.dels, k.KID)
		p.event("key.deleted", "signing key deleted", k)
	case !inUse && k.State == signet.KeyCurrent:
		p.put(p.retire(k))
		p.event("key.retired", "signing key retired: its algorithm is no longer in use", k)
	}
}

// retire returns k retired at now, published until every token it signed
// has expired: another instance may go on signing with it until its next
// reload (ReloadEvery), and that token lives TokenLifetime plus the
// verifiers' Leeway.
func (p *plan) retire(k signet.SigningKey) signet.SigningKey {
	k.State, k.RetiredAt = signet.KeyRetired, p.now
	k.DeleteAfter = p.now.Add(p.m.cfg.ReloadEvery + p.m.cfg.TokenLifetime + p.m.cfg.Leeway)
	return k
}

// reseal seals again, under the current master key, every kept key sealed
// under an older one (security rule 14: the master key can be rotated).
func (p *plan) reseal(keys []signet.SigningKey) error {
	for _, k := range keys {
		if k.MasterKeyID == p.m.ring.CurrentID() || slices.Contains(p.dels, k.KID) {
			continue
		}
		if i := slices.IndexFunc(p.puts, func(o signet.SigningKey) bool { return o.KID == k.KID }); i >= 0 {
			k, p.puts = p.puts[i], slices.Delete(p.puts, i, i+1)
		}
		plain, err := p.m.ring.Open(k.MasterKeyID, k.KID, k.EncryptedPrivate)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrBadStoredKey, k.KID, err)
		}
		k.MasterKeyID, k.EncryptedPrivate, err = p.m.ring.Seal(k.KID, plain)
		clear(plain)
		if err != nil {
			return err
		}
		p.put(k)
		p.event("key.resealed", "signing key sealed under the current master key", k, slog.String("master_key_id", k.MasterKeyID))
	}
	return nil
}

// put replaces the pending change of k's kid, if any, with k.
func (p *plan) put(k signet.SigningKey) {
	p.puts = slices.DeleteFunc(p.puts, func(o signet.SigningKey) bool { return o.KID == k.KID })
	p.puts = append(p.puts, k)
}

func (p *plan) event(name, msg string, k signet.SigningKey, more ...slog.Attr) {
	attrs := append([]slog.Attr{slog.String("alg", k.Algorithm), slog.String("kid", k.KID)}, more...)
	p.events = append(p.events, keyEvent{name: name, msg: msg, attrs: attrs})
}

// due reports whether the schedule rotates the current key cur at now: it
// has signed for RotateEvery, and the next key (if any) has been published
// for at least JWKSMaxAge, so every verifier caching the JWKS knows it.
func (m *Manager) due(cur, next *signet.SigningKey, now time.Time) bool {
	if cur == nil || m.cfg.RotateEvery <= 0 || now.Before(cur.ActivatedAt.Add(m.cfg.RotateEvery)) {
		return false
	}
	return next == nil || !now.Before(next.CreatedAt.Add(m.cfg.JWKSMaxAge))
}
