package verify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

const (
	testAudience  = "https://api.example"
	testFeedToken = "feed-token"
)

// fakeIssuer is an issuer on a loopback httptest server: discovery, a JWKS
// whose keys, cache headers and availability the test controls, and a
// revocation list and stream fed by the test.
type fakeIssuer struct {
	t   *testing.T
	srv *httptest.Server
	URL string

	mu       sync.Mutex
	keys     []*jose.Key // private keys; their public halves are published
	signer   *jose.Signer
	cacheCtl string
	down     bool
	entries  []Entry // every revocation ever, cursor = index+1
	oldest   int     // cursors below this are gone (410)
	wake     chan struct{}
	end      chan struct{} // closed to end every open stream cleanly
	streams  int           // open streams
	lastID   string

	jwksHits   atomic.Int64
	streamHits atomic.Int64
	listHits   atomic.Int64
	heartbeat  time.Duration
}

func newFakeIssuer(t *testing.T) *fakeIssuer {
	t.Helper()
	f := &fakeIssuer{t: t, cacheCtl: "public, max-age=300", wake: make(chan struct{}), end: make(chan struct{}), heartbeat: time.Hour}
	f.rotate()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("GET /.well-known/jwks.json", f.jwks)
	mux.HandleFunc("GET /v1/revocations", f.list)
	mux.HandleFunc("GET /v1/revocations/stream", f.stream)
	f.srv = httptest.NewServer(mux)
	f.URL = f.srv.URL
	t.Cleanup(func() {
		f.srv.CloseClientConnections()
		f.srv.Close()
	})
	return f
}

// rotate adds a new ES256 key and signs with it from now on.
func (f *fakeIssuer) rotate() *jose.Key {
	k, err := jose.GenerateKey(jose.ES256, "")
	if err != nil {
		f.t.Fatal(err)
	}
	s, err := jose.NewSigner(k, jose.WithType(jose.TypeAccessToken))
	if err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	f.keys, f.signer = append(f.keys, k), s
	f.mu.Unlock()
	return k
}

// rotateUnpublished signs with a new key the JWKS does not show yet, and
// returns a function that publishes it.
func (f *fakeIssuer) rotateUnpublished() (publish func()) {
	k, _ := jose.GenerateKey(jose.ES256, "")
	s, _ := jose.NewSigner(k, jose.WithType(jose.TypeAccessToken))
	f.mu.Lock()
	f.signer = s
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		f.keys = append(f.keys, k)
		f.mu.Unlock()
	}
}

func (f *fakeIssuer) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
	if down {
		f.srv.CloseClientConnections()
	}
}

func (f *fakeIssuer) claims(sub string) *jose.Claims {
	now := time.Now()
	return &jose.Claims{Issuer: f.URL, Subject: sub, Audience: jose.Audience{testAudience},
		IssuedAt: jose.NewNumericDate(now), ExpiresAt: jose.NewNumericDate(now.Add(15 * time.Minute)),
		ID: "jti-" + sub, SessionID: "sid-" + sub, Scope: "posts:read", Roles: []string{"user"}}
}

// token signs c with the current key.
func (f *fakeIssuer) token(c *jose.Claims) string {
	f.t.Helper()
	f.mu.Lock()
	s := f.signer
	f.mu.Unlock()
	tok, err := s.Sign(c)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// revoke appends entries to the feed and wakes the streams.
func (f *fakeIssuer) revoke(es ...Entry) {
	f.mu.Lock()
	for _, e := range es {
		e.Cursor = fmt.Sprint(len(f.entries) + 1)
		if e.ExpiresAt == 0 {
			e.ExpiresAt = time.Now().Add(time.Hour).Unix()
		}
		f.entries = append(f.entries, e)
	}
	close(f.wake)
	f.wake = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeIssuer) discovery(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(Discovery{Issuer: f.URL, JWKSURI: f.URL + "/.well-known/jwks.json",
		RevocationsEndpoint: f.URL + "/v1/revocations", RevocationsStream: f.URL + "/v1/revocations/stream"})
}

func (f *fakeIssuer) jwks(w http.ResponseWriter, r *http.Request) {
	f.jwksHits.Add(1)
	f.mu.Lock()
	down, cc := f.down, f.cacheCtl
	var pub []*jose.Key
	for _, k := range f.keys {
		pub = append(pub, k.Public())
	}
	f.mu.Unlock()
	if down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	set, _ := jose.NewKeySet(pub...)
	body, _ := json.Marshal(set)
	etag := fmt.Sprintf(`"%d"`, len(pub))
	w.Header().Set("ETag", etag)
	if cc != "" {
		w.Header().Set("Cache-Control", cc)
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Write(body)
}

func (f *fakeIssuer) authorized(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return false
	}
	if r.Header.Get("Authorization") != "Bearer "+testFeedToken {
		http.Error(w, "no", http.StatusUnauthorized)
		return false
	}
	return true
}

func (f *fakeIssuer) list(w http.ResponseWriter, r *http.Request) {
	f.listHits.Add(1)
	if !f.authorized(w, r) {
		return
	}
	f.mu.Lock()
	out := struct {
		Entries []Entry `json:"entries"`
		Cursor  string  `json:"cursor"`
	}{Entries: append([]Entry{}, f.entries...), Cursor: fmt.Sprint(len(f.entries))}
	f.mu.Unlock()
	json.NewEncoder(w).Encode(out)
}

func (f *fakeIssuer) stream(w http.ResponseWriter, r *http.Request) {
	f.streamHits.Add(1)
	if !f.authorized(w, r) {
		return
	}
	after := 0
	fmt.Sscan(r.Header.Get("Last-Event-ID"), &after)
	f.mu.Lock()
	f.lastID = r.Header.Get("Last-Event-ID")
	if after < f.oldest {
		f.mu.Unlock()
		http.Error(w, "gone", http.StatusGone)
		return
	}
	f.streams++
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.streams--; f.mu.Unlock() }()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	tick := time.NewTicker(f.heartbeat)
	defer tick.Stop()
	for {
		f.mu.Lock()
		pending, wake, end := f.entries[after:], f.wake, f.end
		after = len(f.entries)
		f.mu.Unlock()
		var b strings.Builder
		for _, e := range pending {
			data, _ := json.Marshal(e)
			fmt.Fprintf(&b, "event: revocation\nid: %s\ndata: %s\n\n", e.Cursor, data)
		}
		if b.Len() > 0 {
			w.Write([]byte(b.String()))
			rc.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-end:
			return // a clean end of the response, as at an issuer's restart
		case <-wake:
		case <-tick.C:
			w.Write([]byte(": keepalive\n\n"))
			rc.Flush()
		}
	}
}

// endStreams ends every open stream as a restarting issuer would: the
// response finishes normally.
func (f *fakeIssuer) endStreams() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.end)
	f.end = make(chan struct{})
}

func (f *fakeIssuer) openStreams() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streams
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// fastBackoff makes reconnections quick in tests.
var fastBackoff = WithReconnectBackoff(5*time.Millisecond, 50*time.Millisecond)

// fakeMono is a real clock the test can push forward, for rate limits and
// staleness.
type fakeMono struct{ off atomic.Int64 }

func (m *fakeMono) now() time.Time          { return time.Now().Add(time.Duration(m.off.Load())) }
func (m *fakeMono) advance(d time.Duration) { m.off.Add(int64(d)) }
func (m *fakeMono) option() Option {
	return func(c *config) error { c.mono, c.realClocks = m.now, false; return nil }
}
