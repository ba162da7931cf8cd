package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/signet-dev/signet"
)

// Options tunes a Store. The zero value is the documented default.
type Options struct {
	// MaxConns is the size of the connection pool. Zero keeps the DSN's
	// pool_max_conns, or, when the DSN has none, four connections per CPU,
	// at least 8 and at most 16 (defaultMaxConns). See docs/postgres.md for
	// sizing.
	MaxConns int32
	// MaxRetries is how many times a write transaction that failed with a
	// serialization failure (SQLSTATE 40001) or a deadlock (40P01) is run
	// again before its error is returned. Zero means 5; a negative value
	// disables retries.
	MaxRetries int
	// SkipMigrations makes Open check that the schema is exactly this
	// program's version instead of migrating it (for deployments that run
	// Migrate, `signet migrate`, as a separate step).
	SkipMigrations bool
	// ListenCheck is how long a listener (SubscribeRevocations, SubscribeKeys) stays idle before it
	// pings its connection, so a connection that died silently (a dropped
	// network, a failover) is found and replaced. Zero means 15 s.
	ListenCheck time.Duration
	// Logger receives the listeners' reports of lost and
	// regained connections. Nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = 5
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.ListenCheck <= 0 {
		o.ListenCheck = 15 * time.Second
	}
	return o
}

// Store is a signet.Store in a PostgreSQL database. It is safe for
// concurrent use by many goroutines, and many Stores (many processes) may
// share one database: every read-decide-write takes row locks, so they
// serialise on the rows they touch.
type Store struct {
	pool *pgxpool.Pool
	opts Options

	// closing is cancelled by Close; it ends every listener (SubscribeRevocations, SubscribeKeys).
	closing context.Context
	stop    context.CancelFunc
	wg      sync.WaitGroup // the listeners' goroutines
}

var _ signet.Store = (*Store)(nil)

// Open connects to the database named by dsn (a postgres:// URL or a
// keyword/value string, as libpq and pgx accept them) and, unless
// opts.SkipMigrations is set, applies the pending migrations under an
// advisory lock, so several instances may start at once. The caller closes
// the Store. A malformed dsn returns an EINVALID error; a database whose
// schema is newer than this program's is refused.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error goes after the *signet.Error, whose message alone
		// may reach a client: pgx redacts the password only on a best-effort
		// basis.
		return nil, fmt.Errorf("%w: %w", signet.Errorf(signet.EINVALID, "postgres: the database URL is malformed"), err)
	}
	opts = opts.withDefaults()
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = opts.MaxConns
	case !setsPoolSize(dsn):
		cfg.MaxConns = defaultMaxConns()
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "signet"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if opts.SkipMigrations {
		err = checkVersion(ctx, pool)
	} else {
		_, _, err = migrate(ctx, pool)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool, opts: opts}
	s.closing, s.stop = context.WithCancel(context.Background())
	return s, nil
}

// defaultMaxConns is the pool size when neither Options nor the DSN give
// one: four connections per CPU, between 8 and 16. A commit waits for its
// WAL flush, and commits waiting together share one flush, so pgxpool's own
// default (one connection per CPU, at least 4) leaves refreshes waiting on
// the disk with CPUs idle: on two cores, 8 connections rotated refresh
// tokens 1.5 times as fast as 4 (docs/benchmarks.md). The cap keeps several
// instances within PostgreSQL's default max_connections (100).
func defaultMaxConns() int32 { return int32(min(16, max(8, 4*runtime.NumCPU()))) }

// setsPoolSize reports whether dsn, a URL or keyword/value pairs, names
// pool_max_conns.
func setsPoolSize(dsn string) bool {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		return u.Query().Has("pool_max_conns")
	}
	for _, f := range strings.Fields(dsn) {
		if strings.HasPrefix(f, "pool_max_conns=") {
			return true
		}
	}
	return false
}

// Ping checks that the database answers and accepts writes: a standby
// (after a failover that left this instance on a replica) fails it.
func (s *Store) Ping(ctx context.Context) error {
	var standby bool
	if err := s.pool.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	if standby {
		return errors.New("postgres: ping: the database is a read-only standby")
	}
	return nil
}

// Close ends the listeners, waits for them, and closes the pool.
func (s *Store) Close() error {
	s.stop()
	s.wg.Wait()
	s.pool.Close()
	return nil
}
