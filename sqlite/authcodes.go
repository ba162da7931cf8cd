package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/signet-dev/signet"
)

const codeColumns = `hash, client_id, user_id, redirect_uri, scope, nonce, code_challenge,
	auth_time, created_at, expires_at, used_at, session_id`

func scanCode(row scanner) (signet.AuthCode, error) {
	var c signet.AuthCode
	var sid sql.NullString
	err := row.Scan(&c.Hash, &c.ClientID, &c.UserID, &c.RedirectURI, &c.Scope, &c.Nonce, &c.CodeChallenge,
		timeCol{&c.AuthTime}, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, timeCol{&c.UsedAt}, &sid)
	c.SessionID = sid.String
	return c, err
}

// CreateAuthCode implements signet.AuthCodeStore.
func (s *Store) CreateAuthCode(ctx context.Context, c signet.AuthCode) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO auth_codes (`+codeColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
			c.Hash, c.ClientID, c.UserID, c.RedirectURI, c.Scope, c.Nonce, c.CodeChallenge,
			micros(c.AuthTime), micros(c.CreatedAt), micros(c.ExpiresAt))
		return translate(err, "authorization code")
	})
}

// RedeemAuthCode implements signet.AuthCodeStore. The read-decide-write is
// one BEGIN IMMEDIATE transaction: a concurrent redemption waits for the
// lock, then finds the code used.
func (s *Store) RedeemAuthCode(ctx context.Context, hash []byte, fn signet.RedeemFunc) (signet.RedemptionResult, error) {
	var res signet.RedemptionResult
	err := s.inWrite(ctx, func(tx txn) error {
		var err error
		res.Code, err = scanCode(tx.QueryRowContext(ctx, `SELECT `+codeColumns+` FROM auth_codes WHERE hash = ?`, hash))
		if err != nil {
			return translate(err, "authorization code")
		}
		if res.User, err = userTx(ctx, tx, res.Code.UserID); err != nil {
			return err
		}
		red, err := fn(res.Code, res.User)
		if err != nil {
			return err
		}
		return applyRedemptionTx(ctx, tx, &res, red)
	})
	if err != nil {
		return signet.RedemptionResult{}, err
	}
	return res, nil
}

func applyRedemptionTx(ctx context.Context, tx txn, res *signet.RedemptionResult, red signet.Redemption) error {
	if err := red.Check(res.Code); err != nil {
		return err
	}
	switch {
	case red.Session != nil:
		return openCodeSessionTx(ctx, tx, res, red)
	case red.Revoke != nil:
		var err error
		res.Revoked, err = revokeSessionsTx(ctx, tx, res.Code.UserID, *red.Revoke)
		return err
	}
	return nil
}

// openCodeSessionTx stores the new session (and its first refresh token)
// and marks the code used.
func openCodeSessionTx(ctx context.Context, tx txn, res *signet.RedemptionResult, red signet.Redemption) error {
	sess := *red.Session
	if err := sess.Validate(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
		sess.ID, sess.UserID, sess.ClientID, sess.Scope, sess.UserAgent, micros(sess.CreatedAt),
		micros(sess.LastUsedAt), micros(sess.IdleExpiresAt), micros(sess.ExpiresAt), micros(sess.AuthTime))
	if err != nil {
		return translate(err, "session")
	}
	if red.First != nil {
		first := *red.First
		first.SessionID, first.ClientID, first.Parent = sess.ID, sess.ClientID, nil
		first.RotatedAt, first.ReplacedBy = time.Time{}, nil
		if err := first.Validate(); err != nil {
			return err
		}
		if err := insertTokenTx(ctx, tx, first); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE auth_codes SET used_at = ?, session_id = ? WHERE hash = ?`,
		micros(red.At), sess.ID, res.Code.Hash)
	if err != nil {
		return translate(err, "authorization code")
	}
	stored, err := sessionTx(ctx, tx, sess.ID)
	res.Session = &stored
	return err
}

// PurgeAuthCodes implements signet.AuthCodeStore.
func (s *Store) PurgeAuthCodes(ctx context.Context, expiredBefore time.Time) (int64, error) {
	return s.purge(ctx, `DELETE FROM auth_codes WHERE expires_at < ?`, expiredBefore, "authorization codes")
}

// purge runs one DELETE with a time argument and returns the rows deleted.
func (s *Store) purge(ctx context.Context, query string, t time.Time, what string) (int64, error) {
	var n int64
	err := s.inWrite(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, query, micros(t))
		if err != nil {
			return translate(err, what)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
