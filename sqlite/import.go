package sqlite

import (
	"context"
	"strings"

	"github.com/signet-dev/signet"
)

// importers writes each table of signet.CopyTables, with one prepared
// INSERT per batch. Values are in the order of the table's *Columns
// constant.
var importers = map[string]func(ctx context.Context, tx txn, b signet.Batch) error{
	"users": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "users", userColumns, b.Users, func(u signet.User) []any {
			return []any{u.ID, u.Email, u.Name, u.PasswordHash, stringsCol{&u.Roles}, u.Disabled,
				micros(u.CreatedAt), micros(u.UpdatedAt)}
		})
	},
	"clients": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "clients", clientColumns, b.Clients, func(c signet.Client) []any { return clientArgs(&c) })
	},
	"auth_codes": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "auth_codes", codeColumns, b.AuthCodes, func(c signet.AuthCode) []any {
			var sid any
			if c.SessionID != "" {
				sid = c.SessionID
			}
			return []any{c.Hash, c.ClientID, c.UserID, c.RedirectURI, c.Scope, c.Nonce, c.CodeChallenge,
				micros(c.AuthTime), micros(c.CreatedAt), micros(c.ExpiresAt), nullMicros(c.UsedAt), sid}
		})
	},
	"consents": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "consents", consentColumns, b.Consents, func(c signet.Consent) []any {
			return []any{c.UserID, c.ClientID, stringsCol{&c.Scopes}, micros(c.CreatedAt), micros(c.UpdatedAt)}
		})
	},
	"browser_sessions": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "browser_sessions", browserColumns, b.BrowserSessions, func(s signet.BrowserSession) []any {
			return []any{s.Hash, s.UserID, micros(s.AuthTime), micros(s.CreatedAt), micros(s.ExpiresAt)}
		})
	},
	"sessions": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "sessions", sessionColumns, b.Sessions, func(s signet.Session) []any {
			return []any{s.ID, s.UserID, s.ClientID, s.Scope, s.UserAgent, micros(s.CreatedAt),
				micros(s.LastUsedAt), micros(s.IdleExpiresAt), micros(s.ExpiresAt), micros(s.AuthTime),
				nullMicros(s.RevokedAt)}
		})
	},
	"refresh_tokens": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "refresh_tokens", tokenColumns, b.RefreshTokens, func(t signet.RefreshToken) []any {
			return []any{t.Hash, t.SessionID, t.ClientID, t.Parent, micros(t.CreatedAt), micros(t.ExpiresAt),
				nullMicros(t.RotatedAt), t.ReplacedBy}
		})
	},
	"signing_keys": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "signing_keys", keyColumns, b.Keys, func(k signet.SigningKey) []any {
			return []any{k.KID, k.Algorithm, k.State, k.PublicJWK, k.EncryptedPrivate, k.MasterKeyID,
				micros(k.CreatedAt), nullMicros(k.ActivatedAt), nullMicros(k.RetiredAt), nullMicros(k.DeleteAfter)}
		})
	},
	"revocations": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "revocations", revocationColumns, b.Revocations, func(r signet.Revocation) []any {
			return []any{r.Cursor, r.Kind, r.Value, nullMicros(r.Before), micros(r.ExpiresAt), micros(r.CreatedAt)}
		})
	},
	"throttles": func(ctx context.Context, tx txn, b signet.Batch) error {
		return insertRows(ctx, tx, "throttles", throttleColumns, b.Throttles, func(t signet.Throttle) []any {
			return []any{t.Scope, t.Key, t.Failures, nullMicros(t.WindowStart), nullMicros(t.LockedUntil),
				t.Lockouts, micros(t.UpdatedAt)}
		})
	},
}

// Import implements signet.Importer, in one write transaction (BEGIN
// IMMEDIATE: no other writer in between). fill runs once.
func (s *Store) Import(ctx context.Context, fill func(put func(signet.Batch) error) error) error {
	return s.inWrite(ctx, func(tx txn) error {
		if err := checkCopyTables(ctx, tx); err != nil {
			return err
		}
		if err := checkEmpty(ctx, tx); err != nil {
			return err
		}
		var latest int64
		err := fill(func(b signet.Batch) error {
			latest = max(latest, b.RevocationLatest)
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
		return keepLatestCursor(ctx, tx, latest)
	})
}

// checkEmpty returns ECONFLICT if a data table holds a row.
func checkEmpty(ctx context.Context, tx txn) error {
	for _, table := range signet.CopyTables {
		var full bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+`)`).Scan(&full); err != nil {
			return translate(err, table)
		}
		if full {
			return signet.Errorf(signet.ECONFLICT, "sqlite: the database already holds data (table %s is not empty): copy into a new, empty file", table)
		}
	}
	return nil
}

// keepLatestCursor makes AUTOINCREMENT continue after latest, the source's
// largest cursor ever assigned, even if its entry was purged: sqlite_sequence
// already holds the largest seq inserted, so only a larger latest changes it.
func keepLatestCursor(ctx context.Context, tx txn, latest int64) error {
	if latest == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'revocations'`, latest)
	if err == nil {
		_, err = tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) SELECT 'revocations', ?
			WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'revocations')`, latest)
	}
	return translate(err, "revocation cursor")
}

// insertRows inserts recs into table with one prepared statement; columns is
// the table's column list as the *Columns constants spell it.
func insertRows[T any](ctx context.Context, tx txn, table, columns string, recs []T, row func(T) []any) error {
	if len(recs) == 0 {
		return nil
	}
	n := len(strings.Split(columns, ","))
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+columns+`) VALUES (?`+strings.Repeat(", ?", n-1)+`)`)
	if err != nil {
		return translate(err, table)
	}
	defer stmt.Close()
	for _, r := range recs {
		if _, err := stmt.ExecContext(ctx, row(r)...); err != nil {
			return translate(err, table)
		}
	}
	return nil
}
