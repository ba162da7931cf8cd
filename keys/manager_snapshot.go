package keys

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// snapshot is the Manager's in-memory view of the keys at one moment. It is
// never modified once installed.
type snapshot struct {
	keys    []signet.SigningKey
	signers map[jose.Algorithm]signerPair // current key of each algorithm in use
	access  *jose.KeySet                  // keys that verify access tokens
	jwks    []byte
	// jwksUntil is when a retired key leaves the JWKS, and the document
	// must be rebuilt; zero if none will.
	jwksUntil time.Time
}

// signerPair holds the two Signers of one key: plain JWT and at+jwt.
type signerPair struct{ jwt, at *jose.Signer }

// Reload reads every key from the store and installs a new snapshot, picking
// up rotations made by another process (the CLI, another instance).
func (m *Manager) Reload(ctx context.Context) error {
	m.reloadMu.Lock()
	defer m.reloadMu.Unlock()
	keys, err := m.store.ListKeys(ctx)
	if err != nil {
		return fmt.Errorf("keys: listing signing keys: %w", err)
	}
	return m.installLocked(keys)
}

// install installs keys as stored after a change this Manager made.
func (m *Manager) install(keys []signet.SigningKey) error {
	m.reloadMu.Lock()
	defer m.reloadMu.Unlock()
	return m.installLocked(keys)
}

func (m *Manager) installLocked(keys []signet.SigningKey) error {
	now := m.cfg.Now()
	s := &snapshot{keys: keys, signers: map[jose.Algorithm]signerPair{}}
	for _, alg := range m.algs {
		if cur, _ := find(keys, alg); cur != nil {
			p, err := m.signerPairLocked(*cur)
			if err != nil {
				return err
			}
			s.signers[alg] = p
		}
	}
	var err error
	if s.access, err = m.accessSetLocked(keys, now); err != nil {
		return err
	}
	s.jwks, s.jwksUntil = buildJWKS(keys, now)
	m.pruneOpenedLocked(keys)
	m.snap.Store(s)
	return nil
}

func (m *Manager) signerPairLocked(k signet.SigningKey) (signerPair, error) {
	key, err := m.openLocked(k)
	if err != nil {
		return signerPair{}, err
	}
	jwt, err := jose.NewSigner(key)
	if err != nil {
		return signerPair{}, fmt.Errorf("%w: %s: %v", ErrBadStoredKey, k.KID, err)
	}
	at, err := jose.NewSigner(key, jose.WithType(jose.TypeAccessToken))
	return signerPair{jwt: jwt, at: at}, err
}

// accessSetLocked builds the verification set for access tokens: live keys
// of the access algorithm, and retired keys of an algorithm no longer in
// use (the access algorithm before a configuration change), as long as they
// are of the same kind, secret or public.
func (m *Manager) accessSetLocked(keys []signet.SigningKey, now time.Time) (*jose.KeySet, error) {
	access := string(m.cfg.AccessAlgorithm)
	var set []*jose.Key
	for _, k := range keys {
		former := k.State == signet.KeyRetired && !slices.Contains(m.algs, jose.Algorithm(k.Algorithm))
		if !live(k, now) || (k.Algorithm != access && !former) || symmetric(k.Algorithm) != symmetric(access) {
			continue
		}
		v, err := m.verificationKeyLocked(k)
		if err != nil {
			return nil, err
		}
		set = append(set, v)
	}
	return jose.NewKeySet(set...)
}

// verificationKeyLocked returns the key that verifies k's tokens: its
// published public key, or its secret for HMAC.
func (m *Manager) verificationKeyLocked(k signet.SigningKey) (*jose.Key, error) {
	if symmetric(k.Algorithm) {
		return m.openLocked(k)
	}
	pub, err := jose.ParseJWK(k.PublicJWK)
	if err != nil || pub.KeyID() != k.KID || string(pub.Algorithm()) != k.Algorithm || pub.IsPrivate() {
		return nil, fmt.Errorf("%w: %s: public JWK does not match the key", ErrBadStoredKey, k.KID)
	}
	return pub, nil
}

// openLocked returns k's private key, opening its sealed form the first time.
func (m *Manager) openLocked(k signet.SigningKey) (*jose.Key, error) {
	if key, ok := m.opened[k.KID]; ok {
		return key, nil
	}
	key, err := m.open(k)
	if err != nil {
		return nil, err
	}
	m.opened[k.KID] = key
	return key, nil
}

// open decrypts and parses k's private key, and checks that it is the key
// the row says: same kid, same algorithm.
func (m *Manager) open(k signet.SigningKey) (*jose.Key, error) {
	plain, err := m.ring.Open(k.MasterKeyID, k.KID, k.EncryptedPrivate)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadStoredKey, k.KID, err)
	}
	defer clear(plain)
	key, err := jose.ParseJWK(plain)
	if err != nil || key.KeyID() != k.KID || string(key.Algorithm()) != k.Algorithm || !key.IsPrivate() {
		return nil, fmt.Errorf("%w: %s: sealed key does not match its kid and algorithm", ErrBadStoredKey, k.KID)
	}
	return key, nil
}

func (m *Manager) pruneOpenedLocked(keys []signet.SigningKey) {
	for kid := range m.opened {
		if !slices.ContainsFunc(keys, func(k signet.SigningKey) bool { return k.KID == kid }) {
			delete(m.opened, kid)
		}
	}
}

// live reports whether k may still verify tokens at now: not retired, or
// retired less than its DeleteAfter ago.
func live(k signet.SigningKey, now time.Time) bool {
	return k.State != signet.KeyRetired || now.Before(k.DeleteAfter)
}

// find returns the current and next keys of alg, if any.
func find(keys []signet.SigningKey, alg jose.Algorithm) (cur, next *signet.SigningKey) {
	for i := range keys {
		if keys[i].Algorithm != string(alg) {
			continue
		}
		switch keys[i].State {
		case signet.KeyCurrent:
			cur = &keys[i]
		case signet.KeyNext:
			next = &keys[i]
		}
	}
	return cur, next
}

func errNoKey(alg jose.Algorithm) error {
	return fmt.Errorf("%w for %s", ErrNoSigningKey, alg)
}
