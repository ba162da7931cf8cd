package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const codeColumns = `hash, client_id, user_id, redirect_uri, scope, nonce, code_challenge,
	auth_time, created_at, expires_at, used_at, session_id`

func scanCode(row pgx.Row) (signet.AuthCode, error) {
	var c signet.AuthCode
	var sid *string
	err := row.Scan(&c.Hash, &c.ClientID, &c.UserID, &c.RedirectURI, &c.Scope, &c.Nonce, &c.CodeChallenge,
		timeCol{&c.AuthTime}, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, timeCol{&c.UsedAt}, &sid)
	if sid != nil {
		c.SessionID = *sid
	}
	return c, err
}

// CreateAuthCode implements signet.AuthCodeStore.
func (s *Store) CreateAuthCode(ctx context.Context, c signet.AuthCode) error {
	if err := c.Validate(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO auth_codes (`+codeColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL)`,
		c.Hash, c.ClientID, c.UserID, c.RedirectURI, c.Scope, c.Nonce, c.CodeChallenge,
		c.AuthTime, c.CreatedAt, c.ExpiresAt)
	return translate(err, "authorization code")
}

// RedeemAuthCode implements signet.AuthCodeStore. The code's row is locked
// (FOR UPDATE) before fn sees it: a concurrent redemption of the same code,
// on any instance, waits, then reads it used. fn may run again if the
// transaction is retried after a deadlock.
func (s *Store) RedeemAuthCode(ctx context.Context, hash []byte, fn signet.RedeemFunc) (signet.RedemptionResult, error) {
	var res signet.RedemptionResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		res = signet.RedemptionResult{}
		var err error
		res.Code, err = scanCode(tx.QueryRow(ctx, `SELECT `+codeColumns+` FROM auth_codes WHERE hash = $1 FOR UPDATE`, hash))
		if err != nil {
			return translate(err, "authorization code")
		}
		if res.User, err = userFrom(ctx, tx, res.Code.UserID, ""); err != nil {
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

func applyRedemptionTx(ctx context.Context, tx pgx.Tx, res *signet.RedemptionResult, red signet.Redemption) error {
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
func openCodeSessionTx(ctx context.Context, tx pgx.Tx, res *signet.RedemptionResult, red signet.Redemption) error {
	sess := *red.Session
	if err := sess.Validate(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)`,
		sess.ID, sess.UserID, sess.ClientID, sess.Scope, sess.UserAgent, sess.CreatedAt,
		sess.LastUsedAt, sess.IdleExpiresAt, sess.ExpiresAt, sess.AuthTime)
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
	_, err = tx.Exec(ctx, `UPDATE auth_codes SET used_at = $1, session_id = $2 WHERE hash = $3`,
		red.At, sess.ID, res.Code.Hash)
	if err != nil {
		return translate(err, "authorization code")
	}
	stored, err := sessionFrom(ctx, tx, sess.ID)
	res.Session = &stored
	return err
}

// PurgeAuthCodes implements signet.AuthCodeStore.
func (s *Store) PurgeAuthCodes(ctx context.Context, expiredBefore time.Time) (int64, error) {
	return s.purge(ctx, `DELETE FROM auth_codes WHERE expires_at < $1`, expiredBefore, "authorization codes")
}

// purge runs one DELETE with a time argument and returns the rows deleted.
func (s *Store) purge(ctx context.Context, query string, t time.Time, what string) (int64, error) {
	tag, err := s.pool.Exec(ctx, query, t)
	if err != nil {
		return 0, translate(err, what)
	}
	return tag.RowsAffected(), nil
}
