package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/signet-dev/signet/keys"
)

// instance is one `signet serve` process of a scale-out test, on its own
// loopback port, sharing a PostgreSQL database with its siblings.
type instance struct {
	*testServer
	cmd  *exec.Cmd
	args []string
	env  []string
	logs *syncBuffer
	done chan struct{}
}

// fleet is what the instances of one test share: the database, the master
// key, the issuer and extra flags.
type fleet struct {
	dsn, masterKey, issuer string
	extra                  []string
}

func newFleet(t *testing.T, dsn string, extra ...string) *fleet {
	t.Helper()
	_, mk, err := keys.GenerateMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	return &fleet{dsn: dsn, masterKey: mk, issuer: "https://auth.example.test", extra: extra}
}

// start runs n instances at once (so they migrate and make the first keys
// concurrently, as a deployment does) and waits until each answers.
func (f *fleet) start(t *testing.T, n int) []*instance {
	t.Helper()
	out := make([]*instance, n)
	var wg sync.WaitGroup
	for i := range out {
		out[i] = f.spawn(t)
		wg.Go(func() { out[i].waitHealthy(t) })
	}
	wg.Wait()
	return out
}

// spawn starts one instance on a free port without waiting for it.
func (f *fleet) spawn(t *testing.T) *instance {
	t.Helper()
	bin, err := buildSignet()
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	in := &instance{testServer: &testServer{URL: "http://" + addr}, logs: &syncBuffer{}}
	in.args = append([]string{"serve", "--addr", addr, "--db", f.dsn, "--issuer", f.issuer, "--log-level", "warn",
		"--trusted-proxies", "127.0.0.1/32",
		"--argon2-memory", "19456", "--argon2-iterations", "2", "--argon2-parallelism", "1"}, f.extra...)
	in.env = append(signetFreeEnv(), "SIGNET_MASTER_KEY="+f.masterKey)
	in.cmd = exec.Command(bin, in.args...)
	in.launch(t)
	t.Cleanup(func() {
		in.kill()
		if t.Failed() {
			t.Logf("log of the instance at %s:\n%s", in.URL, in.logs.String())
		}
	})
	return in
}

// launch starts in.cmd with the instance's settings.
func (in *instance) launch(t *testing.T) {
	t.Helper()
	in.cmd.Env, in.cmd.Stdout, in.cmd.Stderr = in.env, in.logs, in.logs
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(in.cmd, in.done)
}

// kill ends the process at once (SIGKILL) and waits for it.
func (in *instance) kill() {
	in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.done
}

// restart starts the instance again on the same port and settings.
func (in *instance) restart(t *testing.T) {
	t.Helper()
	in.cmd = exec.Command(in.cmd.Path, in.args...)
	in.launch(t)
	in.waitHealthy(t)
}

func (in *instance) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := http.Get(in.URL + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		select {
		case <-in.done:
			t.Fatalf("the instance at %s exited: %s", in.URL, in.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the instance at %s is not ready after 60 s: %s", in.URL, in.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// signetFreeEnv is the test's environment without SIGNET_ settings, so the
// caller's shell cannot change what runs.
func signetFreeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SIGNET_") {
			env = append(env, kv)
		}
	}
	return env
}

// get fetches path and returns the status and body.
func (ts *testServer) get(t *testing.T, path, bearer string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := ts.httpClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.Bytes()
}

// answered returns how many requests of route the server answered with
// code, from its /metrics.
func (ts *testServer) answered(t *testing.T, route string, code int) int {
	t.Helper()
	_, body := ts.get(t, "/metrics", "")
	re := regexp.MustCompile(`http_requests_total\{[^}]*route="` + regexp.QuoteMeta(route) + `"[^}]*code="` +
		strconv.Itoa(code) + `"[^}]*\} (\d+)`)
	n := 0
	for _, m := range re.FindAllSubmatch(body, -1) {
		v, _ := strconv.Atoi(string(m[1]))
		n += v
	}
	return n
}

func (in *instance) String() string { return fmt.Sprintf("instance %s", in.URL) }
