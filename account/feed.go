package account

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose/verify"
)

// entryOf is the feed form of a stored revocation. Times become whole
// seconds: expiry rounded up, so the entry covers at least what the store's
// does; a subject cut-off rounded down, so a user who logs in again within
// the second of the revocation is not refused ("iat" has one-second
// resolution). The tokens issued earlier in that second are covered by the
// "sid" entries written with the "sub" one (signet.SessionRevocation.FeedEntries).
func entryOf(r signet.Revocation) verify.Entry {
	e := verify.Entry{Kind: string(r.Kind), Value: r.Value, ExpiresAt: ceilUnix(r.ExpiresAt)}
	if r.Cursor > 0 {
		e.Cursor = formatCursor(r.Cursor)
	}
	if r.Kind == signet.RevokeSub {
		e.Before = r.Before.Unix()
	}
	return e
}

func ceilUnix(t time.Time) int64 {
	if t.Truncate(time.Second).Equal(t) {
		return t.Unix()
	}
	return t.Unix() + 1
}

func formatCursor(c int64) string { return strconv.FormatInt(c, 10) }

// parseCursor reads a cursor made by formatCursor.
func parseCursor(s string) (int64, error) {
	c, err := strconv.ParseInt(s, 10, 64)
	if err != nil || c < 0 || formatCursor(c) != s {
		return 0, invalid(nil, "the revocation cursor is malformed; use one this server returned")
	}
	return c, nil
}

// revokedEntries are the feed entries the store wrote for r, which ended
// the sessions ended of userID.
func revokedEntries(userID string, r signet.SessionRevocation, ended []signet.Session) []verify.Entry {
	stored := r.FeedEntries(userID, ended)
	out := make([]verify.Entry, 0, len(stored))
	for _, e := range stored {
		out = append(out, entryOf(e))
	}
	return out
}

// remember adds entries this service just wrote (committed, so the store
// has them under their cursors too) to the revocation set at once, and wakes
// the followers of the feed.
func (s *Service) remember(entries ...verify.Entry) {
	if len(entries) > 0 {
		s.revoked.Add(entries...)
		s.notify.signal()
	}
}

// broadcast wakes every waiter at once: each waits on the current channel,
// which signal closes and replaces.
type broadcast struct {
	mu sync.Mutex // guards ch
	ch chan struct{}
}

// wait returns a channel closed at the next signal.
func (b *broadcast) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

func (b *broadcast) signal() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
		b.ch = nil
	}
}

// Revocations returns the live revocation entries after the cursor (all of
// them when after is empty) and the cursor to resume from. A cursor older
// than what the store keeps returns ErrCursorGone; a malformed one an error
// matching signet.ErrInvalid.
func (s *Service) Revocations(ctx context.Context, after string) ([]verify.Entry, string, error) {
	if after == "" {
		return s.liveEntries(ctx)
	}
	c, err := parseCursor(after)
	if err != nil {
		return nil, "", err
	}
	b, err := s.store.RevocationBounds(ctx)
	if err != nil {
		return nil, "", internal("reading the revocation feed", err)
	}
	if !b.CanResume(c) {
		return nil, "", ErrCursorGone
	}
	list, err := s.store.RevocationsAfter(ctx, c, signet.MaxListLimit)
	if err != nil {
		return nil, "", internal("reading the revocation feed", err)
	}
	now := s.cfg.Now()
	out := make([]verify.Entry, 0, len(list))
	for _, r := range list {
		c = r.Cursor
		if r.ExpiresAt.After(now) {
			out = append(out, entryOf(r))
		}
	}
	return out, formatCursor(c), nil
}

func (s *Service) liveEntries(ctx context.Context) ([]verify.Entry, string, error) {
	list, latest, err := s.store.LiveRevocations(ctx, s.cfg.Now())
	if err != nil {
		return nil, "", internal("reading the revocation feed", err)
	}
	out := make([]verify.Entry, 0, len(list))
	for _, r := range list {
		out = append(out, entryOf(r))
	}
	return out, formatCursor(latest), nil
}

// WaitRevocations returns the entries after the cursor as soon as there are
// any, waiting until this service writes or reads a new one, or until ctx
// ends (it then returns ctx's error and the cursor it was given, or the
// later one it reached). It never polls the store on its own: Sync and this
// service's own revocations wake it.
func (s *Service) WaitRevocations(ctx context.Context, after string) ([]verify.Entry, string, error) {
	for {
		wake := s.notify.wait()
		entries, cursor, err := s.Revocations(ctx, after)
		if err != nil {
			return nil, after, err
		}
		if len(entries) > 0 {
			return entries, cursor, nil
		}
		after = cursor
		select {
		case <-ctx.Done():
			return nil, after, ctx.Err()
		case <-wake:
		}
	}
}
