package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// querier is what both the pool and a transaction offer, so one read
// function serves a plain read and a read inside a write.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// writeTx is the isolation of every write: READ COMMITTED, set explicitly so
// a server default (default_transaction_isolation) cannot change it.
// Read-decide-write methods take row locks (SELECT ... FOR UPDATE), so each
// of them sees the latest committed state of the rows it locked; the locks,
// not the isolation level, make concurrent changes apply one after the other.
var writeTx = pgx.TxOptions{IsoLevel: pgx.ReadCommitted}

// snapshotTx is for reads that must see one snapshot across statements.
// A read-only REPEATABLE READ transaction never fails to serialise.
var snapshotTx = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// inTx runs fn in a write transaction and commits if fn returns nil. fn's
// own errors are returned as they are. A serialization failure or a
// deadlock, wherever it happens (fn's statements or the commit), rolls back
// and runs fn again, at most opts.MaxRetries more times, so fn must do
// nothing but statements on tx (and the caller's callback, which may run
// again: its result replaces the earlier one). fn must not use the Store:
// its connection is tx's, and a second one could wait on tx's locks.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.tryTx(ctx, writeTx, fn)
		if err == nil || !retryable(err) || attempt >= s.opts.MaxRetries {
			return err
		}
		if err := pause(ctx, attempt); err != nil {
			return fmt.Errorf("postgres: waiting to retry: %w", err)
		}
	}
}

// inSnapshot runs fn in a read-only transaction that sees one snapshot.
func (s *Store) inSnapshot(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.tryTx(ctx, snapshotTx, fn)
}

func (s *Store) tryTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// After a commit, Rollback does nothing. If it fails (a cancelled ctx),
	// pgx closes the connection rather than return it to the pool mid-
	// transaction.
	defer tx.Rollback(ctx)
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// pause waits before retry number attempt+1: a short, growing, jittered
// delay, so transactions that collided do not collide again in step.
func pause(ctx context.Context, attempt int) error {
	d := time.Duration(1<<min(attempt, 6)) * time.Millisecond
	d += rand.N(d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
