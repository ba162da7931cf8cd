package keys

import (
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// minJWKSMaxAge is the shortest cache lifetime JWKS announces: a change that
// is due now is made within one reload, and an announced age of zero would
// make every verifier fetch on every token.
const minJWKSMaxAge = time.Minute

// JWKS returns the published key set (RFC 7517 section 5): the public keys
// of every next, current and still-published retired key, of every
// algorithm. HMAC secrets are never in it. maxAge is how long the document
// may be cached: the time until it next changes on schedule (a rotation, a
// retired key leaving), at least a minute and at most JWKSMaxAge. Before the
// Manager is loaded the document holds no keys.
func (m *Manager) JWKS() (doc []byte, maxAge time.Duration) {
	now := m.cfg.Now()
	s := m.snap.Load()
	if s == nil {
		return []byte(`{"keys":[]}`), minJWKSMaxAge
	}
	if !s.jwksUntil.IsZero() && !now.Before(s.jwksUntil) {
		s = m.refreshJWKS(s, now)
	}
	return s.jwks, m.maxAge(s, now)
}

// refreshJWKS rebuilds the document of s at now, without reading the store,
// and installs the result unless another snapshot replaced s meanwhile.
func (m *Manager) refreshJWKS(s *snapshot, now time.Time) *snapshot {
	n := *s
	n.jwks, n.jwksUntil = buildJWKS(s.keys, now)
	if m.snap.CompareAndSwap(s, &n) {
		return &n
	}
	return m.snap.Load()
}

// maxAge is the time until the next scheduled change of the JWKS: a retired
// key leaving it, or a rotation publishing a new next key.
func (m *Manager) maxAge(s *snapshot, now time.Time) time.Duration {
	age := m.cfg.JWKSMaxAge
	if !s.jwksUntil.IsZero() {
		age = min(age, s.jwksUntil.Sub(now))
	}
	if m.cfg.RotateEvery > 0 {
		for _, alg := range m.algs {
			if cur, _ := find(s.keys, alg); cur != nil {
				age = min(age, cur.ActivatedAt.Add(m.cfg.RotateEvery).Sub(now))
			}
		}
	}
	age = max(age, min(minJWKSMaxAge, m.cfg.JWKSMaxAge))
	return age.Truncate(time.Second)
}

// buildJWKS returns the JWKS document of the keys published at now and the
// time the first of them leaves it (zero if none will).
func buildJWKS(keys []signet.SigningKey, now time.Time) ([]byte, time.Time) {
	doc := []byte(`{"keys":[`)
	var until time.Time
	n := 0
	for _, k := range keys {
		if !k.Published(now) || symmetric(k.Algorithm) {
			continue
		}
		pub := publicJWK(k)
		if pub == nil {
			continue
		}
		if n > 0 {
			doc = append(doc, ',')
		}
		doc = append(doc, pub...)
		n++
		if k.State == signet.KeyRetired && (until.IsZero() || k.DeleteAfter.Before(until)) {
			until = k.DeleteAfter
		}
	}
	return append(doc, "]}"...), until
}

// publicJWK returns k's public JWK as parsed and written again by jose, so
// that whatever the stored bytes hold, only public members are published; nil
// if they do not parse to a public key of k's kid and algorithm.
func publicJWK(k signet.SigningKey) []byte {
	key, err := jose.ParseJWK(k.PublicJWK)
	if err != nil || key.KeyID() != k.KID || string(key.Algorithm()) != k.Algorithm || key.Public() == nil {
		return nil
	}
	b, err := key.Public().MarshalJSON()
	if err != nil {
		return nil
	}
	return b
}

// accessSource is the jose.KeyRefresher AccessKeys returns.
type accessSource struct{ m *Manager }

// CurrentKeys returns the access-token verification keys of the current
// snapshot; an empty set before the Manager is loaded.
func (a accessSource) CurrentKeys() *jose.KeySet {
	if s := a.m.snap.Load(); s != nil {
		return s.access
	}
	return emptySet
}

var emptySet, _ = jose.NewKeySet()
