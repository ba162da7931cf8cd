package verify

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/signet-dev/signet/jose"
)

// Kinds of revocation entry (the revocation feed's "kind").
const (
	KindJTI = "jti" // one token, by its "jti"
	KindSID = "sid" // every token of one session, by its "sid"
	KindSub = "sub" // every token of one subject issued before a cut-off
)

// Entry is one revocation of the feed. Before (seconds since the epoch) is
// set for KindSub only: tokens of the subject whose "iat" is earlier are
// revoked. ExpiresAt is when the entry can no longer match a live token.
type Entry struct {
	Cursor    string `json:"cursor"`
	Kind      string `json:"kind"`
	Value     string `json:"value"`
	Before    int64  `json:"before,omitempty"`
	ExpiresAt int64  `json:"expires_at"`
}

// RevocationSet holds live revocation entries and answers whether claims are
// revoked. It is safe for concurrent use; reads take a shared lock only.
// The zero value is empty and ready to use.
type RevocationSet struct {
	mu     sync.RWMutex // guards every field below
	jti    map[string]int64
	sid    map[string]int64
	sub    map[string]subCut
	cursor string

	// gen counts changes that can revoke more tokens (Add, Reset). It is
	// bumped under mu after the maps change, so a reader that sees an
	// unchanged generation knows no entry arrived since it last looked.
	gen atomic.Uint64
}

type subCut struct{ before, expires int64 }

// Add records e (entries of unknown kind are ignored, so a newer issuer can
// add kinds without breaking older followers) and advances the cursor.
func (s *RevocationSet) Add(entries ...Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		s.addLocked(e)
		if e.Cursor != "" {
			s.cursor = e.Cursor
		}
	}
	s.gen.Add(1)
}

func (s *RevocationSet) addLocked(e Entry) {
	switch e.Kind {
	case KindJTI:
		s.jti = put(s.jti, e.Value, e.ExpiresAt)
	case KindSID:
		s.sid = put(s.sid, e.Value, e.ExpiresAt)
	case KindSub:
		if s.sub == nil {
			s.sub = map[string]subCut{}
		}
		old := s.sub[e.Value]
		s.sub[e.Value] = subCut{before: max(old.before, e.Before), expires: max(old.expires, e.ExpiresAt)}
	}
}

func put(m map[string]int64, k string, exp int64) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[k] = max(m[k], exp)
	return m
}

// Revoked reports whether c is covered by a live entry: its "jti", its
// "sid", or its subject with an "iat" before the subject's cut-off.
func (s *RevocationSet) Revoked(c *jose.Claims) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if c.ID != "" {
		if _, ok := s.jti[c.ID]; ok {
			return true
		}
	}
	if c.SessionID != "" {
		if _, ok := s.sid[c.SessionID]; ok {
			return true
		}
	}
	if cut, ok := s.sub[c.Subject]; ok && int64(c.IssuedAt) < cut.before {
		return true
	}
	return false
}

// Reset replaces every entry with entries, as after a full resync.
func (s *RevocationSet) Reset(cursor string, entries []Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jti, s.sid, s.sub = nil, nil, nil
	for _, e := range entries {
		s.addLocked(e)
	}
	s.cursor = cursor
	s.gen.Add(1)
}

// Generation returns a number that changes whenever entries are added or
// reset, and only then. A cache of verified tokens compares it with the
// generation it last checked a token at, so a hit costs one atomic load and
// a revocation is never missed.
func (s *RevocationSet) Generation() uint64 { return s.gen.Load() }

// Cursor returns the cursor of the last entry added.
func (s *RevocationSet) Cursor() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cursor
}

// Len returns the number of live entries.
func (s *RevocationSet) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.jti) + len(s.sid) + len(s.sub)
}

// Purge drops entries that expired before now: no token they cover can still
// be valid.
func (s *RevocationSet) Purge(now time.Time) {
	t := now.Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, exp := range s.jti {
		if exp < t {
			delete(s.jti, k)
		}
	}
	for k, exp := range s.sid {
		if exp < t {
			delete(s.sid, k)
		}
	}
	for k, cut := range s.sub {
		if cut.expires < t {
			delete(s.sub, k)
		}
	}
}
