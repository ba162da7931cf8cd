package httpapi

import (
	"strings"
	"sync"
	"time"
)

// durationBuckets are the upper bounds of http_request_duration_seconds, in
// seconds (Prometheus's defaults).
var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// metrics holds the counters /metrics exposes. Every label value comes from
// a bounded set chosen by the server (route patterns, methods, status codes,
// problem kinds), never from a path, a token, an email or an id
// (SECURITY.md rule 15).
type metrics struct {
	start time.Time

	mu        sync.Mutex // guards the maps and histograms below
	requests  map[requestKey]uint64
	durations map[string]*histogram // by route
	logins    map[string]uint64     // by result
}

type requestKey struct {
	route, method string
	code          int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics(start time.Time) *metrics {
	return &metrics{
		start:     start,
		requests:  map[requestKey]uint64{},
		durations: map[string]*histogram{},
		logins:    map[string]uint64{"success": 0, "invalid_credentials": 0, "throttled": 0},
	}
}

// observeRequest counts one answered request.
func (m *metrics) observeRequest(route, method string, code int, d time.Duration) {
	secs := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{route, method, code}]++
	h := m.durations[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets))}
		m.durations[route] = h
	}
	for i, le := range durationBuckets {
		if secs <= le {
			h.counts[i]++
			break
		}
	}
	h.sum += secs
	h.count++
}

// countLogin counts one login attempt by its outcome: "success", or the
// problem kind it was answered with ("invalid_credentials", "throttled",
// "malformed_request", "internal", …).
func (m *metrics) countLogin(err error) {
	result := "success"
	if err != nil {
		result = strings.ReplaceAll(strings.TrimPrefix(problemFor(err).Type, problemBase), "-", "_")
	}
	m.mu.Lock()
	m.logins[result]++
	m.mu.Unlock()
}
