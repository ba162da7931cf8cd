package account

import (
	"context"
	"sync"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// maxCachedProfiles bounds the profile cache: about 300 bytes an entry.
const maxCachedProfiles = 1 << 16

// profileCache keeps accounts recently read for Me, so the most frequent
// bearer call reads no store. An entry read at time R (on the service's
// clock) answers a token only if
//
//   - the token was issued in a second before R's ("iat" has whole seconds),
//     so a token issued after a change, on any instance, never meets a
//     profile older than that change; and
//   - R is less than ttl ago (PollEvery, one second by default): a change made
//     through another instance or the CLI shows within that bound, as
//     revocations do.
//
// Changes made through this Service forget the entry at once, and a read
// that overlapped a forget is not cached (gen), so it cannot put back what
// the change replaced. A disabled account's tokens are refused by the
// revocation set before Me is reached. mu guards m and gen.
type profileCache struct {
	ttl time.Duration
	max int

	mu  sync.RWMutex
	m   map[string]cachedProfile
	gen uint64 // counts forgets
}

type cachedProfile struct {
	user   signet.User
	readAt time.Time
}

// get returns the cached account of c's subject if it may answer c at now.
func (p *profileCache) get(c *jose.Claims, now time.Time) (signet.User, bool) {
	p.mu.RLock()
	e, ok := p.m[c.Subject]
	p.mu.RUnlock()
	if !ok || now.Sub(e.readAt) >= p.ttl || int64(c.IssuedAt) >= e.readAt.Unix() {
		return signet.User{}, false
	}
	return e.user, true
}

// generation returns the count of forgets, to pass to put.
func (p *profileCache) generation() uint64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.gen
}

// put remembers u as read at readAt, unless a forget happened since the
// generation gen was taken before the read, dropping an arbitrary entry when
// full. The password hash is not kept: Me has no use for it.
func (p *profileCache) put(u signet.User, readAt time.Time, gen uint64) {
	u.PasswordHash = ""
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen != p.gen {
		return
	}
	if p.m == nil {
		p.m = make(map[string]cachedProfile)
	}
	if _, ok := p.m[u.ID]; !ok && len(p.m) >= p.max {
		for id := range p.m {
			delete(p.m, id)
			break
		}
	}
	p.m[u.ID] = cachedProfile{user: u, readAt: readAt}
}

// forget drops the entry of the account id.
func (p *profileCache) forget(id string) {
	p.mu.Lock()
	delete(p.m, id)
	p.gen++
	p.mu.Unlock()
}

// updateUser is store.UpdateUser, then the profile cache forgets the
// account, so that this instance's next Me reads the change.
func (s *Service) updateUser(ctx context.Context, id string, fn func(signet.User) (signet.UserUpdate, error)) (signet.User, error) {
	u, err := s.store.UpdateUser(ctx, id, fn)
	s.users.forget(id)
	return u, err
}

// profileUser returns the account behind c for Me: from the profile cache
// when it may answer c, else from the store.
func (s *Service) profileUser(ctx context.Context, c *jose.Claims) (signet.User, error) {
	now := s.cfg.Now()
	if u, ok := s.users.get(c, now); ok {
		return u, nil
	}
	gen := s.users.generation()
	u, err := s.store.User(ctx, c.Subject)
	if err == nil {
		s.users.put(u, now, gen)
	}
	return u, err
}
