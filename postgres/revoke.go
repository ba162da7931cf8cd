package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

// revokeSessionsTx ends the user's sessions that r selects and writes their
// feed entries, inside tx. Every store method that ends sessions goes through
// here, so a session never ends without its entry. Ending every session of
// the user (no SessionID) deletes the user's browser sessions too. The UPDATE locks each row
// it ends; a concurrent revocation of the same session waits, then finds it
// revoked and leaves it (and writes no second entry).
func revokeSessionsTx(ctx context.Context, tx pgx.Tx, userID string, r signet.SessionRevocation) ([]signet.Session, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if r.SessionID != "" {
		if err := checkOwner(ctx, tx, userID, r.SessionID); err != nil {
			return nil, err
		}
	}
	rows, err := tx.Query(ctx, `UPDATE sessions SET revoked_at = $1
		WHERE user_id = $2 AND revoked_at IS NULL
		AND ($3 = '' OR id = $3) AND ($4 = '' OR id <> $4)
		RETURNING `+sessionColumns,
		r.At, userID, r.SessionID, r.KeepSessionID)
	ended, err := collect(rows, err, scanSession, "session")
	if err != nil {
		return nil, err
	}
	if r.SessionID == "" {
		if _, err := tx.Exec(ctx, `DELETE FROM browser_sessions WHERE user_id = $1`, userID); err != nil {
			return nil, translate(err, "browser session")
		}
	}
	_, err = insertRevocationsTx(ctx, tx, r.FeedEntries(userID, ended))
	return ended, err
}

// checkOwner returns ENOTFOUND unless the session exists and is the user's:
// a user cannot learn whether another user's session id exists.
func checkOwner(ctx context.Context, tx pgx.Tx, userID, sessionID string) error {
	var owner string
	err := tx.QueryRow(ctx, `SELECT user_id FROM sessions WHERE id = $1`, sessionID).Scan(&owner)
	if err == nil && owner != userID {
		err = pgx.ErrNoRows
	}
	return translate(err, "session")
}
