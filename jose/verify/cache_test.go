package verify

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

// staticVerifier is a Verifier over a fixed key set (no network).
func staticVerifier(t testing.TB, iss *fakeIssuer, opts ...Option) *Verifier {
	t.Helper()
	pub := iss.keys[len(iss.keys)-1].Public()
	set, _ := jose.NewKeySet(pub)
	v, err := New(context.Background(), iss.URL, append([]Option{WithAudience(testAudience), WithKeys(set)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCacheHit(t *testing.T) {
	iss := newFakeIssuer(t)
	v := staticVerifier(t, iss)
	tok := iss.token(iss.claims("u1"))
	c1, err := v.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := v.Verify(tok)
	if err != nil || c2 != c1 {
		t.Fatalf("second Verify = %p, %v; want the cached %p", c2, err, c1)
	}
	if v.cache.len() != 1 {
		t.Fatalf("cache holds %d entries", v.cache.len())
	}
}

// TestCacheNeverConfusesTokens: a token differing from a cached one in any
// byte — a tampered signature, payload or header — never hits its entry,
// even when the hash collides.
func TestCacheNeverConfusesTokens(t *testing.T) {
	iss := newFakeIssuer(t)
	v := staticVerifier(t, iss)
	tok := iss.token(iss.claims("u1"))
	if _, err := v.Verify(tok); err != nil {
		t.Fatal(err)
	}
	dot1 := strings.IndexByte(tok, '.')
	dot2 := strings.LastIndexByte(tok, '.')
	flip := func(i int) string {
		b := []byte(tok)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	for _, i := range []int{0, dot1 + 5, dot2 - 1, dot2 + 3, len(tok) - 2} {
		if _, err := v.Verify(flip(i)); err == nil {
			t.Fatalf("a token changed at byte %d was accepted", i)
		}
	}
	if _, err := v.Verify(tok + "A"); err == nil {
		t.Fatal("a longer token was accepted")
	}
	// Force a collision: store the good token's entry under another token's
	// hash. The other token must still miss.
	other := iss.token(iss.claims("u2"))
	hOther := maphash.String(v.cache.seed, other)
	hTok := maphash.String(v.cache.seed, tok)
	s := &v.cache.shards[hTok&v.cache.mask]
	s.mu.Lock()
	e := s.m[hTok]
	s.mu.Unlock()
	so := &v.cache.shards[hOther&v.cache.mask]
	so.mu.Lock()
	so.m[hOther] = e
	so.mu.Unlock()
	if c, ok := v.cache.get(other, time.Now().Unix(), v.keys.CurrentKeys(), v.revs); ok {
		t.Fatalf("a colliding token hit another's entry: %s", c.Subject)
	}
}

// TestCacheRevocationAtOnce: a revocation arriving after a token was cached
// refuses it at the very next verification, and frees its entry.
func TestCacheRevocationAtOnce(t *testing.T) {
	iss := newFakeIssuer(t)
	v := staticVerifier(t, iss)
	cases := []struct {
		name  string
		entry Entry
	}{
		{"jti", Entry{Kind: KindJTI, Value: "jti-a"}},
		{"sid", Entry{Kind: KindSID, Value: "sid-b"}},
		{"sub", Entry{Kind: KindSub, Value: "c", Before: time.Now().Unix() + 1}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := iss.token(iss.claims(string(rune('a' + i))))
			bystander := iss.token(iss.claims("z" + tc.name))
			for _, tk := range []string{tok, tok, bystander} {
				if _, err := v.Verify(tk); err != nil {
					t.Fatal(err)
				}
			}
			n := v.cache.len()
			tc.entry.ExpiresAt = time.Now().Add(time.Hour).Unix()
			v.Revocations().Add(tc.entry)
			if _, err := v.Verify(tok); !errors.Is(err, ErrRevoked) {
				t.Fatalf("after revocation: %v", err)
			}
			if v.cache.len() != n-1 {
				t.Fatalf("cache holds %d entries, want %d", v.cache.len(), n-1)
			}
			if _, err := v.Verify(bystander); err != nil {
				t.Fatalf("an unrelated token: %v", err)
			}
		})
	}
}

// TestCacheKeySetChange: a cached token misses once the key set changed,
// so a key removed from the issuer's set stops its tokens at once.
func TestCacheKeySetChange(t *testing.T) {
	iss := newFakeIssuer(t)
	src := &swapSource{}
	k := iss.keys[0].Public()
	set1, _ := jose.NewKeySet(k)
	src.set(set1)
	v, err := New(context.Background(), iss.URL, WithAudience(testAudience), WithKeys(src))
	if err != nil {
		t.Fatal(err)
	}
	tok := iss.token(iss.claims("u1"))
	if _, err := v.Verify(tok); err != nil {
		t.Fatal(err)
	}
	other, _ := jose.GenerateKey(jose.ES256, "")
	set2, _ := jose.NewKeySet(other.Public())
	src.set(set2)
	if _, err := v.Verify(tok); !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("after its key left the set: %v", err)
	}
}

type swapSource struct {
	mu sync.Mutex
	s  *jose.KeySet
}

func (s *swapSource) set(k *jose.KeySet) { s.mu.Lock(); s.s = k; s.mu.Unlock() }
func (s *swapSource) CurrentKeys() *jose.KeySet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.s
}

// TestCacheBounded: the cache never charges more than its budget, however
// many distinct tokens pass, and keeps working.
func TestCacheBounded(t *testing.T) {
	iss := newFakeIssuer(t)
	const budget = 256 << 10
	v := staticVerifier(t, iss, WithTokenCache(budget))
	var last string
	for i := range 3000 {
		last = iss.token(iss.claims(fmt.Sprintf("user-%d", i)))
		if _, err := v.Verify(last); err != nil {
			t.Fatal(err)
		}
		if b := v.cache.bytes(); b > budget {
			t.Fatalf("after %d tokens the cache charges %d bytes > %d", i+1, b, budget)
		}
	}
	if n := v.cache.len(); n < 50 {
		t.Fatalf("only %d entries cached", n)
	}
	if _, ok := v.cache.get(last, time.Now().Unix(), v.keys.CurrentKeys(), v.revs); !ok {
		t.Fatal("the latest token is not cached")
	}
}

// TestCacheEvictsExpiredFirst: when a shard is full, expired entries go
// before live ones.
func TestCacheEvictsExpiredFirst(t *testing.T) {
	c := newTokenCache(minShardBytes) // one shard
	claims := &jose.Claims{}
	for i := range 20 {
		c.put(fmt.Sprintf("old-%d-%s", i, strings.Repeat("x", 2000)), claims, nil, 0, 100, 50)
	}
	live := "live-" + strings.Repeat("y", 2000)
	c.put(live, claims, nil, 0, 1000, 50)
	var revs RevocationSet
	for i := range 10 { // the fifth overflows the budget: the 20 expired go
		c.put(fmt.Sprintf("new-%d-%s", i, strings.Repeat("z", 2000)), claims, nil, 0, 1000, 200)
	}
	if _, ok := c.get(live, 200, nil, &revs); !ok || c.len() != 11 {
		t.Fatalf("live entry kept: %v, entries %d, want 11: expired entries must go first", ok, c.len())
	}
	if c.bytes() > minShardBytes {
		t.Fatalf("over budget: %d", c.bytes())
	}
}

func TestCacheOff(t *testing.T) {
	iss := newFakeIssuer(t)
	v := staticVerifier(t, iss, WithTokenCache(0))
	tok := iss.token(iss.claims("u1"))
	c1, _ := v.Verify(tok)
	c2, _ := v.Verify(tok)
	if v.cache != nil || c1 == c2 {
		t.Fatal("the cache is on")
	}
}

// TestCachedVerifyAllocations pins the cached path at zero allocations.
func TestCachedVerifyAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	iss := newFakeIssuer(t)
	v := staticVerifier(t, iss)
	tok := iss.token(iss.claims("u1"))
	if _, err := v.Verify(tok); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(1000, func() { v.Verify(tok) }); n != 0 {
		t.Fatalf("cached Verify allocates %v times", n)
	}
}

func TestCacheConcurrent(t *testing.T) {
	iss := newFakeIssuer(t)
	v := staticVerifier(t, iss, WithTokenCache(128<<10))
	toks := make([]string, 200)
	for i := range toks {
		toks[i] = iss.token(iss.claims(fmt.Sprintf("u%d", i)))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				tok := toks[(i*7+g)%len(toks)]
				c, err := v.Verify(tok)
				if err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf("u%d", (i*7+g)%len(toks)); c.Subject != want {
					t.Errorf("got claims of %s for %s", c.Subject, want)
					return
				}
				if i%500 == 0 {
					v.Revocations().Add(Entry{Kind: KindJTI, Value: "nobody", ExpiresAt: time.Now().Unix() + 60})
				}
			}
		}()
	}
	wg.Wait()
}
