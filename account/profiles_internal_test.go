package account

import (
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// TestProfileCacheReadOverlappingAChange: a read that began before a change
// forgot the account must not put the old profile back.
func TestProfileCacheReadOverlappingAChange(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &profileCache{ttl: time.Second, max: 8}
	tok := &jose.Claims{Subject: "u1", IssuedAt: jose.NewNumericDate(now.Add(-time.Minute))}
	old := signet.User{ID: "u1", Roles: []string{"user"}, PasswordHash: "$argon2id$secret"}

	gen := c.generation() // Me starts reading the store
	c.forget("u1")        // meanwhile a change through this instance
	c.put(old, now, gen)  // the read's result arrives
	if _, ok := c.get(tok, now); ok {
		t.Fatal("a read that overlapped a change was cached")
	}

	c.put(old, now, c.generation())
	got, ok := c.get(tok, now)
	if !ok || got.ID != "u1" {
		t.Fatalf("a read after the change was not cached: %+v %v", got, ok)
	}
	if got.PasswordHash != "" {
		t.Fatal("the cache keeps the password hash")
	}
}
