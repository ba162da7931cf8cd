package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

// importers writes each table of signet.CopyTables with COPY, the fastest
// way into PostgreSQL. Columns and values are in the order of the table's
// *Columns constant.
var importers = map[string]func(ctx context.Context, tx pgx.Tx, b signet.Batch) error{
	"users": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "users", userColumns, b.Users, func(u signet.User) []any {
			return []any{u.ID, u.Email, u.Name, u.PasswordHash, list(u.Roles), u.Disabled, u.CreatedAt, u.UpdatedAt}
		})
	},
	"clients": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "clients", clientColumns, b.Clients, clientArgs)
	},
	"auth_codes": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "auth_codes", codeColumns, b.AuthCodes, func(c signet.AuthCode) []any {
			var sid any
			if c.SessionID != "" {
				sid = c.SessionID
			}
			return []any{c.Hash, c.ClientID, c.UserID, c.RedirectURI, c.Scope, c.Nonce, c.CodeChallenge,
				c.AuthTime, c.CreatedAt, c.ExpiresAt, nullTime(c.UsedAt), sid}
		})
	},
	"consents": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "consents", consentColumns, b.Consents, func(c signet.Consent) []any {
			return []any{c.UserID, c.ClientID, list(c.Scopes), c.CreatedAt, c.UpdatedAt}
		})
	},
	"browser_sessions": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "browser_sessions", browserColumns, b.BrowserSessions, func(s signet.BrowserSession) []any {
			return []any{s.Hash, s.UserID, s.AuthTime, s.CreatedAt, s.ExpiresAt}
		})
	},
	"sessions": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "sessions", sessionColumns, b.Sessions, func(s signet.Session) []any {
			return []any{s.ID, s.UserID, s.ClientID, s.Scope, s.UserAgent, s.CreatedAt, s.LastUsedAt,
				s.IdleExpiresAt, s.ExpiresAt, s.AuthTime, nullTime(s.RevokedAt)}
		})
	},
	"refresh_tokens": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "refresh_tokens", tokenColumns, b.RefreshTokens, func(t signet.RefreshToken) []any {
			return []any{t.Hash, t.SessionID, t.ClientID, t.Parent, t.CreatedAt, t.ExpiresAt,
				nullTime(t.RotatedAt), t.ReplacedBy}
		})
	},
	"signing_keys": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "signing_keys", keyColumns, b.Keys, func(k signet.SigningKey) []any {
			return []any{k.KID, k.Algorithm, k.State, k.PublicJWK, k.EncryptedPrivate, k.MasterKeyID,
				k.CreatedAt, nullTime(k.ActivatedAt), nullTime(k.RetiredAt), nullTime(k.DeleteAfter)}
		})
	},
	"revocations": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "revocations", revocationColumns, b.Revocations, func(r signet.Revocation) []any {
			return []any{r.Cursor, r.Kind, r.Value, nullTime(r.Before), r.ExpiresAt, r.CreatedAt}
		})
	},
	"throttles": func(ctx context.Context, tx pgx.Tx, b signet.Batch) error {
		return copyRows(ctx, tx, "throttles", throttleColumns, b.Throttles, func(t signet.Throttle) []any {
			return []any{t.Scope, t.Key, t.Failures, nullTime(t.WindowStart), nullTime(t.LockedUntil),
				t.Lockouts, t.UpdatedAt}
		})
	},
}

// Import implements signet.Importer. The transaction first locks every data
// table against writers (EXCLUSIVE: reads go on), so nothing can be written
// between the check that the database is empty and the commit. fill runs
// once: a failure is returned, never retried, since the source it reads
// cannot be read again.
func (s *Store) Import(ctx context.Context, fill func(put func(signet.Batch) error) error) error {
	return s.tryTx(ctx, writeTx, func(tx pgx.Tx) error {
		if err := checkCopyTables(ctx, tx); err != nil {
			return err
		}
		if err := lockEmpty(ctx, tx); err != nil {
			return err
		}
		var latest int64
		err := fill(func(b signet.Batch) error {
			latest = max(latest, b.RevocationLatest)
			for _, r := range b.Revocations {
				latest = max(latest, r.Cursor)
			}
			for _, table := range signet.CopyTables {
				if err := importers[table](ctx, tx, b); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE revocation_cursor SET latest = GREATEST(latest, $1)`, latest)
		return translate(err, "revocation cursor")
	})
}

// lockEmpty locks the data tables and returns ECONFLICT if one holds a row.
func lockEmpty(ctx context.Context, tx pgx.Tx) error {
	for _, table := range signet.CopyTables {
		name := pgx.Identifier{table}.Sanitize()
		if _, err := tx.Exec(ctx, `LOCK TABLE `+name+` IN EXCLUSIVE MODE`); err != nil {
			return translate(err, table)
		}
		var full bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+name+`)`).Scan(&full); err != nil {
			return translate(err, table)
		}
		if full {
			return signet.Errorf(signet.ECONFLICT, "postgres: the database already holds data (table %s is not empty): copy into a new, empty database", table)
		}
	}
	return nil
}

// copyRows writes recs into table with COPY; columns is the table's column
// list as the *Columns constants spell it, and row gives a record's values
// in that order.
func copyRows[T any](ctx context.Context, tx pgx.Tx, table, columns string, recs []T, row func(T) []any) error {
	if len(recs) == 0 {
		return nil
	}
	cols := splitColumns(columns)
	_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(len(recs), func(i int) ([]any, error) {
		vals := row(recs[i])
		if len(vals) != len(cols) {
			return nil, fmt.Errorf("postgres: import %s: %d values for %d columns", table, len(vals), len(cols))
		}
		return vals, nil
	}))
	return translate(err, table)
}
