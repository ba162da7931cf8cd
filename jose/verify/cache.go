package verify

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/signet-dev/signet/jose"
)

// tokenCache remembers tokens that verified, so that a repeat verification
// costs a hash and a comparison instead of a signature check.
//
// Safety: an entry is found by a hash of the whole token and used only when
// its stored token is byte for byte the token presented, so a different
// token can never hit another's entry, whatever the hash does (a collision
// only costs a miss). An entry is used only while its token is unexpired (exp
// plus the leeway, on the verifier's clock), only with the very key set it
// was verified with (a refreshed, changed set misses), and only after
// re-checking the revocation set whenever that set changed since the entry
// was last checked, so a revocation takes effect at once.
//
// Memory: entries are charged for their token, their payload and a fixed
// overhead; each shard holds at most its share of the byte budget, evicting
// expired entries first and then entries at random.
type tokenCache struct {
	seed   maphash.Seed
	shards []cacheShard
	mask   uint64
	limit  int // bytes per shard
}

type cacheShard struct {
	mu    sync.RWMutex // guards m and bytes
	m     map[uint64]*cacheEntry
	bytes int
	_     [64 - 8 - 8 - 24]byte // one cache line per shard
}

type cacheEntry struct {
	token  string
	claims *jose.Claims
	keys   *jose.KeySet
	until  int64         // usable while now < until: exp plus the leeway, seconds
	gen    atomic.Uint64 // revocation generation last checked at
	cost   int
}

// entryOverhead approximates what an entry costs beyond its token and
// payload: the entry, the Claims, map slots and slices.
const entryOverhead = 512

// minShardBytes keeps shards big enough to hold a few typical tokens.
const minShardBytes = 64 << 10

func newTokenCache(maxBytes int) *tokenCache {
	n := 1
	for n < 64 && maxBytes/(2*n) >= minShardBytes {
		n *= 2
	}
	c := &tokenCache{seed: maphash.MakeSeed(), shards: make([]cacheShard, n), mask: uint64(n - 1), limit: maxBytes / n}
	for i := range c.shards {
		c.shards[i].m = map[uint64]*cacheEntry{}
	}
	return c
}

// get returns the claims of token if it is cached, unexpired at now
// (seconds), verified with keys and not revoked in revs.
func (c *tokenCache) get(token string, now int64, keys *jose.KeySet, revs *RevocationSet) (*jose.Claims, bool) {
	h := maphash.String(c.seed, token)
	s := &c.shards[h&c.mask]
	s.mu.RLock()
	e := s.m[h]
	s.mu.RUnlock()
	if e == nil || e.token != token {
		return nil, false
	}
	if now >= e.until || e.keys != keys {
		s.remove(h, e)
		return nil, false
	}
	if g := revs.Generation(); e.gen.Load() != g {
		if revs.Revoked(e.claims) {
			s.remove(h, e)
			return nil, false
		}
		e.gen.Store(g)
	}
	return e.claims, true
}

// put caches claims of token, verified with keys while the revocation set
// was at generation gen, usable until until (seconds).
func (c *tokenCache) put(token string, claims *jose.Claims, keys *jose.KeySet, gen uint64, until, now int64) {
	cost := len(token) + len(claims.Raw()) + entryOverhead
	if cost > c.limit/4 {
		return
	}
	e := &cacheEntry{token: strings.Clone(token), claims: claims, keys: keys, until: until, cost: cost}
	e.gen.Store(gen)
	h := maphash.String(c.seed, token)
	s := &c.shards[h&c.mask]
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.m[h]; old != nil {
		s.bytes -= old.cost
		delete(s.m, h)
	}
	if s.bytes+cost > c.limit {
		s.evictLocked(c.limit-c.limit/8-cost, now)
	}
	s.m[h] = e
	s.bytes += cost
}

// evictLocked drops expired entries, then entries in map order (random),
// until the shard uses at most target bytes. Freeing an eighth of the shard
// at once amortises the scan over many insertions.
func (s *cacheShard) evictLocked(target int, now int64) {
	for h, e := range s.m {
		if now >= e.until {
			delete(s.m, h)
			s.bytes -= e.cost
		}
	}
	for h, e := range s.m {
		if s.bytes <= target {
			return
		}
		delete(s.m, h)
		s.bytes -= e.cost
	}
}

func (s *cacheShard) remove(h uint64, e *cacheEntry) {
	s.mu.Lock()
	if s.m[h] == e {
		delete(s.m, h)
		s.bytes -= e.cost
	}
	s.mu.Unlock()
}

// len returns the number of entries, for tests.
func (c *tokenCache) len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}

// bytes returns the bytes charged, for tests.
func (c *tokenCache) bytes() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += s.bytes
		s.mu.RUnlock()
	}
	return n
}
