package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// checkLoopbackDSN refuses a DSN (given as flag) that is not a postgres://
// URL on loopback: this program loads no other host.
func checkLoopbackDSN(flag, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("%s: want a postgres:// URL", flag)
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return nil
	}
	return fmt.Errorf("%s: the server must be on 127.0.0.1, not %q", flag, u.Hostname())
}

// psql runs one SQL command with psql on dsn and returns its unaligned,
// tuples-only output.
func psql(dsn, sql string) (string, error) {
	cmd := exec.Command("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("psql: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// createDatabase makes a new database for the run and returns its DSN and
// a function that drops it.
func createDatabase(admin string) (string, func(), error) {
	var b [6]byte
	rand.Read(b[:])
	name := "signet_load_" + hex.EncodeToString(b[:])
	if _, err := psql(admin, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("creating the run's database (needs psql and a role that may create databases): %w", err)
	}
	drop := func() { psql(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") }
	u, _ := url.Parse(admin)
	u.Path, u.RawPath = "/"+name, ""
	return u.String(), drop, nil
}

// withPool returns dsn with pool_max_conns set, when n > 0.
func withPool(dsn string, n int) string {
	if n <= 0 {
		return dsn
	}
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("pool_max_conns", strconv.Itoa(n))
	u.RawQuery = q.Encode()
	return u.String()
}

// backendPIDs returns the server processes of the database's client
// connections (psql's own excluded): the PostgreSQL CPU a configuration
// costs is theirs.
func backendPIDs(dsn string) ([]int, error) {
	out, err := psql(dsn, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()
		AND backend_type = 'client backend' AND pid <> pg_backend_pid()`)
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range strings.Fields(out) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// cpuTimes returns each pid's CPU time so far; processes that are gone are
// left out.
func cpuTimes(pids []int) map[int]time.Duration {
	out := map[int]time.Duration{}
	for _, pid := range pids {
		if d, err := cpuTime(pid); err == nil {
			out[pid] = d
		}
	}
	return out
}

// cpuSince is the CPU time spent since before by the processes of after (a
// process new since before counts from zero).
func cpuSince(before, after map[int]time.Duration) time.Duration {
	var d time.Duration
	for pid, t := range after {
		d += t - before[pid]
	}
	return d
}

// newMasterKey returns a SIGNET_MASTER_KEY value: 32 random bytes, base64.
func newMasterKey() string {
	var k [32]byte
	rand.Read(k[:])
	return base64.StdEncoding.EncodeToString(k[:])
}

// startInstance runs `signet serve` on db (sqlite:PATH or postgres://…)
// with the given master key in its own directory of dir, and waits until
// it answers.
func startInstance(bin, dir, name, db, masterKey string, extra ...string) (*proc, error) {
	args := append([]string{"--db", db, "--log-level", "warn", "--access-ttl", "1h"}, extra...)
	return startServe(bin, filepath.Join(dir, name), name, append(signetEnv(), "SIGNET_MASTER_KEY="+masterKey), args...)
}

// roundRobin sends each request to the next of hosts: the client-side
// equivalent of a round-robin load balancer, without one's cost.
type roundRobin struct {
	hosts []string
	next  atomic.Uint64
	rt    http.RoundTripper
}

func (r *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	host := r.hosts[(r.next.Add(1)-1)%uint64(len(r.hosts))]
	req = req.Clone(req.Context())
	req.URL.Host, req.Host = host, host
	return r.rt.RoundTrip(req)
}

// newFleetTarget is a target whose requests go round-robin to procs.
func newFleetTarget(name string, procs []*proc, conc int) (*target, error) {
	if len(procs) == 0 {
		return nil, errors.New("a configuration without instances")
	}
	t := newTarget(name, procs[0], conc*len(procs))
	rr := &roundRobin{rt: t.client.Transport}
	for _, p := range procs {
		rr.hosts = append(rr.hosts, strings.TrimPrefix(p.base, "http://"))
	}
	t.client.Transport = rr
	return t, nil
}
