package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const throttleColumns = `scope, throttle_key, failures, window_start, locked_until, lockouts, updated_at`

func scanThrottle(row pgx.Row) (signet.Throttle, error) {
	var t signet.Throttle
	err := row.Scan(&t.Scope, &t.Key, &t.Failures, timeCol{&t.WindowStart},
		timeCol{&t.LockedUntil}, &t.Lockouts, timeCol{&t.UpdatedAt})
	return t, err
}

// throttleFrom reads one throttle with q; lock is "" or a locking clause. A
// missing row, or a row that holds nothing (the placeholder UpdateThrottle
// inserts), is a zero throttle, not an error.
func throttleFrom(ctx context.Context, q querier, key signet.ThrottleKey, lock string) (signet.Throttle, error) {
	t, err := scanThrottle(q.QueryRow(ctx, `SELECT `+throttleColumns+` FROM throttles
		WHERE scope = $1 AND throttle_key = $2 `+lock, key.Scope, key.Key))
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && t.IsZero()) {
		return signet.Throttle{ThrottleKey: key}, nil
	}
	return t, translate(err, "throttle")
}

// Throttle implements signet.ThrottleStore.
func (s *Store) Throttle(ctx context.Context, key signet.ThrottleKey) (signet.Throttle, error) {
	if err := key.Validate(); err != nil {
		return signet.Throttle{}, err
	}
	return throttleFrom(ctx, s.pool, key, "")
}

// UpdateThrottle implements signet.ThrottleStore. A throttle seen for the
// first time has no row to lock, so one is made first: an empty placeholder,
// inserted unless the row exists (ON CONFLICT DO NOTHING waits for a
// concurrent insert of the same key to commit or roll back). Then the row is
// locked and read (FOR UPDATE), so concurrent failures of one key, from any
// instance, count one after the other. The placeholder never outlives the
// transaction: it is overwritten, deleted, or rolled back.
func (s *Store) UpdateThrottle(ctx context.Context, key signet.ThrottleKey, fn func(signet.Throttle) (signet.Throttle, error)) (signet.Throttle, error) {
	if err := key.Validate(); err != nil {
		return signet.Throttle{}, err
	}
	var out signet.Throttle
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO throttles (`+throttleColumns+`)
			VALUES ($1, $2, 0, NULL, NULL, 0, 'epoch') ON CONFLICT DO NOTHING`, key.Scope, key.Key)
		if err != nil {
			return translate(err, "throttle")
		}
		old, err := throttleFrom(ctx, tx, key, "FOR UPDATE")
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

// putThrottleTx stores t over its locked row, or deletes the row when t
// holds nothing.
func putThrottleTx(ctx context.Context, tx pgx.Tx, t signet.Throttle) error {
	if t.IsZero() {
		_, err := tx.Exec(ctx, `DELETE FROM throttles WHERE scope = $1 AND throttle_key = $2`, t.Scope, t.Key)
		return translate(err, "throttle")
	}
	_, err := tx.Exec(ctx, `UPDATE throttles SET failures = $3, window_start = $4, locked_until = $5,
		lockouts = $6, updated_at = $7 WHERE scope = $1 AND throttle_key = $2`,
		t.Scope, t.Key, t.Failures, nullTime(t.WindowStart), nullTime(t.LockedUntil), t.Lockouts, t.UpdatedAt)
	return translate(err, "throttle")
}

// PurgeThrottles implements signet.ThrottleStore.
func (s *Store) PurgeThrottles(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM throttles
		WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until <= $1)`, before)
	if err != nil {
		return 0, translate(err, "throttles")
	}
	return tag.RowsAffected(), nil
}
