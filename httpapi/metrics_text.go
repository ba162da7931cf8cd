package httpapi

import (
	"bytes"
	"fmt"
	"maps"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strconv"
	"strings"
)

// writeText writes every metric in the Prometheus text exposition format
// 0.0.4, series sorted so that the output is stable.
func (m *metrics) writeText(b *bytes.Buffer) {
	m.mu.Lock()
	m.writeRequests(b)
	m.writeDurations(b)
	family(b, "signet_logins_total", "counter", "Login attempts by result: success or the problem kind answered.")
	for _, k := range slices.Sorted(maps.Keys(m.logins)) {
		sample(b, "signet_logins_total", m.logins[k], "result", k)
	}
	m.mu.Unlock()
	writeRuntime(b, m.start.Unix())
}

func (m *metrics) writeRequests(b *bytes.Buffer) {
	family(b, "http_requests_total", "counter", "HTTP requests answered, by route pattern, method and status code.")
	keys := slices.SortedFunc(maps.Keys(m.requests), func(x, y requestKey) int {
		return strings.Compare(fmt.Sprint(x), fmt.Sprint(y))
	})
	for _, k := range keys {
		sample(b, "http_requests_total", m.requests[k], "route", k.route, "method", k.method, "code", strconv.Itoa(k.code))
	}
}

func (m *metrics) writeDurations(b *bytes.Buffer) {
	const name = "http_request_duration_seconds"
	family(b, name, "histogram", "Time to answer an HTTP request, by route pattern.")
	for _, route := range slices.Sorted(maps.Keys(m.durations)) {
		h := m.durations[route]
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			sample(b, name+"_bucket", cum, "route", route, "le", formatFloat(le))
		}
		sample(b, name+"_bucket", h.count, "route", route, "le", "+Inf")
		sample(b, name+"_sum", h.sum, "route", route)
		sample(b, name+"_count", h.count, "route", route)
	}
}

// runtimeSamples are the runtime/metrics behind the go_* gauges.
var runtimeSamples = []struct{ name, metric, typ, help string }{
	{"go_goroutines", "/sched/goroutines:goroutines", "gauge", "Number of goroutines that currently exist."},
	{"go_memstats_heap_alloc_bytes", "/memory/classes/heap/objects:bytes", "gauge", "Bytes of allocated heap objects."},
	{"go_memstats_sys_bytes", "/memory/classes/total:bytes", "gauge", "Bytes of memory obtained from the OS."},
	{"go_gc_cycles_total", "/gc/cycles/total:gc-cycles", "counter", "Completed GC cycles."},
}

func writeRuntime(b *bytes.Buffer, start int64) {
	family(b, "go_info", "gauge", "Information about the Go environment.")
	sample(b, "go_info", int64(1), "version", runtime.Version())
	s := make([]rtmetrics.Sample, len(runtimeSamples))
	for i, r := range runtimeSamples {
		s[i].Name = r.metric
	}
	rtmetrics.Read(s)
	for i, r := range runtimeSamples {
		if s[i].Value.Kind() != rtmetrics.KindUint64 {
			continue // not known to this Go version
		}
		family(b, r.name, r.typ, r.help)
		sample(b, r.name, s[i].Value.Uint64())
	}
	family(b, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.")
	sample(b, "process_start_time_seconds", start)
}

// family writes the HELP and TYPE lines of a metric.
func family(b *bytes.Buffer, name, typ, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// sample writes one sample line; labels are name, value pairs.
func sample[V uint64 | int64 | float64](b *bytes.Buffer, name string, v V, labels ...string) {
	b.WriteString(name)
	for i := 0; i+1 < len(labels); i += 2 {
		sep := ","
		if i == 0 {
			sep = "{"
		}
		b.WriteString(sep + labels[i] + `="` + labelEscaper.Replace(labels[i+1]) + `"`)
	}
	if len(labels) > 0 {
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatFloat(float64(v)))
	b.WriteByte('\n')
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
