package jose

import (
	"strings"
	"sync"
	"sync/atomic"
)

// maxCachedHeaders bounds the header cache. An issuer uses a handful of
// distinct protected headers (one per key and token type), so a few dozen
// entries cover every real deployment.
const maxCachedHeaders = 64

// headerCache remembers protected headers that have already led to a valid
// signature, keyed by their exact base64url text, with the key they select.
// A token whose header part is byte-for-byte one of these skips decoding and
// parsing it again; everything else — the signature, the payload, the claims
// — is still checked in full. Only headers of genuinely signed tokens are
// added, so a client cannot fill the cache with headers of its own making.
// Entries are tied to the KeySet they were resolved in: when the key source
// hands out a new set (rotation, JWKS refresh), they no longer match.
type headerCache struct {
	last    atomic.Pointer[cachedHeader]             // the entry found last: most tokens share one header
	entries atomic.Pointer[map[string]*cachedHeader] // copy-on-write
	mu      sync.Mutex                               // serialises writers
}

type cachedHeader struct {
	part string // the header's base64url text
	set  *KeySet
	key  *Key
	typ  string
}

func (c *headerCache) lookup(part string, set *KeySet) *cachedHeader {
	if e := c.last.Load(); e != nil && e.set == set && e.part == part {
		return e
	}
	m := c.entries.Load()
	if m == nil {
		return nil
	}
	if e := (*m)[part]; e != nil && e.set == set {
		c.last.Store(e)
		return e
	}
	return nil
}

func (c *headerCache) store(part string, set *KeySet, key *Key, typ []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.entries.Load()
	next := make(map[string]*cachedHeader, maxCachedHeaders)
	if old != nil && len(*old) < maxCachedHeaders {
		for k, e := range *old {
			if e.set == set { // drop entries of replaced key sets
				next[k] = e
			}
		}
	}
	e := &cachedHeader{part: strings.Clone(part), set: set, key: key, typ: string(typ)} // a copy: never keep a token alive
	next[e.part] = e
	c.entries.Store(&next)
	c.last.Store(e)
}
