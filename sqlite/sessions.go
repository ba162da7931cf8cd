package sqlite

import (
	"context"
	"time"

	"github.com/signet-dev/signet"
)

const sessionColumns = `id, user_id, client_id, scope, user_agent, created_at, last_used_at,
	idle_expires_at, expires_at, auth_time, revoked_at`

func scanSession(row scanner) (signet.Session, error) {
	var s signet.Session
	err := row.Scan(&s.ID, &s.UserID, &s.ClientID, &s.Scope, &s.UserAgent,
		timeCol{&s.CreatedAt}, timeCol{&s.LastUsedAt}, timeCol{&s.IdleExpiresAt},
		timeCol{&s.ExpiresAt}, timeCol{&s.AuthTime}, timeCol{&s.RevokedAt})
	return s, err
}

// CreateSession implements signet.SessionStore.
func (s *Store) CreateSession(ctx context.Context, sess signet.Session, first signet.RefreshToken) error {
	first.SessionID, first.ClientID, first.Parent = sess.ID, sess.ClientID, nil
	if err := sess.Validate(); err != nil {
		return err
	}
	if err := first.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sess.ID, sess.UserID, sess.ClientID, sess.Scope, sess.UserAgent,
			micros(sess.CreatedAt), micros(sess.LastUsedAt), micros(sess.IdleExpiresAt),
			micros(sess.ExpiresAt), micros(sess.AuthTime), nullMicros(sess.RevokedAt))
		if err != nil {
			return translate(err, "session")
		}
		return insertTokenTx(ctx, tx, first)
	})
}

// Session implements signet.SessionStore.
func (s *Store) Session(ctx context.Context, id string) (signet.Session, error) {
	row := s.reads.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id)
	sess, err := scanSession(row)
	return sess, translate(err, "session")
}

func sessionTx(ctx context.Context, tx txn, id string) (signet.Session, error) {
	sess, err := scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id))
	return sess, translate(err, "session")
}

// ListSessions implements signet.SessionStore.
func (s *Store) ListSessions(ctx context.Context, userID string, now time.Time) ([]signet.Session, error) {
	t := micros(now)
	rows, err := s.reads.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = ? AND revoked_at IS NULL AND idle_expires_at > ? AND expires_at > ?
		ORDER BY created_at DESC, id`, userID, t, t)
	if err != nil {
		return nil, translate(err, "sessions")
	}
	return collect(rows, scanSession, "sessions")
}

// RevokeSessions implements signet.SessionStore.
func (s *Store) RevokeSessions(ctx context.Context, userID string, r signet.SessionRevocation) ([]signet.Session, error) {
	var out []signet.Session
	err := s.inWrite(ctx, func(tx txn) error {
		var err error
		out, err = revokeSessionsTx(ctx, tx, userID, r)
		return err
	})
	return out, err
}

// PurgeSessions implements signet.SessionStore. Refresh tokens go with their
// session (ON DELETE CASCADE).
func (s *Store) PurgeSessions(ctx context.Context, endedBefore time.Time) (int64, error) {
	t := micros(endedBefore)
	var n int64
	err := s.inWrite(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions
			WHERE revoked_at < ? OR idle_expires_at < ? OR expires_at < ?`, t, t, t)
		if err != nil {
			return translate(err, "sessions")
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
