package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/signet-dev/signet/jose/verify"
)

// ScopeRevocations is the scope a bearer token needs to read the revocation
// feed.
const ScopeRevocations = "signet:revocations"

// revocationHandler serves the revocation feed: the list and its
// Server-Sent Events stream.
type revocationHandler struct{ *Server }

// Mount registers the handler's routes; both need ScopeRevocations.
func (h revocationHandler) Mount(s *Server) {
	s.handle("GET /v1/revocations", s.withScope(ScopeRevocations, h.list))
	s.handle("GET /v1/revocations/stream", s.withScope(ScopeRevocations, h.stream))
}

// revocationsResponse is the body of GET /v1/revocations.
type revocationsResponse struct {
	Entries []verify.Entry `json:"entries"`
	Cursor  string         `json:"cursor"`
}

// list answers the live entries after ?after= (all without it) and the
// current cursor; 410 when the cursor is older than what the server keeps.
func (h revocationHandler) list(w http.ResponseWriter, r *http.Request) error {
	after, err := afterParam(r)
	if err != nil {
		return err
	}
	entries, cursor, err := h.api.Revocations(r.Context(), after)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []verify.Entry{}
	}
	return writeJSON(w, http.StatusOK, revocationsResponse{Entries: entries, Cursor: cursor})
}

// afterParam returns the ?after= cursor, given at most once.
func afterParam(r *http.Request) (string, error) {
	v := r.URL.Query()["after"]
	if len(v) > 1 {
		return "", malformed(`give the "after" parameter at most once`)
	}
	if len(v) == 0 {
		return "", nil
	}
	return v[0], nil
}

// stream sends the entries after Last-Event-ID (or ?after=, or all of them),
// then every new entry as it is committed, and a comment line whenever the
// stream has been idle for Config.HeartbeatInterval. It ends when the client
// goes away or Shutdown is called. A cursor too old is 410 before the
// stream starts.
func (h revocationHandler) stream(w http.ResponseWriter, r *http.Request) error {
	after := r.Header.Get("Last-Event-ID")
	if after == "" {
		var err error
		if after, err = afterParam(r); err != nil {
			return err
		}
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "text/event-stream")
		return nil
	}
	entries, cursor, err := h.api.Revocations(r.Context(), after)
	if err != nil {
		return err
	}
	es, err := h.openStream(w)
	if err != nil {
		return err
	}
	defer es.close()
	if err := es.send(entries); err != nil {
		return streamEnd(err)
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	batches := make(chan batch)
	go h.follow(ctx, cursor, batches)
	return streamEnd(h.pump(ctx, es, batches))
}

// pump writes batches and heartbeats until ctx ends, Shutdown is called,
// the client goes away or the feed fails.
func (h revocationHandler) pump(ctx context.Context, es *eventStream, batches <-chan batch) error {
	tick := time.NewTicker(h.cfg.HeartbeatInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.closing:
			return nil
		case <-tick.C:
			if err := es.comment("keepalive"); err != nil {
				return err
			}
		case b := <-batches:
			if b.err != nil {
				return b.err
			}
			if err := es.send(b.entries); err != nil {
				return err
			}
			tick.Reset(h.cfg.HeartbeatInterval)
		}
	}
}

// batch is one answer of WaitRevocations.
type batch struct {
	entries []verify.Entry
	err     error
}

// follow waits for new entries after cursor and sends them to out until ctx
// ends or the feed fails.
func (h revocationHandler) follow(ctx context.Context, cursor string, out chan<- batch) {
	for {
		entries, next, err := h.api.WaitRevocations(ctx, cursor)
		if ctx.Err() != nil {
			return
		}
		select {
		case out <- batch{entries, err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
		cursor = next
	}
}
