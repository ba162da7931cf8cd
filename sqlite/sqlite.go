package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/signet-dev/signet"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Options tunes a Store. The zero value is the documented default.
type Options struct {
	// Durable sets synchronous=FULL: every commit is synced to disk and
	// survives a power loss. The default, synchronous=NORMAL in WAL mode,
	// survives a process crash but may lose the last commits on power loss.
	Durable bool
	// BusyTimeout is how long a connection waits for a lock held by another
	// process before failing. Default 5 s.
	BusyTimeout time.Duration
	// MaxReaders is the number of read connections. Default 4.
	MaxReaders int
	// CacheKiB bounds the page cache of each connection, in KiB (SQLite's
	// cache_size). Default 1024: with the default pools the caches hold at
	// most about 5 MiB plus SQLite's per-page overhead, so the server's
	// memory levels off instead of growing with the database.
	CacheKiB int
}

// DefaultCacheKiB is the default of Options.CacheKiB.
const DefaultCacheKiB = 1024

func (o Options) withDefaults() Options {
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.MaxReaders <= 0 {
		o.MaxReaders = 4
	}
	if o.CacheKiB <= 0 {
		o.CacheKiB = DefaultCacheKiB
	}
	return o
}

// Store is a signet.Store in one SQLite file. It is safe for concurrent use.
type Store struct {
	write  *sql.DB // one connection: every write transaction, BEGIN IMMEDIATE
	read   *sql.DB // query-only connections for reads outside a write
	wstmts *stmts  // prepared statements of write
	reads  pool    // read, with its prepared statements
}

var _ signet.Store = (*Store)(nil)

// Open opens (creating it if needed, with mode 0600, since it holds password
// hashes and encrypted keys) the SQLite database at path and applies pending
// migrations. The caller closes the Store. path is a file name: ":memory:",
// "file:" URIs and names containing '?' are refused, because a Store needs
// two pools on one file.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	s := &Store{}
	var err error
	if s.write, err = openPool(path, opts, false); err != nil {
		return nil, err
	}
	if err = migrate(ctx, s.write); err != nil {
		s.write.Close()
		return nil, err
	}
	if s.read, err = openPool(path, opts, true); err != nil {
		s.write.Close()
		return nil, err
	}
	s.wstmts = newStmts(s.write)
	s.reads = pool{DB: s.read, st: newStmts(s.read)}
	return s, nil
}

func checkPath(path string) error {
	switch {
	case path == "" || path == ":memory:":
		return signet.Errorf(signet.EINVALID, "sqlite: a database file name is required")
	case strings.HasPrefix(path, "file:") || strings.ContainsRune(path, '?'):
		return signet.Errorf(signet.EINVALID, "sqlite: the database path must be a plain file name")
	}
	return nil
}

// createPrivate creates the database file with mode 0600 if it does not exist
// yet. SQLite gives the -wal and -shm files the mode of the database file.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return f.Close()
}

// openPool opens one of the two pools. Pragmas go in the DSN so that every
// connection the pool opens gets them.
func openPool(path string, opts Options, readOnly bool) (*sql.DB, error) {
	sync := "NORMAL"
	if opts.Durable {
		sync = "FULL"
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", opts.CacheKiB))
	q.Add("_pragma", "synchronous("+sync+")")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := opts.MaxReaders
	if !readOnly {
		n = 1
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
	return db, nil
}

// Ping checks that both pools can reach the database.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	s.wstmts.close()
	s.reads.st.close()
	return errors.Join(s.read.Close(), s.write.Close())
}

// inWrite runs fn in a write transaction (BEGIN IMMEDIATE on the one write
// connection) and commits if fn returns nil. fn's error is returned as it is.
// fn must not use the Store's methods: the write connection is taken.
// Statements fn ran for the first time are prepared afterwards.
func (s *Store) inWrite(ctx context.Context, fn func(txn) error) error {
	err := s.runWrite(ctx, fn)
	if s.wstmts.hasPending() {
		s.wstmts.preparePending(context.WithoutCancel(ctx))
	}
	return err
}

func (s *Store) runWrite(ctx context.Context, fn func(txn) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(txn{Tx: tx, st: s.wstmts}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// inRead runs fn in a read transaction, so that its queries see one snapshot.
func (s *Store) inRead(ctx context.Context, fn func(txn) error) error {
	err := s.runRead(ctx, fn)
	if s.reads.st.hasPending() {
		s.reads.st.preparePending(context.WithoutCancel(ctx))
	}
	return err
}

func (s *Store) runRead(ctx context.Context, fn func(txn) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback()
	return fn(txn{Tx: tx, st: s.reads.st})
}
