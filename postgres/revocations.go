package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const revocationColumns = `seq, kind, value, issued_before, expires_at, created_at`

// RevocationChannel is the LISTEN/NOTIFY channel on which every transaction
// that writes revocation entries notifies, at its commit. The payload is
// the latest cursor it assigned, in decimal.
const RevocationChannel = "signet_revocations"

func scanRevocation(row pgx.Row) (signet.Revocation, error) {
	var r signet.Revocation
	err := row.Scan(&r.Cursor, &r.Kind, &r.Value, timeCol{&r.Before},
		timeCol{&r.ExpiresAt}, timeCol{&r.CreatedAt})
	return r, err
}

// insertRevocationsTx validates every entry, then stores them in order with
// consecutive cursors taken from the counter row, and queues the
// notification. Updating the counter locks its row until tx ends, so every
// other transaction writing entries waits here for this one to commit or
// roll back before it takes its cursors: cursor order is commit order, and
// an entry is never visible before one with a smaller cursor. This is the
// last lock the transactions that call it take, so it adds no deadlock.
func insertRevocationsTx(ctx context.Context, tx pgx.Tx, entries []signet.Revocation) ([]signet.Revocation, error) {
	for _, r := range entries {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	if len(entries) == 0 {
		return nil, nil
	}
	var last int64
	err := tx.QueryRow(ctx, `UPDATE revocation_cursor SET latest = latest + $1 RETURNING latest`,
		len(entries)).Scan(&last)
	if err != nil {
		return nil, translate(err, "revocation cursor")
	}
	out := make([]signet.Revocation, 0, len(entries))
	b := &pgx.Batch{}
	for i, r := range entries {
		r.Cursor = last - int64(len(entries)) + int64(i) + 1
		r.Before, r.ExpiresAt, r.CreatedAt = signet.Truncate(r.Before), signet.Truncate(r.ExpiresAt), signet.Truncate(r.CreatedAt)
		b.Queue(`INSERT INTO revocations (`+revocationColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.Cursor, r.Kind, r.Value, nullTime(r.Before), r.ExpiresAt, r.CreatedAt)
		out = append(out, r)
	}
	b.Queue(`SELECT pg_notify($1, $2)`, RevocationChannel, strconv.FormatInt(last, 10))
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, translate(err, "revocation")
	}
	return out, nil
}

// AddRevocations implements signet.RevocationStore.
func (s *Store) AddRevocations(ctx context.Context, entries ...signet.Revocation) ([]signet.Revocation, error) {
	var out []signet.Revocation
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = insertRevocationsTx(ctx, tx, entries)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LiveRevocations implements signet.RevocationStore. The entries and the
// latest cursor come from one snapshot: an entry it does not see belongs to
// a transaction that had not committed, whose cursor is larger.
func (s *Store) LiveRevocations(ctx context.Context, now time.Time) ([]signet.Revocation, int64, error) {
	var out []signet.Revocation
	var latest int64
	err := s.inSnapshot(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+revocationColumns+` FROM revocations
			WHERE expires_at > $1 ORDER BY seq`, now)
		if out, err = collect(rows, err, scanRevocation, "revocations"); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT latest FROM revocation_cursor`).Scan(&latest)
		return translate(err, "revocation cursor")
	})
	if err != nil {
		return nil, 0, err
	}
	return out, latest, nil
}

// RevocationsAfter implements signet.RevocationStore. One statement, one
// snapshot: if it sees an entry, it sees every entry with a smaller cursor,
// so a follower that resumes from the last cursor it got misses nothing.
func (s *Store) RevocationsAfter(ctx context.Context, after int64, limit int) ([]signet.Revocation, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+revocationColumns+` FROM revocations
		WHERE seq > $1 ORDER BY seq LIMIT $2`, after, signet.ListLimit(limit))
	return collect(rows, err, scanRevocation, "revocations")
}

// RevocationBounds implements signet.RevocationStore, in one statement.
func (s *Store) RevocationBounds(ctx context.Context) (signet.RevocationBounds, error) {
	var b signet.RevocationBounds
	err := s.pool.QueryRow(ctx, `SELECT c.latest, COALESCE((SELECT min(seq) FROM revocations), c.latest + 1)
		FROM revocation_cursor c`).Scan(&b.Latest, &b.Oldest)
	return b, translate(err, "revocation cursor")
}

// PurgeRevocations implements signet.RevocationStore. The counter row keeps
// the latest cursor, so cursors are never reused after a purge.
func (s *Store) PurgeRevocations(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM revocations WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, translate(err, "revocations")
	}
	return tag.RowsAffected(), nil
}
