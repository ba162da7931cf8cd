package keys

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// maxUpdateAttempts bounds how often an update starts again because another
// process changed the keys between the making of new keys and their use.
const maxUpdateAttempts = 4

// errNeedKeys stops an UpdateKeys transaction whose plan needs more new keys
// than are ready; they are made outside the transaction and the plan runs
// again.
var errNeedKeys = errors.New("keys: new keys needed")

// Ensure makes the stored keys complete and loads them: for every algorithm
// in use a current and a next key (made if missing), keys of algorithms no
// longer in use retired, expired retired keys deleted, old sealings renewed,
// and a rotation made if the schedule is overdue. Call it at startup; it is
// safe to call from several instances at once.
func (m *Manager) Ensure(ctx context.Context) error { return m.update(ctx, nil) }

// Rotate rotates the keys of algs (every algorithm in use when none is
// given) now, whatever the schedule: each current key retires, each next key
// becomes current, and a new next key is made, in one transaction. It is what
// `signet keys rotate` runs. It returns an error wrapping ErrConfig for an
// algorithm that is not in use.
func (m *Manager) Rotate(ctx context.Context, algs ...jose.Algorithm) error {
	for _, a := range algs {
		if !m.inUse(a) {
			return fmt.Errorf("%w: algorithm %s is not in use", ErrConfig, a)
		}
	}
	if len(algs) == 0 {
		algs = m.algs
	}
	return m.update(ctx, algs)
}

func (m *Manager) inUse(a jose.Algorithm) bool {
	for _, x := range m.algs {
		if x == a {
			return true
		}
	}
	return false
}

// update applies the plan for force in one UpdateKeys transaction, making
// the new keys it needs beforehand, then logs its events and installs the
// keys as stored.
func (m *Manager) update(ctx context.Context, force []jose.Algorithm) error {
	pool := &keyPool{m: m}
	for range maxUpdateAttempts {
		var events []keyEvent
		stored, err := m.store.UpdateKeys(ctx, func(keys []signet.SigningKey) (signet.KeyChange, error) {
			pool.rewind()
			change, ev, err := m.plan(keys, signet.Truncate(m.cfg.Now()), force, pool)
			if err == nil && pool.short() {
				err = errNeedKeys
			}
			events = ev
			return change, err
		})
		if errors.Is(err, errNeedKeys) {
			if err := pool.fill(); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("keys: updating signing keys: %w", err)
		}
		m.log(ctx, events)
		return m.install(stored)
	}
	return fmt.Errorf("keys: the signing keys kept changing during the update; try again")
}

func (m *Manager) log(ctx context.Context, events []keyEvent) {
	for _, e := range events {
		m.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, e.msg, append([]slog.Attr{slog.String("event", e.name)}, e.attrs...)...)
	}
}

// keyPool holds new keys made outside a transaction for the plans inside.
type keyPool struct {
	m       *Manager
	made    map[jose.Algorithm][]signet.SigningKey
	used    map[jose.Algorithm]int
	missing map[jose.Algorithm]int
}

// rewind makes every key available again, for the next run of a plan.
func (p *keyPool) rewind() { p.used, p.missing = map[jose.Algorithm]int{}, map[jose.Algorithm]int{} }

func (p *keyPool) short() bool { return len(p.missing) > 0 }

// take returns a new next key of alg created at now, or a placeholder when
// none is ready (the plan is then run again once fill has made it).
func (p *keyPool) take(alg jose.Algorithm, now time.Time) signet.SigningKey {
	i := p.used[alg]
	p.used[alg]++
	if i >= len(p.made[alg]) {
		p.missing[alg]++
		return signet.SigningKey{KID: "pending", Algorithm: string(alg), State: signet.KeyNext}
	}
	k := p.made[alg][i]
	k.CreatedAt = now
	return k
}

// fill makes the keys the last plan lacked.
func (p *keyPool) fill() error {
	if p.made == nil {
		p.made = map[jose.Algorithm][]signet.SigningKey{}
	}
	for alg, n := range p.missing {
		for range n {
			k, err := p.m.newKey(alg)
			if err != nil {
				return err
			}
			p.made[alg] = append(p.made[alg], k)
		}
	}
	return nil
}

// newKey generates a key of alg and seals its private part. The kid is
// random, not the key's thumbprint: a thumbprint of an HMAC key is a hash of
// the secret, and kids appear in every token header and log line.
func (m *Manager) newKey(alg jose.Algorithm) (signet.SigningKey, error) {
	kid := newKID(alg)
	key, err := jose.GenerateKey(alg, kid)
	if err != nil {
		return signet.SigningKey{}, fmt.Errorf("keys: generating a %s key: %w", alg, err)
	}
	priv, err := key.MarshalJSON()
	if err != nil {
		return signet.SigningKey{}, err
	}
	masterID, sealed, err := m.ring.Seal(kid, priv)
	clear(priv)
	if err != nil {
		return signet.SigningKey{}, err
	}
	k := signet.SigningKey{KID: kid, Algorithm: string(alg), State: signet.KeyNext,
		EncryptedPrivate: sealed, MasterKeyID: masterID}
	if pub := key.Public(); pub != nil {
		if k.PublicJWK, err = pub.MarshalJSON(); err != nil {
			return signet.SigningKey{}, err
		}
	}
	return k, nil
}

// newKID returns "<alg>-<96 random bits>", e.g. "es256-3q2-7wEjRk9sUnXb".
func newKID(alg jose.Algorithm) string {
	b := make([]byte, 12)
	rand.Read(b)
	return strings.ToLower(string(alg)) + "-" + base64.RawURLEncoding.EncodeToString(b)
}
