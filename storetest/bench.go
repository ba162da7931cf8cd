package storetest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

// Bench measures the store calls on the hot paths of the server, over a
// pool of distinct users and sessions, so every store is measured alike:
//
//   - op=rotate: RotateRefreshToken issuing a new token, the whole of a
//     refresh's store work (one transaction), each iteration on a random
//     session of the pool, following its chain;
//   - op=user: User by id, the read of an uncached /v1/me.
//
// Besides ns/op (wall time, which other processes on a shared machine
// inflate) each reports cpu-ns/op: the process's CPU time per operation,
// the store's goroutines and driver included, which is much steadier.
//
// newStore returns a fresh, empty store; the pool is seeded directly.
func Bench(b *testing.B, newStore func(testing.TB) signet.Store) {
	const pool = 1000
	s := newStore(b)
	c := newClock()
	users := make([]signet.User, pool)
	heads := make([][]byte, pool)
	for i := range users {
		u := signet.User{ID: signet.NewID(), Email: signet.NewID() + "@example.com", Name: "Bench User",
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Roles: []string{"user"},
			CreatedAt: c.Now(), UpdatedAt: c.Now()}
		if err := s.CreateUser(b.Context(), u); err != nil {
			b.Fatal(err)
		}
		users[i] = u
		_, heads[i] = createSession(b, s, c, u)
	}
	b.Run("op=rotate", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		at := c.Now()
		defer reportCPU(b)()
		for b.Loop() {
			i := rng.IntN(pool)
			at = at.Add(time.Millisecond)
			_, next := newToken()
			_, err := s.RotateRefreshToken(b.Context(), heads[i],
				func(tok signet.RefreshToken, _ signet.Session, _ signet.User) (signet.Rotation, error) {
					return signet.Rotation{At: at, Issue: &signet.RefreshToken{Hash: next, CreatedAt: at,
						ExpiresAt: at.Add(idleTTL)}, IdleExpiresAt: at.Add(idleTTL)}, nil
				})
			if err != nil {
				b.Fatal(err)
			}
			heads[i] = next
		}
	})
	b.Run("op=user", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(3, 4))
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := s.User(b.Context(), users[rng.IntN(pool)].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU starts counting CPU time; the function it returns reports
// cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if used := cpuTime() - start; used > 0 && b.N > 0 {
			b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
