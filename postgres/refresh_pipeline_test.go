package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
)

// TestRotatePipelineEndsItsTransaction: on a pool of one connection, a
// rotation that is refused, one whose write fails, one whose context ends
// in the middle, and one that revokes (handed to the transaction path)
// each leave nothing written and the connection usable: the next call
// succeeds on it.
func TestRotatePipelineEndsItsTransaction(t *testing.T) {
	t.Parallel()
	s := openTest(t, testenv.NewPostgresDB(t), Options{MaxConns: 1})
	sess, hash := seedSession(t, s)
	_, other := seedSession(t, s)
	now := epochForTest
	issue := func(h []byte) signet.RotateFunc {
		return func(signet.RefreshToken, signet.Session, signet.User) (signet.Rotation, error) {
			return signet.Rotation{At: now, IdleExpiresAt: now.Add(time.Hour), Issue: &signet.RefreshToken{
				Hash: h, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}}, nil
		}
	}
	refusal := errors.New("refused")
	ctx, cancel := context.WithCancel(t.Context())
	cases := []struct {
		name string
		ctx  context.Context
		fn   signet.RotateFunc
		want func(error) bool
	}{
		{"refused", t.Context(), func(signet.RefreshToken, signet.Session, signet.User) (signet.Rotation, error) {
			return signet.Rotation{}, refusal
		}, func(err error) bool { return errors.Is(err, refusal) }},
		{"write fails", t.Context(), issue(other), func(err error) bool { return errors.Is(err, signet.ErrConflict) }},
		{"context ends", ctx, func(tok signet.RefreshToken, se signet.Session, u signet.User) (signet.Rotation, error) {
			cancel()
			return issue(signet.HashRefreshToken("x"))(tok, se, u)
		}, func(err error) bool { return errors.Is(err, context.Canceled) }},
	}
	for _, c := range cases {
		if _, err := s.RotateRefreshToken(c.ctx, hash, c.fn); !c.want(err) {
			t.Fatalf("%s: RotateRefreshToken = %v", c.name, err)
		}
		tok, err := s.RefreshToken(t.Context(), hash)
		if err != nil || tok.Rotated() {
			t.Fatalf("%s: the presented token after the failure: %+v, %v; want it untouched", c.name, tok, err)
		}
	}
	revoke := func(signet.RefreshToken, signet.Session, signet.User) (signet.Rotation, error) {
		return signet.Rotation{Revoke: &signet.SessionRevocation{SessionID: sess.ID, At: now, FeedUntil: now.Add(time.Hour)}}, nil
	}
	res, err := s.RotateRefreshToken(t.Context(), hash, revoke)
	if err != nil || len(res.Revoked) != 1 || !res.Session.Revoked() {
		t.Fatalf("revoking through RotateRefreshToken: %+v, %v", res, err)
	}
}

// TestRotatePipelineRetries: a deadlock reported by the pipelined rotation
// runs it again; other errors are returned at once.
func TestRotatePipelineRetries(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	_, hash := seedSession(t, s)
	now := epochForTest
	for _, tt := range []struct {
		err       error
		wantCalls int
	}{{&pgconn.PgError{Code: codeDeadlock}, 3}, {&pgconn.PgError{Code: codeUniqueViolation}, 1}} {
		calls := 0
		_, err := s.RotateRefreshToken(t.Context(), hash, func(signet.RefreshToken, signet.Session, signet.User) (signet.Rotation, error) {
			if calls++; calls < 3 {
				return signet.Rotation{}, tt.err
			}
			return signet.Rotation{At: now, IdleExpiresAt: now.Add(time.Hour), Issue: &signet.RefreshToken{
				Hash: signet.HashRefreshToken("next"), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}}, nil
		})
		if calls != tt.wantCalls || (tt.wantCalls == 3) != (err == nil) {
			t.Fatalf("%v: %d calls, err %v; want %d calls", tt.err, calls, err, tt.wantCalls)
		}
	}
}
