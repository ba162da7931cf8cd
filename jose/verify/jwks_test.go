package verify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
)

func TestFreshness(t *testing.T) {
	cases := []struct {
		name string
		hdr  http.Header
		want time.Duration
	}{
		{"absent", http.Header{}, DefaultKeySetTTL},
		{"max-age", http.Header{"Cache-Control": {"public, max-age=600"}}, 10 * time.Minute},
		{"quoted", http.Header{"Cache-Control": {`max-age="60"`}}, time.Minute},
		{"upper case", http.Header{"Cache-Control": {"MAX-AGE=60"}}, time.Minute},
		{"age subtracted", http.Header{"Cache-Control": {"max-age=600"}, "Age": {"100"}}, 500 * time.Second},
		{"age beyond max-age", http.Header{"Cache-Control": {"max-age=60"}, "Age": {"100"}}, 0},
		{"no-cache", http.Header{"Cache-Control": {"max-age=600, no-cache"}}, 0},
		{"no-store", http.Header{"Cache-Control": {"no-store"}}, 0},
		{"capped", http.Header{"Cache-Control": {"max-age=99999999999999999999"}}, maxKeySetTTL},
		{"garbage ignored", http.Header{"Cache-Control": {"max-age=-5"}}, DefaultKeySetTTL},
		{"first max-age wins", http.Header{"Cache-Control": {"max-age=60", "max-age=600"}}, time.Minute},
	}
	for _, tc := range cases {
		if got := freshness(tc.hdr); got != tc.want {
			t.Errorf("%s: freshness = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	for n := 1; n < 100; n++ {
		d := backoff(time.Second, time.Minute, n)
		hi := min(time.Second<<min(n-1, 20), time.Minute)
		if d < hi/2 || d > hi {
			t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, hi/2, hi)
		}
	}
}

func newRemote(t *testing.T, iss *fakeIssuer, opts ...Option) *RemoteKeySet {
	t.Helper()
	r, err := NewRemoteKeySet(iss.URL+"/.well-known/jwks.json", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func remoteVerifier(t *testing.T, iss *fakeIssuer, r *RemoteKeySet) *jose.Verifier {
	v, err := jose.NewVerifier(r, jose.WithIssuer(iss.URL), jose.WithAudience(testAudience), jose.WithTokenType(jose.TypeAccessToken))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRemoteKeySetCaches: within max-age, verifications make no requests.
func TestRemoteKeySetCaches(t *testing.T) {
	iss := newFakeIssuer(t)
	r := newRemote(t, iss)
	v := remoteVerifier(t, iss, r)
	for i := range 50 {
		if _, err := v.Verify(iss.token(iss.claims("u" + string(rune('a'+i%26))))); err != nil {
			t.Fatal(err)
		}
	}
	if n := iss.jwksHits.Load(); n != 1 {
		t.Fatalf("%d fetches for 50 verifications of known kids, want 1", n)
	}
	if st := r.Status(); st.Keys != 1 || st.FetchedAt.IsZero() || st.LastError != nil {
		t.Fatalf("status %+v", st)
	}
}

// TestRemoteKeySetUnknownKidSingleFlight: a burst of tokens with unknown
// kids makes one request; more unknown kids within the interval make none.
func TestRemoteKeySetUnknownKidSingleFlight(t *testing.T) {
	iss := newFakeIssuer(t)
	var mono fakeMono
	r := newRemote(t, iss, WithMinRefreshInterval(time.Hour), mono.option())
	if err := r.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	v := remoteVerifier(t, iss, r)
	publish := iss.rotateUnpublished()
	publish() // published after the cache's fetch: unknown to it
	if _, err := v.Verify(iss.token(iss.claims("u1"))); !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("an unknown kid right after a fetch: %v", err)
	}
	if n := iss.jwksHits.Load(); n != 1 {
		t.Fatalf("%d fetches within the interval, want 1", n)
	}
	mono.advance(time.Hour)
	tok := iss.token(iss.claims("u1"))
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := v.Verify(tok)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, jose.ErrKeyNotFound) {
			t.Fatal(err)
		}
	}
	if n := iss.jwksHits.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2 (the first, then one for the burst)", n)
	}
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("the rotated key was not picked up: %v", err)
	}
	// A forged kid within the interval: no request.
	forged, _ := jose.GenerateKey(jose.ES256, "forged-kid")
	s, _ := jose.NewSigner(forged, jose.WithType(jose.TypeAccessToken))
	ft, _ := s.Sign(iss.claims("u1"))
	for range 10 {
		if _, err := v.Verify(ft); !errors.Is(err, jose.ErrKeyNotFound) {
			t.Fatalf("forged kid: %v", err)
		}
	}
	if n := iss.jwksHits.Load(); n != 2 {
		t.Fatalf("%d fetches after forged kids, want still 2", n)
	}
}

