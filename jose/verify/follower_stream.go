package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync/atomic"
	"time"
)

// Limits of the event stream parser: an entry is a few hundred bytes.
const (
	maxSSELine  = 64 << 10
	maxSSEEvent = 64 << 10
)

var (
	errStreamIdle    = errors.New("the revocation stream was silent for too long")
	errStreamHeaders = errors.New("the revocation stream did not answer in time")
)

// follow opens the stream from the set's cursor and applies its events until
// it ends (nil), fails, goes silent, or ctx ends.
func (f *Follower) follow(ctx context.Context, tok string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.stream, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrFetch, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	if cur := f.set.Cursor(); cur != "" {
		req.Header.Set("Last-Event-ID", cur)
	}
	// One timer watches first the response headers, then the silence
	// between reads.
	var streaming atomic.Bool
	watchdog := time.AfterFunc(f.cfg.fetchTimeout, func() {
		if streaming.Load() {
			cancel(errStreamIdle)
		} else {
			cancel(errStreamHeaders)
		}
	})
	defer watchdog.Stop()
	resp, err := f.cfg.client.Do(req)
	if err != nil {
		return streamErr(ctx, fmt.Errorf("%w: GET %s: %v", ErrFetch, redact(f.stream), netErr(err)))
	}
	defer resp.Body.Close()
	if err := checkStreamResponse(resp, f.stream); err != nil {
		return err
	}
	streaming.Store(true)
	watchdog.Reset(f.cfg.idleTimeout)
	f.setConnected()
	body := &liveReader{r: resp.Body, onRead: func() {
		watchdog.Reset(f.cfg.idleTimeout)
		f.alive()
	}}
	return streamErr(ctx, f.apply(newSSEReader(body, maxSSELine, maxSSEEvent)))
}

// checkStreamResponse accepts a 200 event stream; 410 means the cursor is
// gone.
func checkStreamResponse(resp *http.Response, u string) error {
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusGone:
		return fmt.Errorf("%w: GET %s: 410", ErrCursorGone, redact(u))
	default:
		return fmt.Errorf("%w: GET %s: status %d", ErrFetch, redact(u), resp.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		return fmt.Errorf("%w: GET %s: content type %q is not text/event-stream", ErrFetch, redact(u), mt)
	}
	return nil
}

// apply adds every "revocation" event's entry to the set. Other event types
// are ignored, so an issuer may add some. An entry that does not parse ends
// the stream: skipping it could skip a revocation, and reconnecting from the
// cursor before it retries it.
func (f *Follower) apply(p *sseReader) error {
	for {
		ev, err := p.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if ev.Type != "revocation" {
			continue
		}
		var e Entry
		if err := json.Unmarshal([]byte(ev.Data), &e); err != nil {
			return fmt.Errorf("%w: a revocation event does not parse: %v", ErrFetch, err)
		}
		if e.Cursor == "" {
			e.Cursor = ev.ID
		}
		f.set.Add(e)
		f.mu.Lock()
		f.lastEvent = f.cfg.mono()
		f.mu.Unlock()
		f.purge()
	}
}

// streamErr prefers the reason the watchdog cancelled the request over the
// transport's error.
func streamErr(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); errors.Is(cause, errStreamIdle) || errors.Is(cause, errStreamHeaders) {
		return fmt.Errorf("%w: %w", ErrFetch, cause)
	}
	return err
}

// liveReader calls onRead whenever bytes arrive.
type liveReader struct {
	r      io.Reader
	onRead func()
}

func (l *liveReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n > 0 {
		l.onRead()
	}
	return n, err
}
