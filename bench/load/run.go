package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// request is one HTTP request of a scenario.
type request struct {
	method, path string
	body         []byte // sent as application/json when not nil
	bearer       string
	form         bool      // send body as application/x-www-form-urlencoded instead
	basic        [2]string // HTTP Basic user and password, when set
}

// worker makes a scenario's requests. One worker value may serve several
// client goroutines when it is safe for concurrent use.
type worker interface {
	next() request
	// done sees the body of a 200 from the server under test (never the
	// baseline's): a refresh chain takes its next token from it. An error
	// counts as a failed request and stops that client.
	done(body []byte) error
}

// target is a server and the client that loads it.
type target struct {
	name   string
	base   string
	pid    int // the server process, for its CPU time
	client *http.Client
}

func newTarget(name string, p *proc, conc int) *target {
	tr := &http.Transport{
		Proxy:               nil, // never a proxy: loopback only
		MaxIdleConns:        2 * conc,
		MaxIdleConnsPerHost: 2 * conc, // keep-alive for every client goroutine
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &target{name: name, base: p.base, pid: p.pid(), client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// do sends rq and reads the whole answer into buf.
func (t *target) do(ctx context.Context, rq request, buf *bytes.Buffer) (int, error) {
	var body io.Reader = http.NoBody
	if rq.body != nil {
		body = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, t.base+rq.path, body)
	if err != nil {
		return 0, err
	}
	switch {
	case rq.body != nil && rq.form:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case rq.body != nil:
		req.Header.Set("Content-Type", "application/json")
	}
	if rq.basic[0] != "" {
		req.SetBasicAuth(rq.basic[0], rq.basic[1])
	}
	if rq.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+rq.bearer)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, err
}

// sample is one measured round of one configuration.
type sample struct {
	scenario, target string
	round, conc      int
	n, errs          int // successful and failed requests
	elapsed          time.Duration
	cpu              time.Duration // the server's user+system CPU during the round
	p50, p99, max    time.Duration
	firstErr         string
}

func (s sample) rps() float64 { return float64(s.n) / s.elapsed.Seconds() }

// cpuPerReq is the server's CPU time per successful request.
func (s sample) cpuPerReq() time.Duration { return s.cpu / time.Duration(max(1, s.n)) }

func (s sample) String() string {
	e := ""
	if s.errs > 0 {
		e = fmt.Sprintf(" first_error=%q", s.firstErr)
	}
	return fmt.Sprintf("scenario=%s target=%s round=%d conc=%d n=%d errors=%d elapsed=%.3fs rps=%.1f p50=%s p99=%s max=%s server_cpu=%.2fs cpu/req=%s%s",
		s.scenario, s.target, s.round, s.conc, s.n, s.errs, s.elapsed.Seconds(), s.rps(),
		fmtDur(s.p50), fmtDur(s.p99), fmtDur(s.max), s.cpu.Seconds(), fmtDur(s.cpuPerReq()), e)
}

// measure runs one client goroutine per worker against t until dur has
// passed or maxReq requests were started, and returns the round's figures.
// underTest says whether answers go to the workers' done.
func measure(ctx context.Context, t *target, ws []worker, underTest bool, dur time.Duration, maxReq int64) sample {
	s := sample{target: t.name, conc: len(ws)}
	var (
		issued   atomic.Int64
		mu       sync.Mutex
		all      []time.Duration
		wg       sync.WaitGroup
		deadline = time.Now().Add(dur)
	)
	cpu0, cpuErr := cpuTime(t.pid)
	start := time.Now()
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var (
				buf    bytes.Buffer
				lat    = make([]time.Duration, 0, 4096)
				errs   int
				errMsg string
			)
			for ctx.Err() == nil && time.Now().Before(deadline) && issued.Add(1) <= maxReq {
				rq := w.next()
				t0 := time.Now()
				status, err := t.do(ctx, rq, &buf)
				d := time.Since(t0)
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("%s %s: status %d: %.300s", rq.method, rq.path, status, buf.Bytes())
				}
				if err == nil && underTest {
					err = w.done(buf.Bytes())
				}
				if err != nil {
					errs++
					if errMsg == "" {
						errMsg = err.Error()
					}
					break // a broken chain or a dead server: stop this client
				}
				lat = append(lat, d)
			}
			mu.Lock()
			all = append(all, lat...)
			s.errs += errs
			if s.firstErr == "" {
				s.firstErr = errMsg
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	s.elapsed = time.Since(start)
	if cpu1, err := cpuTime(t.pid); err == nil && cpuErr == nil {
		s.cpu = cpu1 - cpu0
	}
	slices.Sort(all)
	s.n = len(all)
	s.p50, s.p99 = percentile(all, 0.50), percentile(all, 0.99)
	if len(all) > 0 {
		s.max = all[len(all)-1]
	}
	return s
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// median of xs (mean of the two middle values for an even count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianOf(ss []sample, f func(sample) float64) float64 {
	xs := make([]float64, len(ss))
	for i, s := range ss {
		xs[i] = f(s)
	}
	return median(xs)
}

func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < 100*time.Microsecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
}
