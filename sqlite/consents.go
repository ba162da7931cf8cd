package sqlite

import (
	"context"
	"time"

	"github.com/signet-dev/signet"
)

const consentColumns = `user_id, client_id, scopes, created_at, updated_at`

func scanConsent(row scanner) (signet.Consent, error) {
	var c signet.Consent
	err := row.Scan(&c.UserID, &c.ClientID, stringsCol{&c.Scopes}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	return c, err
}

// PutConsent implements signet.ConsentStore.
func (s *Store) PutConsent(ctx context.Context, c signet.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO consents (`+consentColumns+`) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = excluded.updated_at`,
			c.UserID, c.ClientID, stringsCol{&c.Scopes}, micros(c.CreatedAt), micros(c.UpdatedAt))
		return translate(err, "consent")
	})
}

// Consent implements signet.ConsentStore.
func (s *Store) Consent(ctx context.Context, userID, clientID string) (signet.Consent, error) {
	c, err := scanConsent(s.reads.QueryRowContext(ctx, `SELECT `+consentColumns+` FROM consents
		WHERE user_id = ? AND client_id = ?`, userID, clientID))
	return c, translate(err, "consent")
}

// ListConsents implements signet.ConsentStore.
func (s *Store) ListConsents(ctx context.Context, userID string) ([]signet.Consent, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT `+consentColumns+` FROM consents
		WHERE user_id = ? ORDER BY client_id`, userID)
	if err != nil {
		return nil, translate(err, "consents")
	}
	return collect(rows, scanConsent, "consents")
}

// RevokeConsent implements signet.ConsentStore.
func (s *Store) RevokeConsent(ctx context.Context, userID, clientID string, r signet.SessionRevocation) ([]signet.Session, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var ended []signet.Session
	err := s.inWrite(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM consents WHERE user_id = ? AND client_id = ?`, userID, clientID)
		if err != nil {
			return translate(err, "consent")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return signet.Errorf(signet.ENOTFOUND, "consent not found")
		}
		ended, err = endClientSessionsTx(ctx, tx, clientID, userID, r)
		return err
	})
	return ended, err
}

const browserColumns = `hash, user_id, auth_time, created_at, expires_at`

// CreateBrowserSession implements signet.BrowserSessionStore.
func (s *Store) CreateBrowserSession(ctx context.Context, b signet.BrowserSession) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO browser_sessions (`+browserColumns+`) VALUES (?, ?, ?, ?, ?)`,
			b.Hash, b.UserID, micros(b.AuthTime), micros(b.CreatedAt), micros(b.ExpiresAt))
		return translate(err, "browser session")
	})
}

func scanBrowser(row scanner) (signet.BrowserSession, error) {
	var b signet.BrowserSession
	err := row.Scan(&b.Hash, &b.UserID, timeCol{&b.AuthTime}, timeCol{&b.CreatedAt}, timeCol{&b.ExpiresAt})
	return b, err
}

// BrowserSession implements signet.BrowserSessionStore.
func (s *Store) BrowserSession(ctx context.Context, hash []byte) (signet.BrowserSession, error) {
	b, err := scanBrowser(s.reads.QueryRowContext(ctx, `SELECT `+browserColumns+` FROM browser_sessions WHERE hash = ?`, hash))
	return b, translate(err, "browser session")
}

// DeleteBrowserSession implements signet.BrowserSessionStore.
func (s *Store) DeleteBrowserSession(ctx context.Context, hash []byte) error {
	return s.inWrite(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM browser_sessions WHERE hash = ?`, hash)
		return translate(err, "browser session")
	})
}

// DeleteUserBrowserSessions implements signet.BrowserSessionStore.
func (s *Store) DeleteUserBrowserSessions(ctx context.Context, userID string) (int64, error) {
	var n int64
	err := s.inWrite(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM browser_sessions WHERE user_id = ?`, userID)
		if err != nil {
			return translate(err, "browser sessions")
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// PurgeBrowserSessions implements signet.BrowserSessionStore.
func (s *Store) PurgeBrowserSessions(ctx context.Context, expiredBefore time.Time) (int64, error) {
	return s.purge(ctx, `DELETE FROM browser_sessions WHERE expires_at < ?`, expiredBefore, "browser sessions")
}
