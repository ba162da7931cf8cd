package postgres

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

var (
	_ signet.Exporter = (*Store)(nil)
	_ signet.Importer = (*Store)(nil)
)

// bookkeeping are the tables of the schema that are not data: each database
// keeps its own record of migrations, and the revocation counter's value
// travels as Batch.RevocationLatest.
var bookkeeping = []string{"schema_migrations", "revocation_cursor"}

// exporters reads each table of signet.CopyTables; a table added to the
// schema gets an entry here and in importers.
var exporters = map[string]func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error{
	"users": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+userColumns+` FROM users ORDER BY id`, scanUser,
			func(b []signet.User) error { return emit(signet.Batch{Users: b}) })
	},
	"clients": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+clientColumns+` FROM clients ORDER BY id`, scanClient,
			func(b []signet.Client) error { return emit(signet.Batch{Clients: b}) })
	},
	"auth_codes": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+codeColumns+` FROM auth_codes ORDER BY hash`, scanCode,
			func(b []signet.AuthCode) error { return emit(signet.Batch{AuthCodes: b}) })
	},
	"consents": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+consentColumns+` FROM consents ORDER BY user_id, client_id`, scanConsent,
			func(b []signet.Consent) error { return emit(signet.Batch{Consents: b}) })
	},
	"browser_sessions": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+browserColumns+` FROM browser_sessions ORDER BY hash`, scanBrowser,
			func(b []signet.BrowserSession) error { return emit(signet.Batch{BrowserSessions: b}) })
	},
	"sessions": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+sessionColumns+` FROM sessions ORDER BY id`, scanSession,
			func(b []signet.Session) error { return emit(signet.Batch{Sessions: b}) })
	},
	"refresh_tokens": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+tokenColumns+` FROM refresh_tokens ORDER BY hash`, scanToken,
			func(b []signet.RefreshToken) error { return emit(signet.Batch{RefreshTokens: b}) })
	},
	"signing_keys": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+keyColumns+` FROM signing_keys ORDER BY kid`, scanKey,
			func(b []signet.SigningKey) error { return emit(signet.Batch{Keys: b}) })
	},
	"revocations": exportRevocations,
	"throttles": func(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
		return exportRows(ctx, tx, `SELECT `+throttleColumns+` FROM throttles ORDER BY scope, throttle_key`, scanThrottle,
			func(b []signet.Throttle) error { return emit(signet.Batch{Throttles: b}) })
	},
}

// Export implements signet.Exporter, in one read-only REPEATABLE READ
// transaction: every table is read from the same snapshot.
func (s *Store) Export(ctx context.Context, emit func(signet.Batch) error) error {
	return s.inSnapshot(ctx, func(tx pgx.Tx) error {
		if err := checkCopyTables(ctx, tx); err != nil {
			return err
		}
		for _, table := range signet.CopyTables {
			if err := exporters[table](ctx, tx, emit); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkCopyTables refuses a schema holding a data table the copy does not
// know, and a CopyTables entry this store cannot copy.
func checkCopyTables(ctx context.Context, q querier) error {
	rows, err := q.Query(ctx, `SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
	tables, err := collect(rows, err, func(r pgx.Row) (string, error) {
		var name string
		return name, r.Scan(&name)
	}, "tables")
	if err != nil {
		return err
	}
	for _, t := range tables {
		if !slices.Contains(signet.CopyTables, t) && !slices.Contains(bookkeeping, t) {
			return signet.Errorf(signet.EINVALID, "postgres: table %s is not copied: add it to signet.CopyTables and to both stores' Export and Import", t)
		}
	}
	for _, t := range signet.CopyTables {
		if exporters[t] == nil || importers[t] == nil {
			return signet.Errorf(signet.EINVALID, "postgres: this store cannot copy table %s", t)
		}
	}
	return nil
}

// exportRevocations emits the entries with the counter's value, and the
// value alone when every entry has been purged.
func exportRevocations(ctx context.Context, tx pgx.Tx, emit func(signet.Batch) error) error {
	var latest int64
	if err := tx.QueryRow(ctx, `SELECT latest FROM revocation_cursor`).Scan(&latest); err != nil {
		return translate(err, "revocation cursor")
	}
	sent := false
	err := exportRows(ctx, tx, `SELECT `+revocationColumns+` FROM revocations ORDER BY seq`, scanRevocation,
		func(b []signet.Revocation) error {
			sent = true
			return emit(signet.Batch{Revocations: b, RevocationLatest: latest})
		})
	if err != nil || sent || latest == 0 {
		return err
	}
	return emit(signet.Batch{RevocationLatest: latest})
}

// exportRows runs query and hands its rows to emit in slices of at most
// signet.CopyBatchSize. Each slice is new: emit may keep it.
func exportRows[T any](ctx context.Context, tx pgx.Tx, query string, scan func(pgx.Row) (T, error), emit func([]T) error) error {
	rows, err := tx.Query(ctx, query)
	if err != nil {
		return translate(err, "export")
	}
	defer rows.Close()
	var batch []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return translate(err, "export")
		}
		if batch = append(batch, v); len(batch) == signet.CopyBatchSize {
			if err := emit(batch); err != nil {
				return err
			}
			batch = nil
		}
	}
	if err := rows.Err(); err != nil {
		return translate(err, "export")
	}
	if len(batch) == 0 {
		return nil
	}
	return emit(batch)
}

// splitColumns turns a column list as the *Columns constants spell it
// ("a, b,\n\tc") into names.
func splitColumns(columns string) []string {
	var out []string
	for _, c := range strings.Split(columns, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}
