package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const sessionColumns = `id, user_id, client_id, scope, user_agent, created_at, last_used_at,
	idle_expires_at, expires_at, auth_time, revoked_at`

func scanSession(row pgx.Row) (signet.Session, error) {
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
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO sessions (`+sessionColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			sess.ID, sess.UserID, sess.ClientID, sess.Scope, sess.UserAgent,
			sess.CreatedAt, sess.LastUsedAt, sess.IdleExpiresAt,
			sess.ExpiresAt, sess.AuthTime, nullTime(sess.RevokedAt))
		if err != nil {
			return translate(err, "session")
		}
		return insertTokenTx(ctx, tx, first)
	})
}

// Session implements signet.SessionStore.
func (s *Store) Session(ctx context.Context, id string) (signet.Session, error) {
	return sessionFrom(ctx, s.pool, id)
}

func sessionFrom(ctx context.Context, q querier, id string) (signet.Session, error) {
	sess, err := scanSession(q.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id))
	return sess, translate(err, "session")
}

// ListSessions implements signet.SessionStore.
func (s *Store) ListSessions(ctx context.Context, userID string, now time.Time) ([]signet.Session, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = $1 AND revoked_at IS NULL AND idle_expires_at > $2 AND expires_at > $2
		ORDER BY created_at DESC, id`, userID, now)
	return collect(rows, err, scanSession, "sessions")
}

// RevokeSessions implements signet.SessionStore.
func (s *Store) RevokeSessions(ctx context.Context, userID string, r signet.SessionRevocation) ([]signet.Session, error) {
	var out []signet.Session
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = revokeSessionsTx(ctx, tx, userID, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PurgeSessions implements signet.SessionStore. Refresh tokens go with their
// session (ON DELETE CASCADE); a rotation waiting on a purged session's
// token then finds no token (ENOTFOUND).
func (s *Store) PurgeSessions(ctx context.Context, endedBefore time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions
		WHERE revoked_at < $1 OR idle_expires_at < $1 OR expires_at < $1`, endedBefore)
	if err != nil {
		return 0, translate(err, "sessions")
	}
	return tag.RowsAffected(), nil
}
