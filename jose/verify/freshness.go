package verify

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// freshness is how long a response stays fresh for a private cache (RFC
// 9111 section 4.2.1): its Cache-Control max-age less its Age, zero for
// no-store or no-cache, DefaultKeySetTTL when it says nothing, and never
// more than maxKeySetTTL.
func freshness(h http.Header) time.Duration {
	ttl, found := time.Duration(-1), false
	for _, line := range h.Values("Cache-Control") {
		for dir := range strings.SplitSeq(line, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(dir), "=")
			switch strings.ToLower(name) {
			case "no-store", "no-cache":
				return 0
			case "max-age":
				if secs, ok := deltaSeconds(val); ok && !found {
					ttl, found = time.Duration(secs)*time.Second, true
				}
			}
		}
	}
	if !found {
		return DefaultKeySetTTL
	}
	if age, ok := deltaSeconds(h.Get("Age")); ok {
		ttl -= time.Duration(age) * time.Second
	}
	return min(max(ttl, 0), maxKeySetTTL)
}

// deltaSeconds reads RFC 9111's delta-seconds (quoted too, as some servers
// send it), saturating instead of overflowing.
func deltaSeconds(s string) (int64, bool) {
	s = strings.Trim(s, `"`)
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > int64(maxKeySetTTL/time.Second) {
		return int64(maxKeySetTTL / time.Second), true
	}
	return n, true
}

// backoff returns the wait before attempt n (1, 2, …) after failures:
// exponential from lo, capped at hi, with full jitter on its upper half so
// that many verifiers do not reconnect in step.
func backoff(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}
