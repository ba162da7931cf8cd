package httpapi

import (
	"context"
	"errors"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/signet-dev/signet/account"
)

func TestReadyz(t *testing.T) {
	e := newEnv(t)
	notReady := errors.New("database is locked")
	var readyErr error
	e.srv.ready = func(context.Context) error { return readyErr }
	wantJSON(t, e.do(t, req{method: "GET", path: "/readyz"}), 200)
	readyErr = notReady
	wantProblem(t, e.do(t, req{method: "GET", path: "/readyz"}), 503, "unavailable")
	if !strings.Contains(e.log.String(), "database is locked") {
		t.Error("the readiness failure was not logged")
	}
	wantJSON(t, e.do(t, req{method: "GET", path: "/healthz"}), 200) // liveness does not depend on it
}

var (
	helpLine   = regexp.MustCompile(`^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$`)
	typeLine   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$`)
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? (\S+)$`)
)

// parseExposition checks that text is well-formed Prometheus text format
// 0.0.4 and returns its samples, "name{labels}" → value.
func parseExposition(t *testing.T, text string) map[string]float64 {
	t.Helper()
	if !strings.HasSuffix(text, "\n") {
		t.Error("exposition does not end with a newline")
	}
	types := map[string]string{}
	samples := map[string]float64{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case helpLine.MatchString(line):
		case typeLine.MatchString(line):
			m := typeLine.FindStringSubmatch(line)
			if _, dup := types[m[1]]; dup {
				t.Errorf("line %d: second TYPE for %s", i+1, m[1])
			}
			types[m[1]] = m[2]
		case sampleLine.MatchString(line):
			m := sampleLine.FindStringSubmatch(line)
			family := m[1]
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if base, ok := strings.CutSuffix(m[1], suffix); ok && types[base] == "histogram" {
					family = base
				}
			}
			if types[family] == "" {
				t.Errorf("line %d: sample of %s before its TYPE", i+1, family)
			}
			v, err := strconv.ParseFloat(m[3], 64)
			if err != nil {
				t.Errorf("line %d: value %q: %v", i+1, m[3], err)
			}
			if _, dup := samples[m[1]+m[2]]; dup {
				t.Errorf("line %d: duplicate series %s%s", i+1, m[1], m[2])
			}
			samples[m[1]+m[2]] = v
		default:
			t.Errorf("line %d is not well-formed: %q", i+1, line)
		}
	}
	return samples
}

// TestMetrics checks the exposition format, the series the server keeps and
// that no label carries a token, an email, an id or a raw path.
func TestMetrics(t *testing.T) {
	e := newEnv(t)
	const email, sid = "ann.secret@example.com", "s_secret_42"
	e.do(t, req{method: "POST", path: "/v1/login", body: `{"email":"` + email + `","password":"pw"}`})
	e.api.setErr("Login", account.ErrInvalidCredentials)
	e.do(t, req{method: "POST", path: "/v1/login", body: `{"email":"` + email + `","password":"bad"}`})
	e.do(t, req{method: "POST", path: "/v1/login", body: `{"unknown":1}`})
	e.do(t, req{method: "DELETE", path: "/v1/sessions/" + sid, token: userToken})
	e.do(t, req{method: "GET", path: "/v1/me?access_token=" + userToken})
	e.do(t, req{method: "GET", path: "/no/such/" + sid})
	e.do(t, req{method: "BREW", path: "/v1/me"})
	res := e.do(t, req{method: "GET", path: "/metrics"})
	if res.status != 200 || res.header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q", res.status, res.header.Get("Content-Type"))
	}
	text := string(res.body)
	samples := parseExposition(t, text)
	for _, secret := range []string{email, sid, userToken, "access_token", "/no/such", "BREW"} {
		if strings.Contains(text, secret) {
			t.Errorf("metrics hold %q", secret)
		}
	}
	for series, want := range map[string]float64{
		`http_requests_total{route="/v1/login",method="POST",code="200"}`:           1,
		`http_requests_total{route="/v1/login",method="POST",code="401"}`:           1,
		`http_requests_total{route="/v1/sessions/{id}",method="DELETE",code="204"}`: 1,
		`http_requests_total{route="unmatched",method="GET",code="404"}`:            1,
		`http_requests_total{route="unmatched",method="OTHER",code="405"}`:          1,
		`http_request_duration_seconds_count{route="/v1/login"}`:                    3,
		`http_request_duration_seconds_bucket{route="/v1/login",le="+Inf"}`:         3,
		`signet_logins_total{result="success"}`:                                     1,
		`signet_logins_total{result="invalid_credentials"}`:                         1,
		`signet_logins_total{result="malformed_request"}`:                           1,
		`signet_logins_total{result="throttled"}`:                                   0,
		`go_info{version="` + runtime.Version() + `"}`:                              1,
	} {
		if got, ok := samples[series]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "go_memstats_sys_bytes", "process_start_time_seconds"} {
		if samples[name] <= 0 {
			t.Errorf("%s = %v, want > 0", name, samples[name])
		}
	}
	checkHistogram(t, samples, "/v1/login")
}

// checkHistogram checks that a route's buckets are cumulative.
func checkHistogram(t *testing.T, samples map[string]float64, route string) {
	t.Helper()
	prev := 0.0
	for _, le := range durationBuckets {
		v := samples[`http_request_duration_seconds_bucket{route="`+route+`",le="`+formatFloat(le)+`"}`]
		if v < prev {
			t.Errorf("bucket le=%v = %v is below the previous %v", le, v, prev)
		}
		prev = v
	}
}
