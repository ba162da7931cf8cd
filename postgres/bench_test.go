package postgres

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
)

// BenchmarkRotateRefreshToken rotates refresh tokens of 64 distinct
// sessions from 16 goroutines at once, each following its own chain, as
// refreshes of many users do: the store's share of a refresh (its
// transaction and round trips), without HTTP or signing. path=pipelined is
// RotateRefreshToken (two round trips), path=tx the same transaction one
// statement at a time (four), as the revoking path runs; conns is the pool
// size (8 is the default on two CPUs).
func BenchmarkRotateRefreshToken(b *testing.B) {
	dsn := testenv.NewPostgresDB(b)
	for _, conns := range []int32{4, 8} {
		s := openTest(b, dsn, Options{MaxConns: conns})
		paths := []struct {
			name   string
			rotate func(context.Context, []byte, signet.RotateFunc) (signet.RotationResult, error)
		}{{"pipelined", s.RotateRefreshToken}, {"tx", s.rotateInTx}}
		for _, p := range paths {
			b.Run(fmt.Sprintf("path=%s/conns=%d", p.name, conns), func(b *testing.B) { benchRotate(b, s, p.rotate) })
		}
	}
}

func benchRotate(b *testing.B, s *Store, rotate func(context.Context, []byte, signet.RotateFunc) (signet.RotationResult, error)) {
	const chains = 64
	heads := make([][]byte, chains)
	for i := range heads {
		_, heads[i] = seedSession(b, s)
	}
	now := epochForTest
	issue := func(signet.RefreshToken, signet.Session, signet.User) (signet.Rotation, error) {
		return signet.Rotation{At: now, IdleExpiresAt: now.Add(time.Hour), Issue: &signet.RefreshToken{
			Hash: signet.HashRefreshToken(rand.Text()), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}}, nil
	}
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		head := heads[int(next.Add(1)-1)%chains]
		for pb.Next() {
			res, err := rotate(b.Context(), head, issue)
			if err != nil {
				b.Error(err)
				return
			}
			head = res.Issued.Hash
		}
	})
}
