package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/signet-dev/signet"
)

const tokenColumns = `hash, session_id, client_id, parent, created_at, expires_at, rotated_at, replaced_by`

func scanToken(row scanner) (signet.RefreshToken, error) {
	var t signet.RefreshToken
	err := row.Scan(&t.Hash, &t.SessionID, &t.ClientID, &t.Parent, timeCol{&t.CreatedAt},
		timeCol{&t.ExpiresAt}, timeCol{&t.RotatedAt}, &t.ReplacedBy)
	return t, err
}

func insertTokenTx(ctx context.Context, tx *sql.Tx, t signet.RefreshToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Hash, t.SessionID, t.ClientID, t.Parent, micros(t.CreatedAt), micros(t.ExpiresAt),
		nullMicros(t.RotatedAt), t.ReplacedBy)
	return translate(err, "refresh token")
}

// RefreshToken implements signet.SessionStore.
func (s *Store) RefreshToken(ctx context.Context, hash []byte) (signet.RefreshToken, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens WHERE hash = ?`, hash)
	t, err := scanToken(row)
	return t, translate(err, "refresh token")
}

// RotateRefreshToken implements signet.SessionStore. The whole
// read-decide-write runs in one BEGIN IMMEDIATE transaction, so the write
// lock is held from the first read: a concurrent rotation of the same token
// waits, then sees this one's result.
func (s *Store) RotateRefreshToken(ctx context.Context, hash []byte, fn signet.RotateFunc) (signet.RotationResult, error) {
	var res signet.RotationResult
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		var err error
		if res, err = readRotationTx(ctx, tx, hash); err != nil {
			return err
		}
		rot, err := fn(res.Presented, res.Session, res.User)
		if err != nil {
			return err
		}
		return applyRotationTx(ctx, tx, &res, rot)
	})
	if err != nil {
		return signet.RotationResult{}, err
	}
	return res, nil
}

// readRotationTx reads the token, its session and its user.
func readRotationTx(ctx context.Context, tx *sql.Tx, hash []byte) (signet.RotationResult, error) {
	var res signet.RotationResult
	t, err := tokenTx(ctx, tx, hash)
	if err != nil {
		return res, err
	}
	res.Presented = *t
	if res.Session, err = sessionTx(ctx, tx, t.SessionID); err != nil {
		return res, err
	}
	res.User, err = userTx(ctx, tx, res.Session.UserID)
	return res, err
}

// applyRotationTx writes what rot asks for and updates res to match.
func applyRotationTx(ctx context.Context, tx *sql.Tx, res *signet.RotationResult, rot signet.Rotation) error {
	if err := checkRotation(res.Session, rot); err != nil {
		return err
	}
	var err error
	switch {
	case rot.Issue != nil:
		res.Issued, err = issueTx(ctx, tx, res.Presented, rot)
	case rot.Revoke != nil:
		res.Revoked, err = revokeSessionsTx(ctx, tx, res.Session.UserID, *rot.Revoke)
	default:
		return nil // refused: nothing to write
	}
	if err != nil {
		return err
	}
	res.Session, err = sessionTx(ctx, tx, res.Session.ID)
	return err
}

// checkRotation refuses answers that no correct policy gives, so a bug in the
// logic cannot revive a revoked session.
func checkRotation(sess signet.Session, rot signet.Rotation) error {
	switch {
	case rot.Issue != nil && rot.Revoke != nil:
		return signet.Errorf(signet.EINVALID, "rotation: issue and revoke at once")
	case rot.Issue != nil && rot.At.IsZero():
		return signet.Errorf(signet.EINVALID, "rotation: time is required")
	case rot.Issue != nil && sess.Revoked():
		return signet.Errorf(signet.EINVALID, "rotation: the session is revoked")
	}
	return nil
}

// issueTx stores the new token, marks the presented one rotated if it was
// current, and touches the session.
func issueTx(ctx context.Context, tx *sql.Tx, old signet.RefreshToken, rot signet.Rotation) (*signet.RefreshToken, error) {
	t := *rot.Issue
	t.SessionID, t.ClientID, t.Parent = old.SessionID, old.ClientID, old.Hash
	t.RotatedAt, t.ReplacedBy = time.Time{}, nil // a new token is current
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if err := insertTokenTx(ctx, tx, t); err != nil {
		return nil, err
	}
	if !old.Rotated() {
		_, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET rotated_at = ?, replaced_by = ? WHERE hash = ?`,
			micros(rot.At), t.Hash, old.Hash)
		if err != nil {
			return nil, translate(err, "refresh token")
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_used_at = ?,
		idle_expires_at = COALESCE(?, idle_expires_at) WHERE id = ?`,
		micros(rot.At), nullMicros(rot.IdleExpiresAt), old.SessionID)
	if err != nil {
		return nil, translate(err, "session")
	}
	return tokenTx(ctx, tx, t.Hash)
}

func tokenTx(ctx context.Context, tx *sql.Tx, hash []byte) (*signet.RefreshToken, error) {
	t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, translate(err, "refresh token")
	}
	return &t, nil
}
