package oauth2

import (
	"sync"
	"time"

	"github.com/signet-dev/signet"
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
