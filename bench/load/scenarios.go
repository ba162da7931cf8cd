package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// user is a seeded account.
type user struct {
	email, password string
	loginBody       []byte
}

// makeUsers returns n distinct users; tag keeps runs and servers apart.
func makeUsers(n int, tag string) []user {
	var salt [6]byte
	rand.Read(salt[:])
	secret := hex.EncodeToString(salt[:])
	us := make([]user, n)
	for i := range us {
		u := user{
			email:    fmt.Sprintf("load%05d.%s.%s@example.com", i, tag, secret[:6]),
			password: fmt.Sprintf("velvet-%s-harbor-%05d-lantern", secret, i),
		}
		u.loginBody, _ = json.Marshal(map[string]string{"email": u.email, "password": u.password})
		us[i] = u
	}
	return us
}

// parallel runs f(i) for i in 0..n-1 on conc goroutines and returns the
// first error.
func parallel(ctx context.Context, n, conc int, f func(i int) error) error {
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range min(conc, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := f(i); err != nil {
					errOnce.Do(func() { firstErr = err })
					next.Store(int64(n)) // stop the others
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// signupAll creates every user through POST /v1/signup.
func signupAll(ctx context.Context, t *target, us []user, conc int) error {
	return parallel(ctx, len(us), conc, func(i int) error {
		body, _ := json.Marshal(map[string]string{"email": us[i].email, "password": us[i].password, "name": fmt.Sprintf("Load User %d", i)})
		var buf bytes.Buffer
		status, err := t.do(ctx, request{method: "POST", path: "/v1/signup", body: body}, &buf)
		if err == nil && status != http.StatusCreated {
			err = fmt.Errorf("signup: status %d: %.300s", status, buf.Bytes())
		}
		return err
	})
}

// tokens are the tokens of one login.
type tokens struct {
	Access  string `json:"access_token"`
	Refresh string `json:"refresh_token"`
}

// loginEach logs in as us[i % len(us)] for i in 0..n-1, each login a new
// session, and returns the tokens.
func loginEach(ctx context.Context, t *target, us []user, n, conc int) ([]tokens, error) {
	out := make([]tokens, n)
	err := parallel(ctx, n, conc, func(i int) error {
		var buf bytes.Buffer
		status, err := t.do(ctx, request{method: "POST", path: "/v1/login", body: us[i%len(us)].loginBody}, &buf)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("login: status %d: %.300s", status, buf.Bytes())
		}
		if err == nil {
			err = json.Unmarshal(buf.Bytes(), &out[i])
		}
		if err == nil && (out[i].Access == "" || out[i].Refresh == "") {
			err = fmt.Errorf("login: no tokens in %.300s", buf.Bytes())
		}
		return err
	})
	return out, err
}

// loginWorker logs in over a pool of distinct users; safe for concurrent use.
type loginWorker struct {
	users []user
	i     atomic.Int64
}

func (w *loginWorker) next() request {
	u := w.users[int((w.i.Add(1)-1)%int64(len(w.users)))]
	return request{method: "POST", path: "/v1/login", body: u.loginBody}
}

var accessTokenKey = []byte(`"access_token":"`)

func (w *loginWorker) done(body []byte) error {
	if !bytes.Contains(body, accessTokenKey) {
		return fmt.Errorf("login: no access token in %.300s", body)
	}
	return nil
}

// refreshChain follows one session's refresh tokens: each request presents
// the token the previous answer returned. One client goroutine only.
type refreshChain struct{ token string }

func (c *refreshChain) next() request {
	body := make([]byte, 0, len(c.token)+20)
	body = append(body, `{"refresh_token":"`...)
	body = append(body, c.token...)
	body = append(body, `"}`...)
	return request{method: "POST", path: "/v1/refresh", body: body}
}

var refreshTokenKey = []byte(`"refresh_token":"`)

func (c *refreshChain) done(body []byte) error {
	_, rest, ok := bytes.Cut(body, refreshTokenKey)
	if ok {
		tok, _, ok2 := bytes.Cut(rest, []byte(`"`))
		if ok2 && len(tok) > 0 && bytes.IndexByte(tok, '\\') < 0 {
			c.token = string(tok)
			return nil
		}
	}
	return fmt.Errorf("refresh: no refresh token in %.300s", body)
}

func chains(ts []tokens) []worker {
	ws := make([]worker, len(ts))
	for i, t := range ts {
		ws[i] = &refreshChain{token: t.Refresh}
	}
	return ws
}

// meWorker calls GET /v1/me over a pool of distinct access tokens; safe for
// concurrent use.
type meWorker struct {
	tokens []string
	i      atomic.Int64
}

func (w *meWorker) next() request {
	return request{method: "GET", path: "/v1/me", bearer: w.tokens[int((w.i.Add(1)-1)%int64(len(w.tokens)))]}
}

var subKey = []byte(`"sub":"`)

func (w *meWorker) done(body []byte) error {
	if !bytes.Contains(body, subKey) {
		return fmt.Errorf("me: no sub in %.300s", body)
	}
	return nil
}

func repeat(w worker, n int) []worker {
	ws := make([]worker, n)
	for i := range ws {
		ws[i] = w
	}
	return ws
}

// pair is a scenario measured in rounds alternating with the baseline.
type pair struct {
	scenario         string
	conc             int
	signet, baseline []sample
	floors           []hashFloor // login only: the argon2id floor of each round
}

// runPair measures ws against sig and base for o.rounds rounds, alternating
// which goes first; floor, if set, runs after each round (login's argon2id
// floor).
func runPair(ctx context.Context, o *options, logw io.Writer, scenario string, sig, base *target,
	ws []worker, floor func() (hashFloor, error)) (*pair, error) {
	p := &pair{scenario: scenario, conc: len(ws)}
	if o.warmup > 0 {
		fmt.Fprintf(logw, "  %s c=%d: warm-up %v on each server\n", scenario, len(ws), o.warmup)
		measure(ctx, base, ws, false, o.warmup, o.maxRequests)
		if s := measure(ctx, sig, ws, true, o.warmup, o.maxRequests); s.errs > 0 {
			return nil, fmt.Errorf("%s warm-up: %s", scenario, s.firstErr)
		}
	}
	for r := 1; r <= o.rounds; r++ {
		order := []*target{base, sig}
		if r%2 == 0 {
			order = []*target{sig, base}
		}
		for _, t := range order {
			s := measure(ctx, t, ws, t == sig, o.duration, o.maxRequests)
			s.scenario, s.round = scenario, r
			fmt.Fprintf(logw, "  %s\n", s)
			if t == sig {
				p.signet = append(p.signet, s)
			} else {
				p.baseline = append(p.baseline, s)
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if floor != nil {
			h, err := floor()
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(logw, "  argon2id floor round=%d copies=%d ns/op=%v -> %.2f hashes/s, cpu/hash=%s\n", r, h.copies, h.nsOp, h.throughput(), fmtDur(h.cpuPerHash()))
			p.floors = append(p.floors, h)
		}
	}
	return p, nil
}

// memResult is the memory scenario's outcome.
type memResult struct {
	before, peak, after       int64 // VmRSS, KiB
	heapBefore, heapAfter     float64
	goroutBefore, goroutAfter float64
	baselineRSS               int64
	samples                   []rssSample
	refresh, me               sample
	duration                  time.Duration
	settle                    time.Duration // waited for VmRSS to settle before "before"
	cpu                       time.Duration // the server's CPU time during the run
}

// early and late are the mean VmRSS of the first and last tenth of the run.
func (m *memResult) early() int64 { return meanRSS(m.samples[:max(1, len(m.samples)/10)]) }
func (m *memResult) late() int64 {
	return meanRSS(m.samples[len(m.samples)-max(1, len(m.samples)/10):])
}

func meanRSS(ss []rssSample) int64 {
	var t int64
	for _, s := range ss {
		t += s.kib
	}
	return t / int64(max(1, len(ss)))
}

// waitRSSSettled polls pid's VmRSS every 250 ms until it has moved by less
// than 2% over the last 3 s, or limit passes; it returns how long it waited.
func waitRSSSettled(ctx context.Context, pid int, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	var hist []int64
	for time.Since(start) < limit {
		k, err := rssKiB(pid)
		if err != nil {
			return 0, err
		}
		hist = append(hist, k)
		if len(hist) > 12 {
			w := hist[len(hist)-13:]
			lo, hi := slices.Min(w), slices.Max(w)
			if float64(hi-lo) < 0.02*float64(hi) {
				break
			}
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return time.Since(start), nil
}

type rssSample struct {
	at  time.Duration
	kib int64
}

// runMemory runs refresh chains and /v1/me together for o.memoryDuration and
// samples the server's VmRSS.
func runMemory(ctx context.Context, o *options, logw io.Writer, sig *target, pid int, baselinePID int,
	refreshWs, meWs []worker) (*memResult, error) {
	m := &memResult{duration: o.memoryDuration}
	maxReq := o.maxRequests * int64(max(1, o.memoryDuration/o.duration))
	if o.warmup > 0 {
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); measure(ctx, sig, refreshWs, true, o.warmup, o.maxRequests) }()
		go func() { defer wg.Done(); measure(ctx, sig, meWs, true, o.warmup, o.maxRequests) }()
		wg.Wait()
	}
	// Seeding hashes passwords (argon2id buffers of ~19 MiB) and the Go
	// runtime returns freed memory to the OS only gradually: wait until
	// VmRSS settles, so "before" is the server's steady state.
	var err error
	settleLimit := 30 * time.Second
	if o.quick {
		settleLimit = 2 * time.Second
	}
	if m.settle, err = waitRSSSettled(ctx, pid, settleLimit); err != nil {
		return nil, err
	}
	if m.before, err = rssKiB(pid); err != nil {
		return nil, err
	}
	m.baselineRSS, _ = rssKiB(baselinePID)
	m.heapBefore, m.goroutBefore = serverMetrics(ctx, sig)
	m.peak = m.before
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		every := max(100*time.Millisecond, min(time.Second, o.memoryDuration/60))
		tick := time.NewTicker(every)
		defer tick.Stop()
		start := time.Now()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if k, err := rssKiB(pid); err == nil {
					m.samples = append(m.samples, rssSample{time.Since(start), k})
					m.peak = max(m.peak, k)
				}
			}
		}
	}()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		m.refresh = measure(ctx, sig, refreshWs, true, o.memoryDuration, maxReq)
		m.refresh.scenario = "memory/refresh"
	}()
	go func() {
		defer wg.Done()
		m.me = measure(ctx, sig, meWs, true, o.memoryDuration, maxReq)
		m.me.scenario = "memory/me"
	}()
	wg.Wait()
	close(stop)
	sampler.Wait()
	// Both halves read the whole server's CPU time: keep it once, for both.
	m.cpu = max(m.refresh.cpu, m.me.cpu)
	m.refresh.cpu, m.me.cpu = 0, 0
	if m.after, err = rssKiB(pid); err != nil {
		return nil, err
	}
	m.peak = max(m.peak, m.after)
	m.heapAfter, m.goroutAfter = serverMetrics(ctx, sig)
	fmt.Fprintf(logw, "  %s\n  %s\n  rss before=%d KiB peak=%d KiB after=%d KiB\n", m.refresh, m.me, m.before, m.peak, m.after)
	if m.refresh.errs+m.me.errs > 0 {
		return m, errors.New("memory run had failed requests")
	}
	return m, ctx.Err()
}

// serverMetrics reads the heap and goroutine gauges of signet's /metrics
// (NaN when absent).
func serverMetrics(ctx context.Context, t *target) (heap, goroutines float64) {
	heap, goroutines = -1, -1
	var buf bytes.Buffer
	status, err := t.do(ctx, request{method: "GET", path: "/metrics"}, &buf)
	if err != nil || status != http.StatusOK {
		return
	}
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_memstats_heap_alloc_bytes":
			heap = v
		case "go_goroutines":
			goroutines = v
		}
	}
	return
}
