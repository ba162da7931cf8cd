package sqlite

import (
	"context"
	"time"

	"github.com/signet-dev/signet"
)

const revocationColumns = `seq, kind, value, issued_before, expires_at, created_at`

func scanRevocation(row scanner) (signet.Revocation, error) {
	var r signet.Revocation
	err := row.Scan(&r.Cursor, &r.Kind, &r.Value, timeCol{&r.Before},
		timeCol{&r.ExpiresAt}, timeCol{&r.CreatedAt})
	return r, err
}

// insertRevocationsTx validates every entry, then stores them in order. The
// cursor comes from AUTOINCREMENT inside the write transaction; since writes
// are serialised, a later commit always gets a larger cursor.
func insertRevocationsTx(ctx context.Context, tx txn, entries []signet.Revocation) ([]signet.Revocation, error) {
	for _, r := range entries {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	out := make([]signet.Revocation, 0, len(entries))
	for _, r := range entries {
		row := tx.QueryRowContext(ctx, `INSERT INTO revocations (kind, value, issued_before, expires_at, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING `+revocationColumns,
			r.Kind, r.Value, nullMicros(r.Before), micros(r.ExpiresAt), micros(r.CreatedAt))
		stored, err := scanRevocation(row)
		if err != nil {
			return nil, translate(err, "revocation")
		}
		out = append(out, stored)
	}
	return out, nil
}

// AddRevocations implements signet.RevocationStore.
func (s *Store) AddRevocations(ctx context.Context, entries ...signet.Revocation) ([]signet.Revocation, error) {
	var out []signet.Revocation
	err := s.inWrite(ctx, func(tx txn) error {
		var err error
		out, err = insertRevocationsTx(ctx, tx, entries)
		return err
	})
	return out, err
}

// LiveRevocations implements signet.RevocationStore.
func (s *Store) LiveRevocations(ctx context.Context, now time.Time) ([]signet.Revocation, int64, error) {
	var out []signet.Revocation
	var latest int64
	err := s.inRead(ctx, func(tx txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+revocationColumns+` FROM revocations
			WHERE expires_at > ? ORDER BY seq`, micros(now))
		if err != nil {
			return translate(err, "revocations")
		}
		if out, err = collect(rows, scanRevocation, "revocations"); err != nil {
			return err
		}
		latest, err = latestCursorTx(ctx, tx)
		return err
	})
	return out, latest, err
}

// latestCursorTx reads the largest cursor ever assigned, purged or not.
func latestCursorTx(ctx context.Context, tx txn) (int64, error) {
	var latest int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence
		WHERE name = 'revocations'`).Scan(&latest)
	return latest, translate(err, "revocation cursor")
}

// RevocationsAfter implements signet.RevocationStore.
func (s *Store) RevocationsAfter(ctx context.Context, after int64, limit int) ([]signet.Revocation, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT `+revocationColumns+` FROM revocations
		WHERE seq > ? ORDER BY seq LIMIT ?`, after, signet.ListLimit(limit))
	if err != nil {
		return nil, translate(err, "revocations")
	}
	return collect(rows, scanRevocation, "revocations")
}

// RevocationBounds implements signet.RevocationStore.
func (s *Store) RevocationBounds(ctx context.Context) (signet.RevocationBounds, error) {
	var b signet.RevocationBounds
	err := s.inRead(ctx, func(tx txn) error {
		var err error
		if b.Latest, err = latestCursorTx(ctx, tx); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(seq), ?) FROM revocations`, b.Latest+1).Scan(&b.Oldest)
		return translate(err, "revocation cursor")
	})
	return b, err
}

// PurgeRevocations implements signet.RevocationStore.
func (s *Store) PurgeRevocations(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.inWrite(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM revocations WHERE expires_at <= ?`, micros(now))
		if err != nil {
			return translate(err, "revocations")
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
