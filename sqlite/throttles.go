package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/signet-dev/signet"
)

const throttleColumns = `scope, throttle_key, failures, window_start, locked_until, lockouts, updated_at`

func scanThrottle(row scanner) (signet.Throttle, error) {
	var t signet.Throttle
	err := row.Scan(&t.Scope, &t.Key, &t.Failures, timeCol{&t.WindowStart},
		timeCol{&t.LockedUntil}, &t.Lockouts, timeCol{&t.UpdatedAt})
	return t, err
}

// throttleFrom reads one throttle with q (the read pool or a transaction); a
// missing row is a zero throttle, not an error.
func throttleFrom(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, key signet.ThrottleKey) (signet.Throttle, error) {
	t, err := scanThrottle(q.QueryRowContext(ctx, `SELECT `+throttleColumns+` FROM throttles
		WHERE scope = ? AND throttle_key = ?`, key.Scope, key.Key))
	if errors.Is(err, sql.ErrNoRows) {
		return signet.Throttle{ThrottleKey: key}, nil
	}
	return t, translate(err, "throttle")
}

// Throttle implements signet.ThrottleStore.
func (s *Store) Throttle(ctx context.Context, key signet.ThrottleKey) (signet.Throttle, error) {
	if err := key.Validate(); err != nil {
		return signet.Throttle{}, err
	}
	return throttleFrom(ctx, s.read, key)
}

// UpdateThrottle implements signet.ThrottleStore.
func (s *Store) UpdateThrottle(ctx context.Context, key signet.ThrottleKey, fn func(signet.Throttle) (signet.Throttle, error)) (signet.Throttle, error) {
	if err := key.Validate(); err != nil {
		return signet.Throttle{}, err
	}
	var out signet.Throttle
	err := s.inWrite(ctx, func(tx txn) error {
		old, err := throttleFrom(ctx, tx, key)
		if err != nil {
			return err
		}
		if out, err = fn(old); err != nil {
			return err
		}
		out.ThrottleKey = key
		return putThrottleTx(ctx, tx, out)
	})
	if err != nil {
		return signet.Throttle{}, err
	}
	if out.IsZero() {
		return signet.Throttle{ThrottleKey: key}, nil
	}
	return out, nil
}

// putThrottleTx stores t, or deletes its row when it holds nothing.
func putThrottleTx(ctx context.Context, tx txn, t signet.Throttle) error {
	if t.IsZero() {
		_, err := tx.ExecContext(ctx, `DELETE FROM throttles WHERE scope = ? AND throttle_key = ?`, t.Scope, t.Key)
		return translate(err, "throttle")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO throttles (`+throttleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (scope, throttle_key) DO UPDATE SET failures = excluded.failures,
		window_start = excluded.window_start, locked_until = excluded.locked_until,
		lockouts = excluded.lockouts, updated_at = excluded.updated_at`,
		t.Scope, t.Key, t.Failures, nullMicros(t.WindowStart), nullMicros(t.LockedUntil),
		t.Lockouts, micros(t.UpdatedAt))
	return translate(err, "throttle")
}

// PurgeThrottles implements signet.ThrottleStore.
func (s *Store) PurgeThrottles(ctx context.Context, before time.Time) (int64, error) {
	t := micros(before)
	var n int64
	err := s.inWrite(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM throttles
			WHERE updated_at < ? AND (locked_until IS NULL OR locked_until <= ?)`, t, t)
		if err != nil {
			return translate(err, "throttles")
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
