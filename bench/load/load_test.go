package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary serve as the baseline child, as the command
// itself does.
func TestMain(m *testing.M) {
	if runBaselineChild() {
		return
	}
	os.Exit(m.Run())
}

// TestQuick runs the self-test mode end to end (build, both servers, every
// scenario for 1 s) so the load generator keeps compiling and working. It
// measures nothing worth reading.
func TestQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("bench/load: skipped with -short; it builds signet and runs servers for ~20 s")
	}
	o, err := parseFlags([]string{"-scenario", "all", "-duration", "1s", "-quick", "-concurrency", "4"}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	var out, log bytes.Buffer
	if err := run(ctx, o, &out, &log); err != nil {
		t.Fatalf("%v\nprogress:\n%s", err, log.String())
	}
	t.Logf("report:\n%s", out.String())
	for _, want := range []string{"| login | 2 |", "| refresh | 4 |", "| me | 4 |", "### memory", "### raw rounds", "scenario=argon2id-floor"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out.String(), "first_error=") {
		t.Errorf("requests failed:\n%s", out.String())
	}
}

func TestParseNsOp(t *testing.T) {
	out := "goos: linux\nBenchmarkHash-2   \t      20\t  85123456 ns/op\nPASS\n"
	ns, n, err := parseNsOp(out, "BenchmarkHash")
	if err != nil || ns != 85123456 || n != 20 {
		t.Fatalf("parseNsOp = %v, %v, %v", ns, n, err)
	}
	if _, _, err := parseNsOp("BenchmarkHashX-2 20 5 ns/op", "BenchmarkHash"); err == nil {
		t.Fatal("matched another benchmark")
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	if p := percentile(d, 0.5); p != 50 {
		t.Errorf("p50 = %v", p)
	}
	if p := percentile(d, 0.99); p != 99 {
		t.Errorf("p99 = %v", p)
	}
}
