package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/internal/testenv"
	"github.com/signet-dev/signet/postgres"
)

// revocationBound is PRODUCT.md's promise for the scale-out model: a token
// revoked through one instance is refused by every other within a second.
const revocationBound = time.Second

// TestScaleOut runs three `signet serve` processes on loopback, started at
// once on one fresh PostgreSQL database with one SIGNET_MASTER_KEY, and
// spreads the requests of real flows over them, directly and through the
// nginx example.
func TestScaleOut(t *testing.T) {
	dsn := testenv.NewPostgresDB(t)
	f := newFleet(t, dsn)
	in := f.start(t, 3)
	store, err := postgres.Open(t.Context(), dsn, postgres.Options{MaxConns: 1, SkipMigrations: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	t.Run("OneSetOfKeys", func(t *testing.T) { testOneSetOfKeys(t, in, store) })
	t.Run("RoundRobinFlow", func(t *testing.T) { testRoundRobinFlow(t, in) })
	t.Run("ThrottleCountsOnEveryInstance", func(t *testing.T) { testSharedThrottle(t, in) })
	t.Run("RefreshBurst", func(t *testing.T) {
		first := in[0].signupLogin(t, "burst@example.com")
		refreshBurst(t, servers(in), first, 24)
	})
	t.Run("KeyRotation", func(t *testing.T) { testFleetRotation(t, f, in, store) })
	t.Run("BehindNginx", func(t *testing.T) {
		lb := startNginx(t, in)
		before := refreshesAnswered(t, in)
		first := lb.signupLogin(t, "nginx@example.com")
		refreshBurst(t, []*testServer{lb}, first, 24)
		for i, n := range refreshesAnswered(t, in) {
			if n == before[i] {
				t.Errorf("%v answered none of the refreshes sent through nginx", in[i])
			}
		}
	})
}

func servers(in []*instance) []*testServer {
	out := make([]*testServer, len(in))
	for i := range in {
		out[i] = in[i].testServer
	}
	return out
}

// testOneSetOfKeys: the instances that started together made exactly one
// current and one next key per algorithm, and all publish the same JWKS.
func testOneSetOfKeys(t *testing.T, in []*instance, store signet.Store) {
	list, err := store.ListKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, k := range list {
		count[k.Algorithm+"/"+string(k.State)]++
	}
	want := map[string]int{"ES256/current": 1, "ES256/next": 1, "RS256/current": 1, "RS256/next": 1}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Fatalf("keys after three instances started at once: %v, want %v", count, want)
	}
	sameJWKS(t, in)
}

// jwksOf returns the JWKS each instance publishes.
func jwksOf(t *testing.T, in []*instance) [][]byte {
	t.Helper()
	var docs [][]byte
	for _, s := range in {
		code, body := s.get(t, "/.well-known/jwks.json", "")
		if code != 200 {
			t.Fatalf("%v: JWKS %d", s, code)
		}
		docs = append(docs, body)
	}
	return docs
}

// sameJWKS fails unless every instance publishes the same JWKS, and
// returns it.
func sameJWKS(t *testing.T, in []*instance) []byte {
	t.Helper()
	docs := jwksOf(t, in)
	for _, d := range docs[1:] {
		if !bytes.Equal(d, docs[0]) {
			t.Fatalf("the instances publish different key sets:\n%s", bytes.Join(docs, []byte("\n")))
		}
	}
	return docs[0]
}

// testRoundRobinFlow: signup on one instance, login on another, refresh on
// the third, logout on the first; the access token is then refused by all
// three within the bound.
func testRoundRobinFlow(t *testing.T, in []*instance) {
	in[0].signup(t, "alice@example.com", pw)
	tk := in[1].login(t, "alice@example.com", pw)
	tk, r := in[2].refresh(t, tk.RefreshToken)
	if r.StatusCode != 200 {
		t.Fatalf("refresh on the third instance: %d", r.StatusCode)
	}
	for _, s := range in {
		if code, _ := s.get(t, "/v1/me", tk.AccessToken); code != 200 {
			t.Fatalf("%v refuses a fresh access token: %d", s, code)
		}
	}
	if r := in[0].call(t, "POST", "/v1/logout", tk.AccessToken, nil, nil); r.StatusCode != 204 {
		t.Fatalf("logout on the first instance: %d", r.StatusCode)
	}
	loggedOut := time.Now()
	for _, s := range in {
		refusedWithin(t, s, tk.AccessToken, loggedOut)
	}
	for _, s := range in {
		if _, r := s.refresh(t, tk.RefreshToken); r.StatusCode == 200 {
			t.Fatalf("%v refreshes a logged-out session", s)
		}
	}
}

// refusedWithin polls s until it refuses the access token, and fails if
// that takes longer than revocationBound after since.
func refusedWithin(t *testing.T, s *instance, access string, since time.Time) {
	t.Helper()
	deadline := since.Add(revocationBound)
	for {
		code, _ := s.get(t, "/v1/me", access)
		if code == 401 {
			t.Logf("%v refused the token %v after the logout", s, time.Since(since).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v still accepts the token %v after the logout (status %d); the bound is %v",
				s, time.Since(since).Round(time.Millisecond), code, revocationBound)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// testSharedThrottle: failed logins spread over the three instances count
// in one counter, so the account locks after the same number of failures
// as on one instance (5), and every instance then refuses it.
func testSharedThrottle(t *testing.T, in []*instance) {
	in[0].signup(t, "victim@example.com", pw)
	wrong := map[string]string{"email": "victim@example.com", "password": "not the password at all"}
	for i := range 4 {
		if r := in[i%3].call(t, "POST", "/v1/login", "", wrong, nil); r.StatusCode != 401 {
			t.Fatalf("failure %d on %v: %d, want 401", i+1, in[i%3], r.StatusCode)
		}
	}
	if r := in[1].call(t, "POST", "/v1/login", "", wrong, nil); r.StatusCode != 401 && r.StatusCode != 429 {
		t.Fatalf("failure 5: %d", r.StatusCode)
	}
	right := map[string]string{"email": "victim@example.com", "password": pw}
	for _, s := range in {
		r := s.call(t, "POST", "/v1/login", "", right, nil)
		if r.StatusCode != 429 || r.Header.Get("Retry-After") == "" {
			t.Fatalf("%v after 5 failures spread over 3 instances: %d (Retry-After %q), want 429",
				s, r.StatusCode, r.Header.Get("Retry-After"))
		}
	}
}

// signupLogin makes an account through ts and logs it in.
func (ts *testServer) signupLogin(t *testing.T, email string) tokens {
	t.Helper()
	ts.signup(t, email, pw)
	return ts.login(t, email, pw)
}

// refreshBurst presents first's refresh token n times at once, spread over
// targets, and checks PRODUCT.md's outcome for concurrent refreshes inside
// the grace window: every request succeeds with a sibling pair of its own
// in the same session, and every sibling stays valid.
func refreshBurst(t *testing.T, targets []*testServer, first tokens, n int) {
	t.Helper()
	results := make([]tokens, n)
	codes := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			codes[i], errs[i] = targets[i%len(targets)].post("/v1/refresh",
				map[string]string{"refresh_token": first.RefreshToken}, &results[i])
		})
	}
	close(start)
	wg.Wait()
	sid := claim(t, first.AccessToken, "sid")
	seen := map[string]bool{}
	for i, tk := range results {
		switch {
		case errs[i] != nil:
			t.Fatalf("refresh %d of %d concurrent ones: %v", i+1, n, errs[i])
		case codes[i] != 200:
			t.Fatalf("refresh %d of %d concurrent ones: status %d, want 200 (grace window)", i+1, n, codes[i])
		case seen[tk.RefreshToken]:
			t.Fatalf("two concurrent refreshes got the same refresh token")
		case claim(t, tk.AccessToken, "sid") != sid:
			t.Fatalf("a concurrent refresh moved to session %v, want %v", claim(t, tk.AccessToken, "sid"), sid)
		}
		seen[tk.RefreshToken] = true
	}
	for i, tk := range results { // siblings stay valid
		if _, r := targets[(i+1)%len(targets)].refresh(t, tk.RefreshToken); r.StatusCode != 200 {
			t.Fatalf("sibling %d does not refresh: %d", i+1, r.StatusCode)
		}
	}
}

// claim returns one claim of a JWT's payload, unverified (the servers
// verified it).
func claim(t *testing.T, jwt, name string) any {
	t.Helper()
	return jwtPart(t, jwt, 1)[name]
}

func jwtPart(t *testing.T, jwt string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", jwt)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// testFleetRotation: `signet keys rotate` run against the database makes
// every instance sign with the new current key and publish the same JWKS,
// within moments (they are notified; their poll is 30 s away).
func testFleetRotation(t *testing.T, f *fleet, in []*instance, store signet.Store) {
	before := sameJWKS(t, in)
	var out bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out,
		Getenv: func(k string) string { return map[string]string{"SIGNET_MASTER_KEY": f.masterKey}[k] }}
	if err := Run(context.Background(), env, []string{"keys", "rotate", "--db", f.dsn, "--issuer", f.issuer}); err != nil {
		t.Fatalf("keys rotate: %v\n%s", err, out.String())
	}
	list, err := store.ListKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(k signet.SigningKey) bool {
		return k.Algorithm == "ES256" && k.State == signet.KeyCurrent
	})
	current := list[i].KID
	eventually(t, 5*time.Second, "every instance publishing the same new JWKS", func() bool {
		docs := jwksOf(t, in)
		for _, d := range docs {
			if bytes.Equal(d, before) || !bytes.Equal(d, docs[0]) {
				return false
			}
		}
		return true
	})
	for j, s := range in {
		tk := s.signupLogin(t, fmt.Sprintf("rotated%d@example.com", j))
		if kid := jwtPart(t, tk.AccessToken, 0)["kid"]; kid != current {
			t.Fatalf("%v signs with %v after the rotation, want the current key %s", s, kid, current)
		}
	}
}

// refreshesAnswered returns how many refreshes each instance answered 200.
func refreshesAnswered(t *testing.T, in []*instance) []int {
	out := make([]int, len(in))
	for i, s := range in {
		out[i] = s.answered(t, "/v1/refresh", 200)
	}
	return out
}
