package oauth2

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// clientCache keeps client records read from the store for a short time,
// so that the token and introspection endpoints do not read the store on
// every request. A change this process makes (a rotated secret, a removed
// client) is applied to the cache at once; a change made elsewhere (the CLI,
// another instance) within Config.ClientCacheTTL. Only clients that exist
// are cached, so unknown ids cannot fill it.
type clientCache struct {
	ttl time.Duration
	mu  sync.RWMutex // guards m
	m   map[string]cachedClient
}

type cachedClient struct {
	c     signet.Client
	until time.Time
}

// maxCachedClients bounds the cache; past it, an arbitrary entry goes.
const maxCachedClients = 4096

func (cc *clientCache) get(id string, now time.Time) (signet.Client, bool) {
	cc.mu.RLock()
	e, ok := cc.m[id]
	cc.mu.RUnlock()
	return e.c, ok && now.Before(e.until)
}

func (cc *clientCache) put(c signet.Client, now time.Time) {
	if cc.ttl <= 0 {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.m) >= maxCachedClients {
		for k := range cc.m { // map order is random: an arbitrary victim
			delete(cc.m, k)
			break
		}
	}
	cc.m[c.ID] = cachedClient{c: c, until: now.Add(cc.ttl)}
}

func (cc *clientCache) forget(id string) {
	cc.mu.Lock()
	delete(cc.m, id)
	cc.mu.Unlock()
}

// tokenCache remembers access tokens that verified, so that introspecting
// a token again (a resource server asks about each request it gets) costs a
// hash and a comparison instead of a signature check. An entry is used only
// for the very same token, byte for byte, and only until the token expires
// (plus the leeway); the revocation set is consulted on every use, so a
// revocation takes effect at once. Its size is bounded by entry count per
// shard, evicting an arbitrary entry when full.
type tokenCache struct {
	seed   maphash.Seed
	shards [16]tokenShard
}

type tokenShard struct {
	mu sync.RWMutex // guards m
	m  map[uint64]*cachedToken
}

type cachedToken struct {
	token  string
	claims *jose.Claims
	until  int64 // Unix seconds: exp plus the leeway
}

// maxCachedTokensPerShard bounds the cache to 16 × 1024 tokens, about 25 MiB
// at 1.5 KiB per token and its claims.
const maxCachedTokensPerShard = 1024

func newTokenCache() *tokenCache {
	c := &tokenCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = map[uint64]*cachedToken{}
	}
	return c
}

func (c *tokenCache) get(tok string, now int64) (*jose.Claims, bool) {
	h := maphash.String(c.seed, tok)
	s := &c.shards[h%uint64(len(c.shards))]
	s.mu.RLock()
	e := s.m[h]
	s.mu.RUnlock()
	if e == nil || e.token != tok || now >= e.until {
		return nil, false
	}
	return e.claims, true
}

func (c *tokenCache) put(tok string, claims *jose.Claims, until int64) {
	h := maphash.String(c.seed, tok)
	s := &c.shards[h%uint64(len(c.shards))]
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxCachedTokensPerShard {
		for k := range s.m {
			delete(s.m, k)
			break
		}
	}
	s.m[h] = &cachedToken{token: tok, claims: claims, until: until}
}
