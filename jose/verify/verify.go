package verify

import (
	"errors"
	"fmt"
	"time"

	"github.com/signet-dev/signet/jose"
)

var (
	errRevoked = fmt.Errorf("%w: the token's session or subject was revoked", ErrRevoked)
	errStale   = fmt.Errorf("%w: the revocation feed has not been heard from for too long", ErrRevocationsUnavailable)
)

// Verify checks token and returns its claims. The claims of a cached token
// are shared between callers and must not be modified.
//
// A token is accepted when the jose.Verifier accepts it (see
// jose.Verifier.Verify for its checks and sentinel errors) and no live
// revocation covers it (else ErrRevoked). With a revocation feed, every
// token is refused with ErrRevocationsUnavailable while the feed is staler
// than WithMaxStaleness, unless UnsafeFailOpen. A token whose kid is unknown
// before any key set could be fetched is refused with ErrKeysUnavailable.
//
// A token verified before is answered from the cache, without a signature
// check, as long as it is unexpired, the key set is the one it was verified
// with, and no revocation arrived that covers it.
func (v *Verifier) Verify(token string) (*jose.Claims, error) {
	if v.follower == nil && v.cache == nil {
		return v.verify(token)
	}
	now, elapsed := v.clockRead()
	if v.follower != nil {
		if err := v.checkFeed(elapsed); err != nil {
			return nil, err
		}
	}
	if v.cache == nil || len(token) > v.cfg.maxTokenSize {
		return v.verify(token)
	}
	if c, ok := v.cache.get(token, now, v.keys.CurrentKeys(), v.revs); ok {
		return c, nil
	}
	return v.verify(token)
}

// clockRead returns the token clock in seconds and the real clock's time
// since v.base: from the coarse clock when the clocks are the system's.
func (v *Verifier) clockRead() (unix int64, elapsed time.Duration) {
	if v.clock != nil {
		return v.clock.read()
	}
	return v.cfg.now().Unix(), v.cfg.mono().Sub(v.base)
}

// verify is the full check, which fills the cache.
func (v *Verifier) verify(token string) (*jose.Claims, error) {
	keys := v.keys.CurrentKeys()
	gen := v.revs.Generation()
	c, err := v.jv.Verify(token)
	if err != nil {
		return nil, v.explain(err)
	}
	if v.revs.Revoked(c) {
		return nil, errRevoked
	}
	// Cache only what was verified with the set still current: a set that
	// changed meanwhile (a refetch for this token's kid) is cached next time.
	if v.cache != nil && c.ExpiresAt != 0 && keys == v.keys.CurrentKeys() {
		v.cache.put(token, c, keys, gen, int64(c.ExpiresAt)+v.leeway, v.cfg.now().Unix())
	}
	return c, nil
}

// explain tells "the issuer's keys could never be fetched" from "no such
// key": the first is this service's problem, not the token's.
func (v *Verifier) explain(err error) error {
	if errors.Is(err, jose.ErrKeyNotFound) && v.remote != nil && !v.remote.everFetched() {
		return fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
	}
	return err
}

// checkFeed applies the staleness policy.
func (v *Verifier) checkFeed(elapsed time.Duration) error {
	if v.follower.currentAt(elapsed, v.cfg.maxStale) {
		return nil
	}
	if !v.cfg.failOpen {
		return errStale
	}
	now := v.cfg.mono().Unix()
	if last := v.lastWarn.Load(); now-last >= int64(time.Minute/time.Second) && v.lastWarn.CompareAndSwap(last, now) {
		lag, _ := v.follower.lag()
		v.cfg.log.Warn("accepting tokens although the revocation feed is stale (UnsafeFailOpen)",
			"lag", lag.Round(time.Second))
	}
	return nil
}
