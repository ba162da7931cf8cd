package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/signet-dev/signet"
)

// errNeedsTx stops the pipelined rotation when fn's answer is to revoke the
// session: that rare path runs as a plain transaction (rotateInTx).
var errNeedsTx = errors.New("postgres: rotation needs a transaction")

// rotatePipelined is the common case of RotateRefreshToken, a refresh, in
// two round trips instead of four: BEGIN goes in one pipeline with the
// locking read, and the writes in one with COMMIT. It is the same
// transaction as rotateInTx (READ COMMITTED, the same statements and
// locks), sent with fewer waits; the rows stay locked for less time. An
// answer that refuses the token rolls back; one that revokes rolls back and
// returns errNeedsTx. A failure anywhere rolls back (or, if the connection
// cannot, drops it: the pool never gets back a connection inside a
// transaction).
func (s *Store) rotatePipelined(ctx context.Context, hash []byte, fn signet.RotateFunc) (signet.RotationResult, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return signet.RotationResult{}, translate(err, "connection")
	}
	defer conn.Release()
	res, err := beginAndRead(ctx, conn, hash)
	if err != nil {
		return signet.RotationResult{}, rollback(ctx, conn, err)
	}
	rot, err := fn(res.Presented, res.Session, res.User)
	if err == nil {
		err = checkRotation(res.Session, rot)
	}
	switch {
	case err != nil:
		return signet.RotationResult{}, rollback(ctx, conn, err)
	case rot.Revoke != nil:
		return signet.RotationResult{}, rollback(ctx, conn, errNeedsTx)
	case rot.Issue == nil: // refused: nothing to write
		return res, rollback(ctx, conn, nil)
	}
	b, err := issueBatch(res.Presented, rot)
	if err != nil {
		return signet.RotationResult{}, rollback(ctx, conn, err)
	}
	b.Queue(`COMMIT`)
	res.Issued, res.Session, err = sendIssue(ctx, conn, b, !res.Presented.Rotated(), true)
	if err != nil {
		return signet.RotationResult{}, rollback(ctx, conn, err)
	}
	return res, nil
}

// beginAndRead opens the transaction and reads the rotation's rows, in one
// pipeline.
func beginAndRead(ctx context.Context, conn *pgxpool.Conn, hash []byte) (signet.RotationResult, error) {
	b := &pgx.Batch{}
	b.Queue(`BEGIN ISOLATION LEVEL READ COMMITTED`)
	b.Queue(rotationQuery, hash)
	br := conn.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return signet.RotationResult{}, translate(err, "begin")
	}
	res, err := scanRotation(br.QueryRow())
	if err != nil {
		return res, err
	}
	return res, translate(br.Close(), "refresh token")
}

// rollback ends conn's transaction, if one is open, and returns err. A
// connection that cannot roll back is closed, so the pool drops it.
func rollback(ctx context.Context, conn *pgxpool.Conn, err error) error {
	pc := conn.Conn().PgConn()
	if pc.IsClosed() || pc.TxStatus() == 'I' {
		return err
	}
	if _, rerr := conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil {
		conn.Conn().Close(context.WithoutCancel(ctx))
	}
	return err
}
