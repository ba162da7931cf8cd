package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The timeouts and limits of httpapi.NewHTTPServer, copied (this module
// does not import the server module) so that the baseline is served the
// same way.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 32 << 10
)

// baselineEnv, set in a child's environment, makes this program (or its
// test binary) serve the do-nothing baseline instead of measuring.
const baselineEnv = "SIGNETLOAD_BASELINE_CHILD"

// runBaselineChild serves the baseline and reports true if this process was
// started as the baseline child; it returns when stdin closes (the parent
// ended) or on SIGTERM. It prints the listening address as its first line.
func runBaselineChild() bool {
	if os.Getenv(baselineEnv) != "1" {
		return false
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
	body := []byte("{}")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.Write(body)
		}),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	fmt.Println(ln.Addr().String())
	go func() {
		io.Copy(io.Discard, os.Stdin) // EOF when the parent goes away
		os.Exit(0)
	}()
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
	return true
}

// proc is a server process this program started.
type proc struct {
	name    string
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	done    chan struct{}
	waitErr error
	logPath string
	stdin   io.Closer
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop ends the process: SIGTERM, then SIGKILL after 15 s.
func (p *proc) stop() {
	if p == nil {
		return
	}
	if p.stdin != nil {
		p.stdin.Close()
	}
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// logTail returns the end of the process's log file.
func (p *proc) logTail() string {
	b, _ := os.ReadFile(p.logPath)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func startProc(name string, cmd *exec.Cmd, logPath string) (*proc, error) {
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	if cmd.Stdout == nil {
		cmd.Stdout = lf
	}
	cmd.Stderr = lf
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{}), logPath: logPath}
	go func() {
		p.waitErr = cmd.Wait()
		lf.Close()
		close(p.done)
	}()
	return p, nil
}

// startBaseline runs this program again as the baseline child.
func startBaseline(dir string) (*proc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), baselineEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p, err := startProc("baseline", cmd, filepath.Join(dir, "baseline.log"))
	if err != nil {
		return nil, err
	}
	p.stdin = stdin
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
		io.Copy(io.Discard, out)
	}()
	select {
	case addr := <-line:
		if err := checkLoopback(addr); err != nil {
			p.stop()
			return nil, fmt.Errorf("baseline: %w (log: %s)", err, p.logTail())
		}
		p.base = "http://" + addr
	case <-time.After(30 * time.Second):
		p.stop()
		return nil, errors.New("baseline did not start within 30 s")
	}
	return p, waitHealthy(p, 30*time.Second)
}

// checkLoopback refuses any address but 127.0.0.1: this program loads no
// other host.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if host != "127.0.0.1" {
		return fmt.Errorf("address %q is not on 127.0.0.1", addr)
	}
	return nil
}

// freePort returns a 127.0.0.1 address that was free a moment ago.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// signetEnv is the environment without SIGNET_ settings, so that the
// caller's shell cannot change the configuration under test.
func signetEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SIGNET_") {
			env = append(env, kv)
		}
	}
	return env
}

// startSignet runs `signet serve` in its own directory of dir, with warn logs
// and extra flags, and waits until /healthz answers.
func startSignet(bin, dir, name string, extra ...string) (*proc, error) {
	sdir := filepath.Join(dir, name)
	args := append([]string{"--db", "sqlite:" + filepath.Join(sdir, "signet.db"),
		"--master-key-file", filepath.Join(sdir, "master.key"), "--log-level", "warn"}, extra...)
	return startServe(bin, sdir, name, signetEnv(), args...)
}

// startServe runs `signet serve --addr FREE-PORT args...` in sdir (made if
// missing) with env, and waits until /healthz answers, trying another port
// if the free one was taken in between.
func startServe(bin, sdir, name string, env []string, args ...string) (*proc, error) {
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		return nil, err
	}
	for attempt := 0; attempt < 3; attempt++ {
		addr, err := freePort()
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
		cmd.Dir, cmd.Env = sdir, env
		p, err := startProc(name, cmd, filepath.Join(sdir, "server.log"))
		if err != nil {
			return nil, err
		}
		p.base = "http://" + addr
		if err = waitHealthy(p, 60*time.Second); err == nil {
			return p, nil
		}
		p.stop()
		if !strings.Contains(p.logTail(), "address already in use") {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%s: no free port after 3 attempts", name)
}

// waitHealthy polls /healthz until it answers 200, the process exits or
// the deadline passes.
func waitHealthy(p *proc, limit time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if p.exited() {
			return fmt.Errorf("%s exited before answering /healthz (%v); log:\n%s", p.name, p.waitErr, p.logTail())
		}
		resp, err := c.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer /healthz within %v; log:\n%s", p.name, limit, p.logTail())
}

// buildSignet builds ./cmd/signet of root into dir.
func buildSignet(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "signet")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/signet")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/signet: %w\n%s", err, out)
	}
	return bin, nil
}

// findRoot walks up from the working directory to the directory whose
// go.mod declares module github.com/signet-dev/signet.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/signet-dev/signet\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("signet repository root not found above the working directory; give -root")
		}
		dir = parent
	}
}

// rssKiB returns VmRSS of pid from /proc, in KiB.
func rssKiB(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, errors.New("no VmRSS in /proc/" + strconv.Itoa(pid) + "/status")
}

// cpuTime returns the user+system CPU time of every thread of pid so far,
// from /proc/PID/stat (clock ticks of 10 ms: the rounds are long enough).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields after it are fixed.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc/" + strconv.Itoa(pid) + "/stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc/" + strconv.Itoa(pid) + "/stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14 of proc(5)
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, errors.New("unreadable times in /proc/" + strconv.Itoa(pid) + "/stat")
	}
	return time.Duration(utime+stime) * (time.Second / clockTicks), nil
}

