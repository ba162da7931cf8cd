package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/signet-dev/signet/jose/verify"
)

// streamWriteSlack is how long a write of an event stream may take beyond
// the heartbeat interval before the connection is given up.
const streamWriteSlack = 10 * time.Second

// eventStream writes Server-Sent Events (HTML Living Standard, section
// 9.2). It owns its connection's write deadline: the server's WriteTimeout,
// meant for ordinary requests, would otherwise cut it. (ReadTimeout does not
// matter: once the body is read, net/http clears the read deadline for its
// background read.)
type eventStream struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	window time.Duration
	done   func()
}

// openStream starts an event stream on w, registered with Shutdown, or
// answers 503 when the server is shutting down. The caller must close it.
func (s *Server) openStream(w http.ResponseWriter) (*eventStream, error) {
	s.mu.Lock()
	if s.shuttingDown() {
		s.mu.Unlock()
		return nil, &requestError{kind: kindUnavailable, detail: "the server is shutting down; reconnect to another instance"}
	}
	s.streams.Add(1)
	s.mu.Unlock()
	es := &eventStream{w: w, rc: http.NewResponseController(w),
		window: s.cfg.HeartbeatInterval + streamWriteSlack, done: s.streams.Done}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // proxies: do not buffer
	es.extend()
	w.WriteHeader(http.StatusOK)
	return es, es.rc.Flush()
}

func (es *eventStream) close() { es.done() }

// extend moves the write deadline past the next heartbeat.
func (es *eventStream) extend() { es.rc.SetWriteDeadline(time.Now().Add(es.window)) }

// send writes one "revocation" event per entry, its cursor as the event id,
// and flushes them.
func (es *eventStream) send(entries []verify.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	var b strings.Builder
	for _, e := range entries {
		if strings.ContainsAny(e.Cursor, "\r\n") {
			return errors.New("httpapi: revocation cursor holds a line break")
		}
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		b.WriteString("event: revocation\n")
		if e.Cursor != "" {
			fmt.Fprintf(&b, "id: %s\n", e.Cursor)
		}
		fmt.Fprintf(&b, "data: %s\n\n", data)
	}
	return es.write(b.String())
}

// comment writes a comment line, which clients ignore and proxies see as
// traffic.
func (es *eventStream) comment(text string) error { return es.write(": " + text + "\n\n") }

// errClientGone reports a write that failed: the client went away, which
// ends the stream but is no failure of the server's.
var errClientGone = errors.New("httpapi: event stream client gone")

func (es *eventStream) write(s string) error {
	es.extend()
	if _, err := es.w.Write([]byte(s)); err != nil {
		return errClientGone
	}
	if es.rc.Flush() != nil {
		return errClientGone
	}
	return nil
}

// streamEnd is the error a stream handler returns: none when the client
// went away.
func streamEnd(err error) error {
	if errors.Is(err, errClientGone) {
		return nil
	}
	return err
}
