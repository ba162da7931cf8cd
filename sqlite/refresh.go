package sqlite

import (
	"context"
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

func insertTokenTx(ctx context.Context, tx txn, t signet.RefreshToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Hash, t.SessionID, t.ClientID, t.Parent, micros(t.CreatedAt), micros(t.ExpiresAt),
		nullMicros(t.RotatedAt), t.ReplacedBy)
	return translate(err, "refresh token")
}

// RefreshToken implements signet.SessionStore.
func (s *Store) RefreshToken(ctx context.Context, hash []byte) (signet.RefreshToken, error) {
	row := s.reads.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens WHERE hash = ?`, hash)
	t, err := scanToken(row)
	return t, translate(err, "refresh token")
}

// RotateRefreshToken implements signet.SessionStore. The whole
// read-decide-write runs in one BEGIN IMMEDIATE transaction, so the write
// lock is held from the first read: a concurrent rotation of the same token
// waits, then sees this one's result.
func (s *Store) RotateRefreshToken(ctx context.Context, hash []byte, fn signet.RotateFunc) (signet.RotationResult, error) {
	var res signet.RotationResult
	err := s.inWrite(ctx, func(tx txn) error {
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

// rotationQuery reads the token, its session and its user in one statement.
var rotationQuery = `SELECT ` + prefixed("t", tokenColumns) + `, ` + prefixed("s", sessionColumns) + `, ` +
	prefixed("u", userColumns) + ` FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
	JOIN users u ON u.id = s.user_id WHERE t.hash = ?`

// readRotationTx reads the token, its session and its user (the foreign keys
// guarantee that a token's session and user exist).
func readRotationTx(ctx context.Context, tx txn, hash []byte) (signet.RotationResult, error) {
	var res signet.RotationResult
	t, ss, u := &res.Presented, &res.Session, &res.User
	err := tx.QueryRowContext(ctx, rotationQuery, hash).Scan(
		&t.Hash, &t.SessionID, &t.ClientID, &t.Parent, timeCol{&t.CreatedAt},
		timeCol{&t.ExpiresAt}, timeCol{&t.RotatedAt}, &t.ReplacedBy,
		&ss.ID, &ss.UserID, &ss.ClientID, &ss.Scope, &ss.UserAgent,
		timeCol{&ss.CreatedAt}, timeCol{&ss.LastUsedAt}, timeCol{&ss.IdleExpiresAt},
		timeCol{&ss.ExpiresAt}, timeCol{&ss.AuthTime}, timeCol{&ss.RevokedAt},
		&u.ID, &u.Email, &u.Name, &u.PasswordHash, stringsCol{&u.Roles},
		&u.Disabled, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt})
	return res, translate(err, "refresh token")
}

// applyRotationTx writes what rot asks for and updates res to match.
func applyRotationTx(ctx context.Context, tx txn, res *signet.RotationResult, rot signet.Rotation) error {
	if err := checkRotation(res.Session, rot); err != nil {
		return err
	}
	switch {
	case rot.Issue != nil:
		var err error
		res.Issued, err = issueTx(ctx, tx, res.Presented, rot)
		if err != nil {
			return err
		}
		// The session as issueTx left it, without reading it back.
		res.Session.LastUsedAt = storedTime(rot.At)
		if !rot.IdleExpiresAt.IsZero() {
			res.Session.IdleExpiresAt = storedTime(rot.IdleExpiresAt)
		}
		return nil
	case rot.Revoke != nil:
		var err error
		if res.Revoked, err = revokeSessionsTx(ctx, tx, res.Session.UserID, *rot.Revoke); err != nil {
			return err
		}
		res.Session, err = sessionTx(ctx, tx, res.Session.ID)
		return err
	default:
		return nil // refused: nothing to write
	}
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
func issueTx(ctx context.Context, tx txn, old signet.RefreshToken, rot signet.Rotation) (*signet.RefreshToken, error) {
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
	t.CreatedAt, t.ExpiresAt = storedTime(t.CreatedAt), storedTime(t.ExpiresAt)
	return &t, nil // as stored, without reading it back
}