// clockTicks is USER_HZ, 100 on every Linux this runs on.
const clockTicks = 100

// hashFloor is one measurement of the argon2id floor: copies concurrent
// runs of password.BenchmarkHash (DefaultParams), each reporting ns/op.
type hashFloor struct {
	copies int
	nsOp   []float64
	cpu    time.Duration // user+system CPU of all copies, process start to exit
	hashes int           // hashes of all copies (the benchmarks' iterations)
}

// cpuPerHash is the CPU time of one hash, from the copies' rusage; it also
// counts their process start and test set-up (a few ms over seconds).
func (h hashFloor) cpuPerHash() time.Duration { return h.cpu / time.Duration(max(1, h.hashes)) }

// throughput is hashes per second of all copies together.
func (h hashFloor) throughput() float64 {
	var t float64
	for _, ns := range h.nsOp {
		t += 1e9 / ns
	}
	return t
}

// perHash is the machine time of one hash: 1/throughput.
func (h hashFloor) perHash() time.Duration { return time.Duration(1e9 / h.throughput()) }

// latency is the mean time one hash took while the copies ran together.
func (h hashFloor) latency() time.Duration {
	var s float64
	for _, ns := range h.nsOp {
		s += ns
	}
	return time.Duration(s / float64(len(h.nsOp)))
}

// buildHashBench compiles the password package's test binary: the same
// code as `go test -run '^$' -bench BenchmarkHash ./password/`, built once.
func buildHashBench(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "password.test")
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-o", bin, "./password/")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c ./password/: %w\n%s", err, out)
	}
	return bin, nil
}

// measureHashFloor runs copies of BenchmarkHash at once and parses ns/op.
func measureHashFloor(ctx context.Context, bin, root, benchtime string, copies int) (hashFloor, error) {
	h := hashFloor{copies: copies}
	outs := make([]bytes.Buffer, copies)
	cmds := make([]*exec.Cmd, copies)
	for i := range cmds {
		cmd := exec.CommandContext(ctx, bin, "-test.run", "^$", "-test.bench", "^BenchmarkHash$", "-test.benchtime", benchtime)
		cmd.Dir = filepath.Join(root, "password")
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		setDeathSignal(cmd)
		if err := cmd.Start(); err != nil {
			return h, err
		}
		cmds[i] = cmd
	}
	var firstErr error
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("BenchmarkHash: %w\n%s", err, outs[i].String())
		}
		if st := cmd.ProcessState; st != nil {
			h.cpu += st.UserTime() + st.SystemTime()
		}
	}
	if firstErr != nil {
		return h, firstErr
	}
	for i := range outs {
		ns, n, err := parseNsOp(outs[i].String(), "BenchmarkHash")
		if err != nil {
			return h, err
		}
		h.nsOp = append(h.nsOp, ns)
		h.hashes += n
	}
	return h, nil
}

// parseNsOp finds "BenchmarkName[-N]  iterations  X ns/op" in go test
// output and returns X and the iterations.
func parseNsOp(out, name string) (float64, int, error) {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || (f[0] != name && !strings.HasPrefix(f[0], name+"-")) {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		for i := 3; i < len(f); i++ {
			if f[i] == "ns/op" {
				ns, err := strconv.ParseFloat(f[i-1], 64)
				return ns, n, err
			}
		}
	}
	return 0, 0, fmt.Errorf("no %s ns/op in output:\n%s", name, out)
}

// environment describes the machine for the report.
type environment struct {
	date, cpu, goVersion, commit string
	cores, gomaxprocs            int
}

func describe(root string) environment {
	e := environment{date: time.Now().UTC().Format("2006-01-02 15:04 MST"), cores: runtime.NumCPU(),
		gomaxprocs: runtime.GOMAXPROCS(0), goVersion: runtime.Version(), cpu: "unknown", commit: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				e.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		e.goVersion = strings.TrimSpace(string(out))
	}
	cmd := exec.Command("git", "rev-parse", "--short", "HEAD") // read-only
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		e.commit = strings.TrimSpace(string(out))
	}
	return e
}

// workspace is what every run starts from: the repository root, a temporary
// directory (removed by close), the signet binary (built there unless one
// was given) and the do-nothing baseline, started.
type workspace struct {
	root, tmp, bin string
	baseline       *proc
}

// openWorkspace prepares a run: root and bin may be empty (found upwards
// from the working directory, built from ./cmd/signet); name prefixes the
// temporary directory. The caller closes it.
func openWorkspace(ctx context.Context, root, bin, name string, logw io.Writer) (*workspace, error) {
	if root == "" {
		var err error
		if root, err = findRoot(); err != nil {
			return nil, err
		}
	}
	tmp, err := os.MkdirTemp("", "signet-"+name+"-")
	if err != nil {
		return nil, err
	}
	w := &workspace{root: root, tmp: tmp, bin: bin}
	if w.bin == "" {
		fmt.Fprintln(logw, "load: building ./cmd/signet")
		if w.bin, err = buildSignet(ctx, root, tmp); err != nil {
			w.close()
			return nil, err
		}
	}
	if w.baseline, err = startBaseline(tmp); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

// close stops the baseline and removes the temporary directory.
func (w *workspace) close() {
	if w.baseline != nil {
		w.baseline.stop()
	}
	os.RemoveAll(w.tmp)
}
