package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const tokenColumns = `hash, session_id, client_id, parent, created_at, expires_at, rotated_at, replaced_by`

func scanToken(row pgx.Row) (signet.RefreshToken, error) {
	var t signet.RefreshToken
	err := row.Scan(tokenDest(&t)...)
	return t, err
}

func tokenDest(t *signet.RefreshToken) []any {
	return []any{&t.Hash, &t.SessionID, &t.ClientID, &t.Parent, timeCol{&t.CreatedAt},
		timeCol{&t.ExpiresAt}, timeCol{&t.RotatedAt}, &t.ReplacedBy}
}

func insertTokenTx(ctx context.Context, tx pgx.Tx, t signet.RefreshToken) error {
	_, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (`+tokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.Hash, t.SessionID, t.ClientID, t.Parent, t.CreatedAt, t.ExpiresAt, nullTime(t.RotatedAt), t.ReplacedBy)
	return translate(err, "refresh token")
}

// RefreshToken implements signet.SessionStore.
func (s *Store) RefreshToken(ctx context.Context, hash []byte) (signet.RefreshToken, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens WHERE hash = $1`, hash))
	return t, translate(err, "refresh token")
}

// RotateRefreshToken implements signet.SessionStore. The token and its
// session are read and locked in one statement (FOR NO KEY UPDATE): a
// concurrent rotation of the same token, on any connection of any
// instance, waits for this transaction and then reads what it wrote; a
// concurrent rotation of a sibling, or a revocation of the session, waits on
// the session's row the same way. The user is read without a lock: a change
// to the user that matters (disabling it) revokes the sessions too, and so
// waits on the session's row. fn may run more than once: when the
// transaction is retried after a deadlock, and when its answer is to revoke
// (rotatePipelined).
func (s *Store) RotateRefreshToken(ctx context.Context, hash []byte, fn signet.RotateFunc) (signet.RotationResult, error) {
	for attempt := 0; ; attempt++ {
		res, err := s.rotatePipelined(ctx, hash, fn)
		switch {
		case errors.Is(err, errNeedsTx):
			return s.rotateInTx(ctx, hash, fn)
		case err == nil || !retryable(err) || attempt >= s.opts.MaxRetries:
			return res, err
		}
		if err := pause(ctx, attempt); err != nil {
			return signet.RotationResult{}, fmt.Errorf("postgres: waiting to retry: %w", err)
		}
	}
}

// rotateInTx is RotateRefreshToken in a pgx transaction, one statement
// after the other: the path of answers that revoke the session.
func (s *Store) rotateInTx(ctx context.Context, hash []byte, fn signet.RotateFunc) (signet.RotationResult, error) {
	var res signet.RotationResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
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

// rotationQuery reads the token, its session and its user, and locks the
// first two. Every transaction that locks both locks the token first.
const rotationQuery = `SELECT t.hash, t.session_id, t.client_id, t.parent, t.created_at, t.expires_at,
	t.rotated_at, t.replaced_by,
	s.id, s.user_id, s.client_id, s.scope, s.user_agent, s.created_at, s.last_used_at,
	s.idle_expires_at, s.expires_at, s.auth_time, s.revoked_at,
	u.id, u.email, u.name, u.password_hash, u.roles, u.disabled, u.created_at, u.updated_at
	FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
	WHERE t.hash = $1
	FOR NO KEY UPDATE OF t, s`

func readRotationTx(ctx context.Context, tx pgx.Tx, hash []byte) (signet.RotationResult, error) {
	return scanRotation(tx.QueryRow(ctx, rotationQuery, hash))
}

// scanRotation reads the row of rotationQuery.
func scanRotation(row pgx.Row) (signet.RotationResult, error) {
	var res signet.RotationResult
	t, ss, u := &res.Presented, &res.Session, &res.User
	dest := append(tokenDest(t), &ss.ID, &ss.UserID, &ss.ClientID, &ss.Scope, &ss.UserAgent,
		timeCol{&ss.CreatedAt}, timeCol{&ss.LastUsedAt}, timeCol{&ss.IdleExpiresAt},
		timeCol{&ss.ExpiresAt}, timeCol{&ss.AuthTime}, timeCol{&ss.RevokedAt},
		&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Roles, &u.Disabled,
		timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt})
	if err := row.Scan(dest...); err != nil {
		return res, translate(err, "refresh token")
	}
	u.Roles = nilIfEmpty(u.Roles)
	return res, nil
}

