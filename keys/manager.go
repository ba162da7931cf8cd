package keys

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// Manager owns signet's signing keys: it generates them, seals their private
// parts with a Keyring, keeps them in a signet.KeyStore, rotates them, and
// serves what signing and verifying need from memory.
//
// For each algorithm in use (the access-token algorithm and
// IDTokenAlgorithm) there is one current key, which signs, and one next key,
// published in the JWKS before it signs so that verifiers caching the JWKS
// already know it. A rotation retires the current key, promotes the next one
// and makes a new next key, in one KeyStore.UpdateKeys transaction, so
// several instances agree. A retired key stays published until every token it
// signed has expired (ReloadEvery, the longest another instance may still
// sign with it, plus TokenLifetime plus Leeway after it retired), then it is
// deleted.
//
// A Manager is safe for concurrent use. Its in-memory view is an immutable
// snapshot replaced atomically by Ensure, Rotate and Reload, so signing and
// verifying never wait for the store.
type Manager struct {
	store signet.KeyStore
	ring  *Keyring
	cfg   ManagerConfig
	algs  []jose.Algorithm // in use: the access algorithm, then IDTokenAlgorithm

	snap atomic.Pointer[snapshot]

	reloadMu sync.Mutex           // serialises reading the store and installing snapshots
	opened   map[string]*jose.Key // private keys opened so far, by kid; guarded by reloadMu

	kidMu     sync.Mutex // guards lastKIDAt
	lastKIDAt time.Time  // when an unknown kid last caused a reload
}

// NewManager returns a Manager over store whose private keys are sealed with
// ring. It reads nothing yet: call Ensure at startup (it creates what is
// missing and loads the keys), then Run. It returns an error wrapping
// ErrConfig for an inconsistent configuration.
func NewManager(store signet.KeyStore, ring *Keyring, c ManagerConfig) (*Manager, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	algs := []jose.Algorithm{c.AccessAlgorithm}
	if c.AccessAlgorithm != IDTokenAlgorithm {
		algs = append(algs, IDTokenAlgorithm)
	}
	return &Manager{store: store, ring: ring, cfg: c, algs: algs, opened: map[string]*jose.Key{}}, nil
}

// AccessAlgorithm returns the algorithm that signs access tokens.
func (m *Manager) AccessAlgorithm() jose.Algorithm { return m.cfg.AccessAlgorithm }

// Algorithms returns the algorithms in use, the access algorithm first; each
// has a current key after Ensure.
func (m *Manager) Algorithms() []jose.Algorithm { return append([]jose.Algorithm(nil), m.algs...) }

// TokenLifetime returns the longest token lifetime the retirement of keys
// allows for; no token may be issued for longer.
func (m *Manager) TokenLifetime() time.Duration { return m.cfg.TokenLifetime }

// Signer returns a Signer with the current key for alg and the default
// "typ" (JWT), as ID tokens use. It returns an error wrapping ErrNoSigningKey
// if alg has no current key.
func (m *Manager) Signer(alg jose.Algorithm) (*jose.Signer, error) {
	p, err := m.signers(alg)
	return p.jwt, err
}

// AccessSigner returns a Signer with the current key of the access algorithm
// and "typ": "at+jwt" (RFC 9068 section 2.1).
func (m *Manager) AccessSigner() (*jose.Signer, error) {
	p, err := m.signers(m.cfg.AccessAlgorithm)
	return p.at, err
}

func (m *Manager) signers(alg jose.Algorithm) (signerPair, error) {
	if s := m.snap.Load(); s != nil {
		if p, ok := s.signers[alg]; ok {
			return p, nil
		}
	}
	return signerPair{}, errNoKey(alg)
}

// AccessKeys returns the key source for verifying access tokens: the
// current, next and still-published retired keys of the access algorithm
// (HMAC secrets in HS* mode, public keys otherwise; never both). It follows
// the Manager's reloads, and on a token naming an unknown kid it reloads at
// most once per UnknownKIDReload.
func (m *Manager) AccessKeys() jose.KeyRefresher { return accessSource{m} }
