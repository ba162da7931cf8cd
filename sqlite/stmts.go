package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxPrepared bounds each pool's statement cache. signet's SQL texts are
// constants, a few dozen in all; the bound only guards against a future
// query whose text varies.
const maxPrepared = 256

// stmts caches the prepared statements of one pool, by SQL text, so that
// SQLite parses and plans each statement once per connection instead of on
// every call (the parser was a fifth of a refresh's CPU before).
//
// A statement first met inside a transaction runs unprepared and is
// prepared after the transaction ends: preparing on the pool needs a
// connection, and the write pool's only one is the transaction's. database/sql
// then prepares it on each connection of the pool as needed and reuses it
// in transactions on that connection (Tx.StmtContext).
//
// mu guards pending; ready is read without it.
type stmts struct {
	db    *sql.DB
	ready sync.Map // SQL text -> *sql.Stmt

	mu      sync.Mutex
	pending map[string]struct{}
	count   int // statements in ready, under mu
}

func newStmts(db *sql.DB) *stmts { return &stmts{db: db, pending: map[string]struct{}{}} }

// get returns the prepared statement of q, or nil (noting q to prepare).
func (c *stmts) get(q string) *sql.Stmt {
	if st, ok := c.ready.Load(q); ok {
		return st.(*sql.Stmt)
	}
	c.mu.Lock()
	if c.count+len(c.pending) < maxPrepared {
		c.pending[q] = struct{}{}
	}
	c.mu.Unlock()
	return nil
}

// preparePending prepares the statements noted by get. It must be called
// while the caller holds no connection of the pool, and it holds no lock
// while it waits for one: a transaction on that connection may be noting a
// statement meanwhile. A statement that fails to prepare is left
// unprepared: it runs as text, and reports its own error there.
func (c *stmts) preparePending(ctx context.Context) {
	c.mu.Lock()
	todo := make([]string, 0, len(c.pending))
	for q := range c.pending {
		todo = append(todo, q)
		delete(c.pending, q)
	}
	c.mu.Unlock()
	for _, q := range todo {
		if _, ok := c.ready.Load(q); ok {
			continue
		}
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		if _, loaded := c.ready.LoadOrStore(q, st); loaded {
			st.Close() // another caller prepared it meanwhile
			continue
		}
		c.mu.Lock()
		c.count++
		c.mu.Unlock()
	}
}

func (c *stmts) hasPending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending) > 0
}

// close closes every prepared statement.
func (c *stmts) close() {
	c.ready.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}

// pool runs statements on a pool (outside a transaction), prepared.
type pool struct {
	*sql.DB
	st *stmts
}

func (p pool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := p.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, q, args...)
}

func (p pool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := p.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, q, args...)
}

// prepared returns q prepared, preparing it now if it is new: outside a
// transaction the caller holds no connection.
func (p pool) prepared(ctx context.Context, q string) *sql.Stmt {
	if st := p.st.get(q); st != nil {
		return st
	}
	p.st.preparePending(ctx)
	return p.st.get(q)
}

// txn is a transaction whose statements use the pool's prepared ones.
type txn struct {
	*sql.Tx
	st *stmts
}

func (t txn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.st.get(q); st != nil {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, q, args...)
}

func (t txn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.st.get(q); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, q, args...)
}

func (t txn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.st.get(q); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, q, args...)
}