// TestRemoteKeySetRotation: a rotation is picked up by the unknown-kid
// refetch once the interval has passed.
func TestRemoteKeySetRotation(t *testing.T) {
	iss := newFakeIssuer(t)
	var mono fakeMono
	r := newRemote(t, iss, WithMinRefreshInterval(time.Minute), mono.option())
	v := remoteVerifier(t, iss, r)
	if _, err := v.Verify(iss.token(iss.claims("u1"))); err != nil {
		t.Fatal(err)
	}
	publish := iss.rotateUnpublished()
	tok := iss.token(iss.claims("u1"))
	mono.advance(time.Minute)
	if _, err := v.Verify(tok); !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("before publication: %v", err)
	}
	publish()
	if _, err := v.Verify(tok); !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("published, but within the interval: %v", err)
	}
	mono.advance(time.Minute)
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("the rotated key was not picked up: %v", err)
	}
	if n := iss.jwksHits.Load(); n != 3 {
		t.Fatalf("%d fetches, want 3", n)
	}
}

// TestRemoteKeySetBackgroundRefresh: a short max-age is refreshed before it
// runs out, with If-None-Match, keeping the same set when unchanged.
func TestRemoteKeySetBackgroundRefresh(t *testing.T) {
	iss := newFakeIssuer(t)
	iss.cacheCtl = "max-age=0"
	r := newRemote(t, iss, WithMinRefreshInterval(10*time.Millisecond))
	if err := r.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	first := r.CurrentKeys()
	eventually(t, 5*time.Second, "background refreshes", func() bool { return iss.jwksHits.Load() >= 4 })
	if r.CurrentKeys() != first {
		t.Fatal("an unchanged key set was replaced")
	}
	iss.rotate()
	eventually(t, 5*time.Second, "a new key seen by background refresh", func() bool { return r.CurrentKeys().Len() == 2 })
}

// TestRemoteKeySetKeepsLastGood: when the issuer fails, the last good set
// stays in use, and failures are retried with back-off.
func TestRemoteKeySetKeepsLastGood(t *testing.T) {
	iss := newFakeIssuer(t)
	iss.cacheCtl = "max-age=0"
	r := newRemote(t, iss, WithMinRefreshInterval(10*time.Millisecond), fastBackoff)
	v := remoteVerifier(t, iss, r)
	tok := iss.token(iss.claims("u1"))
	if _, err := v.Verify(tok); err != nil {
		t.Fatal(err)
	}
	iss.setDown(true)
	eventually(t, 5*time.Second, "failed refreshes", func() bool { return r.Status().Failures >= 3 })
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("with the issuer down: %v", err)
	}
	if err := r.Status().LastError; !errors.Is(err, ErrFetch) {
		t.Fatalf("last error %v", err)
	}
	iss.setDown(false)
	eventually(t, 5*time.Second, "recovery", func() bool { return r.Status().Failures == 0 })
}

// TestRemoteKeySetRefusesBadResponses: oversized, unparsable and empty sets
// fail the fetch and keep the last good set.
func TestRemoteKeySetRefusesBadResponses(t *testing.T) {
	good, _ := jose.GenerateKey(jose.ES256, "good")
	set, _ := jose.NewKeySet(good.Public())
	goodBody, _ := set.MarshalJSON()
	var body []byte
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Write(body)
	}))
	defer srv.Close()
	setBody := func(b []byte) { mu.Lock(); body = b; mu.Unlock() }
	setBody(goodBody)
	r, err := NewRemoteKeySet(srv.URL, WithMaxResponseSize(4096))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"oversized":  []byte(`{"keys":[],"pad":"` + strings.Repeat("x", 5000) + `"}`),
		"not JSON":   []byte(`<html>`),
		"empty set":  []byte(`{"keys":[]}`),
		"weak key":   []byte(`{"keys":[{"kty":"oct","k":"c2hvcnQ","alg":"HS256"}]}`),
		"duplicates": []byte(`{"keys":[` + string(mustJSON(good.Public())) + `,` + string(mustJSON(good.Public())) + `]}`),
	} {
		setBody(b)
		if err := r.Refresh(context.Background()); !errors.Is(err, ErrFetch) {
			t.Errorf("%s: Refresh = %v, want ErrFetch", name, err)
		}
		if _, ok := r.CurrentKeys().Lookup("good"); !ok {
			t.Errorf("%s: the last good set was dropped", name)
		}
	}
}

func mustJSON(k *jose.Key) []byte {
	b, err := k.MarshalJSON()
	if err != nil {
		panic(err)
	}
	return b
}

// TestRemoteKeySetTimeout: a server that never answers fails the fetch
// within the timeout.
func TestRemoteKeySetTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	r, _ := NewRemoteKeySet(srv.URL, WithFetchTimeout(50*time.Millisecond))
	defer r.Close()
	start := time.Now()
	if err := r.Refresh(context.Background()); !errors.Is(err, ErrFetch) || time.Since(start) > 5*time.Second {
		t.Fatalf("Refresh = %v after %v", err, time.Since(start))
	}
}

func TestRemoteKeySetInsecureURL(t *testing.T) {
	if _, err := NewRemoteKeySet("http://id.example/jwks"); !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("plain http: %v", err)
	}
	if _, err := NewRemoteKeySet("http://id.example/jwks", UnsafeAllowHTTP()); err != nil {
		t.Fatalf("with UnsafeAllowHTTP: %v", err)
	}
}