// applyRotationTx writes what rot asks for and updates res to match.
func applyRotationTx(ctx context.Context, tx pgx.Tx, res *signet.RotationResult, rot signet.Rotation) error {
	if err := checkRotation(res.Session, rot); err != nil {
		return err
	}
	var err error
	switch {
	case rot.Issue != nil:
		res.Issued, res.Session, err = issueTx(ctx, tx, res.Presented, rot)
		return err
	case rot.Revoke != nil:
		if res.Revoked, err = revokeSessionsTx(ctx, tx, res.Session.UserID, *rot.Revoke); err != nil {
			return err
		}
		res.Session, err = sessionFrom(ctx, tx, res.Session.ID)
		return err
	}
	return nil // refused: nothing to write
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
// current, and touches the session, in one round trip (a batch: the server
// stops at the first error, which rolls everything back). It returns the
// token and the session as stored.
func issueTx(ctx context.Context, tx pgx.Tx, old signet.RefreshToken, rot signet.Rotation) (*signet.RefreshToken, signet.Session, error) {
	b, err := issueBatch(old, rot)
	if err != nil {
		return nil, signet.Session{}, err
	}
	return sendIssue(ctx, tx, b, !old.Rotated(), false)
}

// issueBatch returns the statements of issueTx: the new token's INSERT, the
// presented token's UPDATE if it was current, the session's UPDATE.
func issueBatch(old signet.RefreshToken, rot signet.Rotation) (*pgx.Batch, error) {
	t := *rot.Issue
	t.SessionID, t.ClientID, t.Parent = old.SessionID, old.ClientID, old.Hash
	t.RotatedAt, t.ReplacedBy = time.Time{}, nil // a new token is current
	if err := t.Validate(); err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO refresh_tokens (`+tokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)
		RETURNING `+tokenColumns, t.Hash, t.SessionID, t.ClientID, t.Parent, t.CreatedAt, t.ExpiresAt)
	if !old.Rotated() {
		b.Queue(`UPDATE refresh_tokens SET rotated_at = $1, replaced_by = $2 WHERE hash = $3`,
			rot.At, t.Hash, old.Hash)
	}
	b.Queue(`UPDATE sessions SET last_used_at = $1, idle_expires_at = COALESCE($2, idle_expires_at)
		WHERE id = $3 RETURNING `+sessionColumns, rot.At, nullTime(rot.IdleExpiresAt), old.SessionID)
	return b, nil
}

// batcher is a transaction or a connection.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// sendIssue runs issueBatch's batch on db and reads its results in order;
// commits says that a COMMIT was queued after them.
func sendIssue(ctx context.Context, db batcher, b *pgx.Batch, marks, commits bool) (*signet.RefreshToken, signet.Session, error) {
	br := db.SendBatch(ctx, b)
	defer br.Close()
	stored, err := scanToken(br.QueryRow())
	if err != nil {
		return nil, signet.Session{}, translate(err, "refresh token")
	}
	if marks {
		if _, err := br.Exec(); err != nil {
			return nil, signet.Session{}, translate(err, "refresh token")
		}
	}
	sess, err := scanSession(br.QueryRow())
	if err != nil {
		return nil, signet.Session{}, translate(err, "session")
	}
	if commits {
		if _, err := br.Exec(); err != nil {
			return nil, signet.Session{}, fmt.Errorf("postgres: commit: %w", err)
		}
	}
	if err := br.Close(); err != nil {
		return nil, signet.Session{}, translate(err, "session")
	}
	return &stored, sess, nil
}
