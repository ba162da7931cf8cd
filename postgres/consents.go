package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const consentColumns = `user_id, client_id, scopes, created_at, updated_at`

func scanConsent(row pgx.Row) (signet.Consent, error) {
	var c signet.Consent
	err := row.Scan(&c.UserID, &c.ClientID, &c.Scopes, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	c.Scopes = nilIfEmpty(c.Scopes)
	return c, err
}

// PutConsent implements signet.ConsentStore.
func (s *Store) PutConsent(ctx context.Context, c signet.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO consents (`+consentColumns+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = excluded.updated_at`,
		c.UserID, c.ClientID, list(c.Scopes), c.CreatedAt, c.UpdatedAt)
	return translate(err, "consent")
}

// Consent implements signet.ConsentStore.
func (s *Store) Consent(ctx context.Context, userID, clientID string) (signet.Consent, error) {
	c, err := scanConsent(s.pool.QueryRow(ctx, `SELECT `+consentColumns+` FROM consents
		WHERE user_id = $1 AND client_id = $2`, userID, clientID))
	return c, translate(err, "consent")
}

// ListConsents implements signet.ConsentStore.
func (s *Store) ListConsents(ctx context.Context, userID string) ([]signet.Consent, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+consentColumns+` FROM consents
		WHERE user_id = $1 ORDER BY client_id`, userID)
	return collect(rows, err, scanConsent, "consents")
}

// RevokeConsent implements signet.ConsentStore.
func (s *Store) RevokeConsent(ctx context.Context, userID, clientID string, r signet.SessionRevocation) ([]signet.Session, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var ended []signet.Session
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM consents WHERE user_id = $1 AND client_id = $2`, userID, clientID)
		if err != nil {
			return translate(err, "consent")
		}
		if tag.RowsAffected() == 0 {
			return signet.Errorf(signet.ENOTFOUND, "consent not found")
		}
		ended, err = endClientSessionsTx(ctx, tx, clientID, userID, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ended, nil
}

const browserColumns = `hash, user_id, auth_time, created_at, expires_at`

// CreateBrowserSession implements signet.BrowserSessionStore.
func (s *Store) CreateBrowserSession(ctx context.Context, b signet.BrowserSession) error {
	if err := b.Validate(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO browser_sessions (`+browserColumns+`) VALUES ($1, $2, $3, $4, $5)`,
		b.Hash, b.UserID, b.AuthTime, b.CreatedAt, b.ExpiresAt)
	return translate(err, "browser session")
}

func scanBrowser(row pgx.Row) (signet.BrowserSession, error) {
	var b signet.BrowserSession
	err := row.Scan(&b.Hash, &b.UserID, timeCol{&b.AuthTime}, timeCol{&b.CreatedAt}, timeCol{&b.ExpiresAt})
	return b, err
}

// BrowserSession implements signet.BrowserSessionStore.
func (s *Store) BrowserSession(ctx context.Context, hash []byte) (signet.BrowserSession, error) {
	b, err := scanBrowser(s.pool.QueryRow(ctx, `SELECT `+browserColumns+` FROM browser_sessions WHERE hash = $1`, hash))
	return b, translate(err, "browser session")
}

// DeleteBrowserSession implements signet.BrowserSessionStore.
func (s *Store) DeleteBrowserSession(ctx context.Context, hash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM browser_sessions WHERE hash = $1`, hash)
	return translate(err, "browser session")
}

// DeleteUserBrowserSessions implements signet.BrowserSessionStore.
func (s *Store) DeleteUserBrowserSessions(ctx context.Context, userID string) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM browser_sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, translate(err, "browser sessions")
	}
	return tag.RowsAffected(), nil
}

// PurgeBrowserSessions implements signet.BrowserSessionStore.
func (s *Store) PurgeBrowserSessions(ctx context.Context, expiredBefore time.Time) (int64, error) {
	return s.purge(ctx, `DELETE FROM browser_sessions WHERE expires_at < $1`, expiredBefore, "browser sessions")
}
