package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/sqlite"
)

// buildSignet compiles the command once per test binary run.
var buildSignet = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "signet-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "signet")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProcess runs `signet serve` as a real process on dir's database.
func startProcess(t *testing.T, dir string) (*exec.Cmd, *testServer) {
	t.Helper()
	bin, err := buildSignet()
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{dir: dir}
	addr := freeAddr(t)
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--log-level", "warn"}, ts.testArgs()...)...)
	cmd.Env = append(os.Environ(), "SIGNET_MASTER_KEY=") // the development key file, as a newcomer runs it
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ts.URL = "http://" + addr
	eventually(t, 20*time.Second, "the server answering /healthz", func() bool {
		r, err := http.Get(ts.URL + "/healthz")
		if err == nil {
			r.Body.Close()
		}
		return err == nil && r.StatusCode == 200
	})
	return cmd, ts
}

// TestCrashLosesNothingCommitted kills the server (SIGKILL) in the middle of a
// burst of signups and refreshes, then checks the database: every signup and
// every refresh the server acknowledged is there, and no refresh family is
// half-rotated.
func TestCrashLosesNothingCommitted(t *testing.T) {
	dir := t.TempDir()
	cmd, ts := startProcess(t, dir)
	const chains = 4
	start := make([]string, chains)
	for i := range start {
		email := fmt.Sprintf("chain%d@example.com", i)
		ts.signup(t, email, pw)
		start[i] = ts.login(t, email, pw).RefreshToken
	}
	var mu sync.Mutex
	var signedUp []string
	var refreshed []string // every refresh token the server handed out
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range chains {
		wg.Add(2)
		go func() { // a chain of refreshes, each using the token just received
			defer wg.Done()
			rt := start[i]
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				tk, r, err := tryRefresh(ts.URL, rt)
				if err != nil || r != 200 {
					return
				}
				mu.Lock()
				refreshed = append(refreshed, tk)
				mu.Unlock()
				rt = tk
			}
		}()
		go func() { // a stream of signups
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				email := fmt.Sprintf("burst%d-%d@example.com", i, n)
				if code, err := trySignup(ts.URL, email); err != nil || code != 201 {
					return
				}
				mu.Lock()
				signedUp = append(signedUp, email)
				mu.Unlock()
			}
		}()
	}
	eventually(t, 30*time.Second, "a burst of acknowledged writes", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(refreshed) >= 40 && len(signedUp) >= 4
	})
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	close(stop)
	wg.Wait()
	t.Logf("killed after %d acknowledged refreshes and %d signups", len(refreshed), len(signedUp))

	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "signet.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkAcknowledged(t, st, signedUp, refreshed)
	st.Close()
	// The server comes back on the same database and the last token of each
	// chain still refreshes.
	_, ts2 := startProcess(t, dir)
	mu.Lock()
	defer mu.Unlock()
	if len(refreshed) > 0 {
		last := refreshed[len(refreshed)-1]
		if _, code, err := tryRefresh(ts2.URL, last); err != nil || (code != 200 && code != 400) {
			t.Fatalf("refresh after restart: %d %v", code, err)
		}
	}
	ts2.login(t, "chain0@example.com", pw)
}

// checkAcknowledged fails t unless st holds every acknowledged signup and
// refresh token, no rotated token lacks its successor and no token its
// session.
func checkAcknowledged(t *testing.T, st signet.Store, signedUp, refreshed []string) {
	t.Helper()
	ctx := context.Background()
	for _, email := range signedUp {
		if _, err := st.UserByEmail(ctx, email); err != nil {
			t.Errorf("acknowledged signup %s lost: %v", email, err)
		}
	}
	for _, tok := range refreshed {
		rec, err := st.RefreshToken(ctx, signet.HashRefreshToken(tok))
		if err != nil {
			t.Errorf("acknowledged refresh token lost: %v", err)
			continue
		}
		if rec.Rotated() {
			if _, err := st.RefreshToken(ctx, rec.ReplacedBy); err != nil {
				t.Errorf("half-rotated family: the successor of a rotated token is missing: %v", err)
			}
		}
		if _, err := st.Session(ctx, rec.SessionID); err != nil {
			t.Errorf("refresh token without its session: %v", err)
		}
	}
}

func tryRefresh(base, rt string) (string, int, error) {
	ts := &testServer{URL: base}
	var tk tokens
	r, err := ts.post("/v1/refresh", map[string]string{"refresh_token": rt}, &tk)
	return tk.RefreshToken, r, err
}

func trySignup(base, email string) (int, error) {
	ts := &testServer{URL: base}
	return ts.post("/v1/signup", map[string]string{"email": email, "password": pw, "name": "Burst"}, nil)
}
