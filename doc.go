// Package signet is the domain of the signet authentication server: the
// vocabulary every other package speaks (users, sessions, refresh tokens,
// signing keys, revocation entries, login throttles), the errors they share,
// and the storage interfaces the domain owns.
//
// The package holds no SQL and no HTTP. Each outside dependency has a package
// of its own that imports this one: sqlite/ (and later postgres/) implement
// [Store] and pass the conformance suite in storetest/; the logic packages
// (password, keys, token, account, oauth2) decide, and the store applies their
// decisions atomically.
//
// # Time
//
// A store never reads a clock. Every time it records or compares comes from
// the caller, so one injected clock in the logic governs expiry everywhere and
// tests never sleep. Stores keep times in UTC to the microsecond (the
// resolution of PostgreSQL's timestamptz), so a time read back equals the one
// written once truncated with [Truncate].
//
// # Atomic changes
//
// Every change that touches more than one record is one store method run in
// one transaction: creating a session with its first refresh token, rotating
// a refresh token, revoking sessions together with their revocation-feed
// entries, changing a password while ending the other sessions. Methods that
// read, decide and write take a callback (as in dex's UpdateX), which the store
// runs under its write lock. Such a callback must be quick and must not block
// (no password hashing, no network calls), and must not call the store: the
// SQLite store has one write connection, and the callback is holding it.
package signet
