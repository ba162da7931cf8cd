// Package postgres is signet's scale-out store: a signet.Store in a
// PostgreSQL database (tested on PostgreSQL 15), through github.com/jackc/pgx/v5
// and its pool. It is the only package that imports the driver. Any number
// of signet instances may share one database; docs/postgres.md says how to
// run it.
//
// # Transactions and locks
//
// Every write that touches more than one row runs in one transaction, at READ
// COMMITTED, set explicitly. The read-decide-write methods lock what they
// read before calling back: UpdateUser locks the user's row (FOR UPDATE),
// RotateRefreshToken the token's and its session's rows in one statement
// (FOR NO KEY UPDATE, token first), UpdateThrottle the throttle's row (made
// first if absent), UpdateKeys and CreateKey the signing_keys table (SHARE
// ROW EXCLUSIVE: writers queue, readers do not wait). Concurrent calls on the
// same record, from any connection of any instance, so apply one after the
// other, each seeing the previous one's result. A transaction that fails
// with a serialization failure (40001) or a deadlock (40P01) is run again,
// a bounded number of times (Options.MaxRetries): its callback may then be
// called again, and its last result is the one applied. RotateRefreshToken,
// the hot path, pipelines its statements: two round trips instead of four.
//
// # Revocation cursors
//
// A follower of the revocation feed resumes after the last cursor it saw,
// so an entry must never become visible after an entry with a larger cursor.
// A sequence (bigserial) cannot promise that: it hands out values when rows
// are inserted, not when their transactions commit. If transaction A takes
// 5 and B takes 6, and B commits first, a follower can read 6, move its
// cursor there, and never see 5.
//
// So cursors come from a counter: the one row of revocation_cursor, which
// every transaction that writes entries updates (latest = latest + n) just
// before inserting them. The update locks the row until the transaction
// ends; the next writer waits for it, then reads the committed value. Writers
// of entries therefore commit one after the other in cursor order, and a
// transaction's commit is visible before the next writer gets the lock, so
// any snapshot that sees cursor c sees every cursor below c. Cursors have no
// gaps (a rolled-back writer rolls back its increment), and purges never
// lower the counter, so cursors are never reused. The price is that entry
// writers serialise on one row, for the end of their transactions only
// (taking the counter is the last thing they do); revocations are rare
// next to logins and refreshes.
//
// # Notifications
//
// The transaction that writes entries also runs pg_notify on
// RevocationChannel, with the latest cursor it assigned as the payload.
// PostgreSQL delivers it at commit, to every listener of the database.
// SubscribeRevocations (signet.RevocationNotifier) turns that into a wake-up
// channel, so an instance can read new entries as soon as another instance
// commits them, instead of at its next poll. Changes of the signing keys
// notify KeyChannel the same way (SubscribeKeys, signet.KeyNotifier), so
// every instance reloads the keys another one rotated. A notification is
// only a hint: the tables are the truth, and the channels also fire after
// every reconnection so the caller catches up.
//
// # Copies
//
// Export and Import (signet.Exporter, signet.Importer) copy a whole
// database into an empty one, for `signet migrate --from … --to …`: one
// snapshot in, one transaction (with COPY) out, every field kept.
//
// # Schema
//
// Migrations are numbered SQL files embedded in the binary
// (migrations/NNNN_name.sql). Migrate (and Open, unless
// Options.SkipMigrations) applies the pending ones in one transaction that
// first takes a transaction-level advisory lock, and records them in
// schema_migrations; instances starting together wait for one another, and
// a database migrated by a newer binary is refused. Times are timestamptz
// (microseconds); a zero time.Time is NULL in nullable columns. Key columns
// use the "C" collation, so ordering is byte order whatever the database's
// locale. Driver errors are translated at this package's edge by SQLSTATE
// code into signet's error codes, never by message text.
package postgres
