package postgres

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// listenerName is the application_name of listener connections, so an
// operator can tell them apart in pg_stat_activity.
const listenerName = "signet-listener"

// Reconnection back-off of a listener whose connection failed: the first
// attempt is immediate, then the wait doubles up to the maximum.
const (
	relistenFirst = 100 * time.Millisecond
	relistenMax   = 5 * time.Second
)

// SubscribeRevocations implements signet.RevocationNotifier: the channel
// receives a value whenever revocation entries may have been added by any
// instance: after each notification on RevocationChannel, and after each
// (re)subscription. A value means "catch up now": read the table with
// RevocationsAfter from your cursor. Values coalesce (the channel holds at
// most one), and one is ready at once, sent after LISTEN took effect, so
// catching up on each value misses nothing, even across reconnections.
//
// The subscription holds one connection of its own, outside the pool. If
// the connection fails (the server restarts, pg_terminate_backend, a dropped
// network found by the ListenCheck ping), it reconnects with back-off, listens
// again and sends a value. The channel is closed when ctx ends or the Store
// is closed. The first connection is made before SubscribeRevocations
// returns; its error is returned.
func (s *Store) SubscribeRevocations(ctx context.Context) (<-chan struct{}, error) {
	return s.subscribe(ctx, RevocationChannel)
}

// SubscribeKeys implements signet.KeyNotifier, as SubscribeRevocations
// does for KeyChannel: a value means "reload the signing keys".
func (s *Store) SubscribeKeys(ctx context.Context) (<-chan struct{}, error) {
	return s.subscribe(ctx, KeyChannel)
}

// subscribe listens on channel (one of this package's constants) on a
// connection of its own, as SubscribeRevocations describes.
func (s *Store) subscribe(ctx context.Context, channel string) (<-chan struct{}, error) {
	ctx, cancel := context.WithCancel(ctx)
	stopOnClose := context.AfterFunc(s.closing, cancel)
	l := &listener{cfg: s.listenConfig(), channel: channel, check: s.opts.ListenCheck, log: s.opts.Logger,
		ch: make(chan struct{}, 1)}
	conn, err := l.connect(ctx)
	if err != nil {
		stopOnClose()
		cancel()
		return nil, err
	}
	l.signal()
	s.wg.Go(func() {
		defer cancel()
		defer stopOnClose()
		l.run(ctx, conn)
	})
	return l.ch, nil
}

// listenConfig is the pool's connection configuration, named as a listener.
func (s *Store) listenConfig() *pgx.ConnConfig {
	cfg := s.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = listenerName
	return cfg
}

// listener is one subscription: its connection settings and its channel.
type listener struct {
	cfg     *pgx.ConnConfig
	channel string // a constant of this package, safe to splice into LISTEN
	check   time.Duration
	log     *slog.Logger
	ch      chan struct{}
}

// signal makes a value ready on ch unless one already is.
func (l *listener) signal() {
	select {
	case l.ch <- struct{}{}:
	default:
	}
}

// timeout bounds a listener's connection attempts and pings: never below
// a few seconds, so a slow but live server is not taken for a dead one.
func (l *listener) timeout() time.Duration { return max(l.check, 5*time.Second) }

// connect opens a connection and listens on it, within l.timeout.
func (l *listener) connect(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout())
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return nil, translate(err, "listener")
	}
	if _, err := conn.Exec(ctx, `LISTEN `+l.channel); err != nil {
		conn.Close(context.Background())
		return nil, translate(err, "listener")
	}
	return conn, nil
}

// run follows conn until ctx ends, replacing it whenever it fails.
func (l *listener) run(ctx context.Context, conn *pgx.Conn) {
	defer close(l.ch)
	for {
		err := l.follow(ctx, conn)
		conn.Close(context.Background())
		if ctx.Err() != nil {
			return
		}
		l.warn("listener lost its connection; reconnecting", err)
		if conn = l.reconnect(ctx); conn == nil {
			return
		}
		l.signal() // whatever was notified while disconnected is in the table
	}
}

// follow signals each notification on conn, and pings conn after each
// l.check without one. It returns the error that ended the connection, or
// ctx's.
func (l *listener) follow(ctx context.Context, conn *pgx.Conn) error {
	for {
		wait, cancel := context.WithTimeout(ctx, l.check)
		_, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil:
			l.signal()
			continue
		case ctx.Err() != nil:
			return ctx.Err()
		case !pgconn.Timeout(err) || !errors.Is(wait.Err(), context.DeadlineExceeded):
			return err
		}
		ping, cancel := context.WithTimeout(ctx, l.timeout())
		err = conn.Ping(ping)
		cancel()
		if err != nil {
			return err
		}
	}
}

// reconnect connects and listens again, retrying with back-off until it
// succeeds or ctx ends (then it returns nil).
func (l *listener) reconnect(ctx context.Context) *pgx.Conn {
	wait := relistenFirst
	for {
		conn, err := l.connect(ctx)
		if err == nil {
			if l.log != nil {
				l.log.LogAttrs(ctx, slog.LevelInfo, "listener reconnected", slog.String("channel", l.channel))
			}
			return conn
		}
		if ctx.Err() != nil {
			return nil
		}
		l.warn("listener cannot reconnect; retrying", err)
		t := time.NewTimer(wait + rand.N(wait/2))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, relistenMax)
	}
}

func (l *listener) warn(msg string, err error) {
	if l.log != nil {
		l.log.LogAttrs(context.Background(), slog.LevelWarn, msg, slog.String("channel", l.channel),
			slog.String("error", err.Error()))
	}
}
