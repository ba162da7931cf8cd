package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet/internal/testenv"
)

// TestScaleoutQuick runs the scale-out mode briefly (PostgreSQL with one and
// two instances, refresh and /v1/me, half a second each) so it keeps
// compiling and working. It measures nothing worth reading.
func TestScaleoutQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("bench/load: skipped with -short; it builds signet and runs servers for ~15 s")
	}
	db := testenv.NewPostgresDB(t)
	o, err := parseScaleFlags([]string{"-quick", "-scenario", "refresh,me", "-instances", "1,2", "-sqlite=false",
		"-duration", "500ms", "-concurrency", "4", "-pg-db", db}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	var out, log bytes.Buffer
	if err := runScaleout(ctx, o, &out, &log); err != nil {
		t.Fatalf("%v\nprogress:\n%s", err, log.String())
	}
	t.Logf("report:\n%s", out.String())
	for _, want := range []string{"### refresh (c=4)", "| postgres×2 |", "### me (c=4)", "goal refresh", "### raw rounds"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out.String(), "first_error=") {
		t.Errorf("requests failed:\n%s", out.String())
	}
}

func TestScaleFlags(t *testing.T) {
	for _, bad := range [][]string{{"-instances", "0"}, {"-instances", "9"}, {"-scenario", "memory"},
		{"-pg-admin", "postgres://db.example.com/postgres"}, {"-pg-admin", "mysql://127.0.0.1/x"}, {"-pg-db", "postgres://10.0.0.1/x"}, {"-pool", "-1"}} {
		if _, err := parseScaleFlags(bad, &bytes.Buffer{}); err == nil {
			t.Errorf("parseScaleFlags(%q) accepted it", bad)
		}
	}
	o, err := parseScaleFlags([]string{"-instances", "3,1,1", "-scenario", "all"}, &bytes.Buffer{})
	if err != nil || len(o.instances) != 2 || o.instances[0] != 1 || len(o.scenarios) != 3 {
		t.Fatalf("parseScaleFlags = %+v, %v", o, err)
	}
}
