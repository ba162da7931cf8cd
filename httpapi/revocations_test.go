package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose/verify"
)

// TestRevocationsNeedScope checks that a valid token without
// signet:revocations gets 403 insufficient_scope (RFC 6750 section 3.1).
func TestRevocationsNeedScope(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/v1/revocations", "/v1/revocations/stream"} {
		t.Run(path, func(t *testing.T) {
			res := e.do(t, req{method: "GET", path: path, token: userToken})
			wantProblem(t, res, http.StatusForbidden, "insufficient-scope")
			want := `Bearer error="insufficient_scope", scope="signet:revocations"`
			if got := res.header.Get("WWW-Authenticate"); got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
		})
	}
}

// TestRevocationsList checks the list's cursor handling.
func TestRevocationsList(t *testing.T) {
	e := newEnv(t)
	e.api.addEntries(3)
	e.api.floor = 1
	cases := []struct {
		name, query string
		status      int
		slug        string
		entries     int
	}{
		{"all", "", 200, "", 3},
		{"after a cursor", "?after=0002", 200, "", 1},
		{"after the last", "?after=0003", 200, "", 0},
		{"cursor gone", "?after=0000", 410, "cursor-gone", 0},
		{"malformed cursor", "?after=zz", 400, "invalid-input", 0},
		{"after twice", "?after=0001&after=0002", 400, "malformed-request", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, req{method: "GET", path: "/v1/revocations" + tc.query, token: feedToken})
			if tc.slug != "" {
				wantProblem(t, res, tc.status, tc.slug)
				return
			}
			var body revocationsResponse
			wantJSON(t, res, 200)
			json.Unmarshal(res.body, &body)
			if len(body.Entries) != tc.entries || body.Cursor != "0003" || body.Entries == nil {
				t.Errorf("got %+v, want %d entries and cursor 0003", body, tc.entries)
			}
		})
	}
}

// sseFrame is one Server-Sent Events block.
type sseFrame struct{ event, id, data, comment string }

// openStream connects to the stream; frames delivers what arrives until the
// stream ends, then is closed.
func openStream(t *testing.T, url string, header map[string]string) (*http.Response, <-chan sseFrame) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	r.Header.Set("Authorization", "Bearer "+feedToken)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	frames := make(chan sseFrame, 100)
	go func() {
		defer close(frames)
		sc := bufio.NewScanner(resp.Body)
		var f sseFrame
		for sc.Scan() {
			line := sc.Text()
			name, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch name {
			case "":
				if line == "" {
					frames <- f
					f = sseFrame{}
				} else {
					f.comment = value
				}
			case "event":
				f.event = value
			case "id":
				f.id = value
			case "data":
				f.data = value
			}
		}
	}()
	return resp, frames
}

// nextEvent returns the next sseFrame that is not a comment.
func nextEvent(t *testing.T, frames <-chan sseFrame) sseFrame {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				t.Fatal("stream ended")
			}
			if f.comment == "" {
				return f
			}
		case <-timeout:
			t.Fatal("no event within 5s")
		}
	}
}

func wantEntry(t *testing.T, f sseFrame, cursor string) {
	t.Helper()
	var e verify.Entry
	if f.event != "revocation" || f.id != cursor || json.Unmarshal([]byte(f.data), &e) != nil || e.Cursor != cursor || e.Value == "" {
		t.Fatalf("sseFrame %+v, want a revocation event with id %s", f, cursor)
	}
}

// TestStream checks the event stream: backlog, live entries, heartbeat.
func TestStream(t *testing.T) {
	e := newEnv(t)
	e.api.addEntries(2)
	resp, frames := openStream(t, e.ts.URL+"/v1/revocations/stream", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	wantEntry(t, nextEvent(t, frames), "0001")
	wantEntry(t, nextEvent(t, frames), "0002")
	e.api.addEntries(2)
	wantEntry(t, nextEvent(t, frames), "0003")
	wantEntry(t, nextEvent(t, frames), "0004")
	deadline := time.After(5 * time.Second)
	for {
		select {
		case f := <-frames:
			if f.comment == "keepalive" {
				return
			}
		case <-deadline:
			t.Fatal("no heartbeat comment")
		}
	}
}

// TestStreamResume checks Last-Event-ID and ?after=.
func TestStreamResume(t *testing.T) {
	e := newEnv(t)
	e.api.addEntries(3)
	cases := []struct {
		name   string
		query  string
		header map[string]string
		first  string
	}{
		{"Last-Event-ID", "", map[string]string{"Last-Event-ID": "0002"}, "0003"},
		{"after", "?after=0001", nil, "0002"},
		{"Last-Event-ID wins over after", "?after=0001", map[string]string{"Last-Event-ID": "0002"}, "0003"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, frames := openStream(t, e.ts.URL+"/v1/revocations/stream"+tc.query, tc.header)
			wantEntry(t, nextEvent(t, frames), tc.first)
		})
	}
	t.Run("cursor gone", func(t *testing.T) {
		e.api.mu.Lock()
		e.api.floor = 2
		e.api.mu.Unlock()
		res := e.do(t, req{method: "GET", path: "/v1/revocations/stream", token: feedToken, header: map[string]string{"Last-Event-ID": "0001"}})
		wantProblem(t, res, http.StatusGone, "cursor-gone")
	})
}

// TestShutdownEndsStreams checks that Shutdown closes open streams at once,
// refuses new ones and fails /readyz.
func TestShutdownEndsStreams(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.HeartbeatInterval = time.Hour })
	_, frames := openStream(t, e.ts.URL+"/v1/revocations/stream", nil)
	waitFor(t, func() bool { return e.api.called("WaitRevocations") })
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	timeout := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-frames:
		case <-timeout:
			t.Fatal("the stream is still open 5s after Shutdown")
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("stream took %v to end", d)
	}
	wantProblem(t, e.do(t, req{method: "GET", path: "/v1/revocations/stream", token: feedToken}), 503, "unavailable")
	wantProblem(t, e.do(t, req{method: "GET", path: "/readyz"}), 503, "unavailable")
}

// TestStreamOutlivesServerTimeouts runs the stream on NewHTTPServer with
// short timeouts: the stream must extend its own deadlines.
func TestStreamOutlivesServerTimeouts(t *testing.T) {
	api := newFakeAPI()
	srv := New(Config{HeartbeatInterval: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}, api, nil)
	ts := httptest.NewUnstartedServer(nil)
	ts.Config = NewHTTPServer("", srv.Handler())
	ts.Config.ReadTimeout = 200 * time.Millisecond
	ts.Config.WriteTimeout = 200 * time.Millisecond
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	_, frames := openStream(t, ts.URL+"/v1/revocations/stream", nil)
	time.Sleep(600 * time.Millisecond) // three times both timeouts
	api.addEntries(1)
	wantEntry(t, nextEvent(t, frames), "0001")
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met within 5s")
}

// TestStreamHead checks that HEAD answers the stream's headers and ends.
func TestStreamHead(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, req{method: "HEAD", path: "/v1/revocations/stream", token: feedToken})
	if res.status != 200 || res.header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("status %d, Content-Type %q", res.status, res.header.Get("Content-Type"))
	}
}
