// Package sqlite is signet's embedded store: a signet.Store kept in one
// SQLite file, through the pure-Go driver modernc.org/sqlite (no cgo). It is
// the only package that imports the driver.
//
// # Connections
//
// A Store holds two pools on the same file. Every write transaction runs on
// the write pool, which has exactly one connection and begins its
// transactions with BEGIN IMMEDIATE: writers of this process queue in Go for
// that connection instead of failing with SQLITE_BUSY, and a read-decide-write
// (a refresh-token rotation) holds the write lock from its first read, so two
// rotations of one token are applied one after the other. BEGIN IMMEDIATE and
// busy_timeout also cover a second process on the same file (an admin
// command): it waits for the lock rather than failing. Reads run on the read
// pool, whose connections are query-only; in WAL mode they never wait for the
// writer.
//
// # Durability
//
// The journal is WAL. By default synchronous=NORMAL: a commit survives a crash
// of the process (SIGKILL) but the last commits before a power loss or kernel
// crash may be lost; the database is never corrupted either way.
// Options.Durable sets synchronous=FULL, which syncs the WAL on every commit
// so a commit survives power loss too, at the price of one fsync per write.
//
// # Schema
//
// Migrations are numbered SQL files embedded in the binary
// (migrations/NNNN_name.sql). Open applies the pending ones in one
// transaction and records them in schema_migrations; opening a migrated file
// again changes nothing, and a file migrated by a newer binary is refused.
//
// Times are stored as INTEGER microseconds since the Unix epoch, UTC; a zero
// time.Time is NULL. Driver errors are translated at this package's edge by
// SQLite result code into signet's error codes.
package sqlite
