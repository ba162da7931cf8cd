package account

import (
	"context"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose/verify"
)

// Housekeeping: how often Run purges, and how long ended sessions are kept
// (for `signet` administrators looking into an incident).
const (
	housekeepEvery   = 10 * time.Minute
	sessionRetention = 7 * 24 * time.Hour
)

// Run keeps the revocation set current until ctx ends: every PollEvery it
// reads the entries other processes wrote (Sync), and every ten minutes it
// purges expired revocations, long-ended sessions and idle throttle
// counters. When the store is a signet.RevocationNotifier (PostgreSQL), it
// also reads new entries as soon as any process commits them, so a token
// revoked through one instance is refused by the others within moments; the
// poll stays as a safety net. Errors are logged and retried. It returns
// ctx's error.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.PollEvery)
	defer t.Stop()
	wake := s.subscribe(ctx)
	var swept time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if wake == nil { // the first subscription failed: try again
				wake = s.subscribe(ctx)
			}
		case _, ok := <-wake:
			if !ok {
				wake = nil // the subscription ended: the poll goes on
				continue
			}
		}
		if err := s.Sync(ctx); err != nil && ctx.Err() == nil {
			s.warn(ctx, "reading the revocation feed failed", err)
		}
		if now := s.cfg.Now(); now.Sub(swept) >= housekeepEvery {
			s.housekeep(ctx, now)
			swept = now
		}
	}
}

// subscribe returns the store's revocation notices, or nil (never ready)
// when the store has none or the subscription fails: then Run polls, and
// tries again at its next poll.
func (s *Service) subscribe(ctx context.Context) <-chan struct{} {
	n, ok := s.store.(signet.RevocationNotifier)
	if !ok {
		return nil
	}
	wake, err := n.SubscribeRevocations(ctx)
	if err != nil {
		s.warn(ctx, "cannot follow revocations as they are committed; polling only", err)
		return nil
	}
	return wake
}

// Sync reads into the revocation set the entries stored since the last
// read (by the CLI, another instance, or this service), drops expired ones,
// and wakes the feed's followers if anything was new. When the store no
// longer holds the entries after the set's cursor (or holds another
// database's), it reloads every live entry.
func (s *Service) Sync(ctx context.Context) error {
	s.feedMu.Lock()
	defer s.feedMu.Unlock()
	b, err := s.store.RevocationBounds(ctx)
	if err != nil {
		return internal("reading the revocation feed", err)
	}
	if !b.CanResume(s.cursor) {
		return s.resyncLocked(ctx)
	}
	n := 0
	for {
		list, err := s.store.RevocationsAfter(ctx, s.cursor, signet.MaxListLimit)
		if err != nil {
			return internal("reading the revocation feed", err)
		}
		s.addLocked(list)
		n += len(list)
		if len(list) < signet.MaxListLimit {
			break
		}
	}
	s.revoked.Purge(s.cfg.Now())
	if n > 0 {
		s.notify.signal()
	}
	return nil
}

func (s *Service) addLocked(list []signet.Revocation) {
	entries := make([]verify.Entry, 0, len(list))
	for _, r := range list {
		entries = append(entries, entryOf(r))
		s.cursor = r.Cursor
	}
	s.revoked.Add(entries...)
}

// resync replaces the set with every live entry.
func (s *Service) resync(ctx context.Context) error {
	s.feedMu.Lock()
	defer s.feedMu.Unlock()
	return s.resyncLocked(ctx)
}

func (s *Service) resyncLocked(ctx context.Context) error {
	list, latest, err := s.store.LiveRevocations(ctx, s.cfg.Now())
	if err != nil {
		return internal("loading the revocation feed", err)
	}
	entries := make([]verify.Entry, 0, len(list))
	for _, r := range list {
		entries = append(entries, entryOf(r))
	}
	s.revoked.Reset(formatCursor(latest), entries)
	s.cursor = latest
	s.notify.signal()
	return nil
}

// housekeep deletes what no longer serves: expired revocation entries,
// sessions ended more than sessionRetention ago, idle throttle counters.
func (s *Service) housekeep(ctx context.Context, now time.Time) {
	if _, err := s.store.PurgeRevocations(ctx, now); err != nil {
		s.warn(ctx, "purging revocations failed", err)
	}
	if _, err := s.store.PurgeSessions(ctx, now.Add(-sessionRetention)); err != nil {
		s.warn(ctx, "purging sessions failed", err)
	}
	if _, err := s.limiter.Purge(ctx); err != nil {
		s.warn(ctx, "purging throttles failed", err)
	}
}
