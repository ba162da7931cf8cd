package testenv

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// PostgresCluster is a throwaway PostgreSQL server of one test's own: a data
// directory made with initdb in a temporary directory, served on a free
// 127.0.0.1 port with trust authentication. A test that stops, kills or
// restarts PostgreSQL uses one, never the shared server other tests use.
// Run as root, the server runs as the postgres user (PostgreSQL refuses to
// run as root).
type PostgresCluster struct {
	// DSN names the cluster's postgres database as the superuser postgres.
	DSN string

	dir, data string // dir holds data and the server's log
	pgCtl     string
	cred      *syscall.Credential // the postgres user's, when run as root
}

// NewPostgresCluster initialises and starts a cluster; t's cleanup stops it
// (immediately: it is thrown away) and removes its files. It skips t, or
// fails it in CI, when PostgreSQL's server programs (initdb, pg_ctl: Debian's
// postgresql package) are missing, or when run as root without a postgres
// user.
func NewPostgresCluster(t testing.TB) *PostgresCluster {
	t.Helper()
	bin, err := postgresBin()
	Need(t, err, "install PostgreSQL's server programs (Debian: apt-get install postgresql)")
	c := &PostgresCluster{pgCtl: filepath.Join(bin, "pg_ctl")}
	if os.Geteuid() == 0 {
		c.cred, err = postgresUser()
		Need(t, err, "create the postgres user (Debian's postgresql package does)")
	}
	// Under the system's temporary directory, not t.TempDir: the postgres
	// user must be able to reach it.
	if c.dir, err = os.MkdirTemp("", "signet-pgcluster-"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(c.dir) })
	if c.cred != nil {
		if err := os.Chown(c.dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	c.data = filepath.Join(c.dir, "data")
	c.run(t, filepath.Join(bin, "initdb"), "-D", c.data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--no-locale", "--no-sync")
	port := freePort(t)
	conf := fmt.Sprintf("\nport = %d\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"+
		"max_connections = 60\nfsync = on\nsynchronous_commit = on\n", port)
	f, err := os.OpenFile(filepath.Join(c.data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(conf)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		t.Fatal(err)
	}
	c.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	c.Start(t)
	t.Cleanup(func() { // a test may leave it stopped
		c.command(c.pgCtl, "stop", "-D", c.data, "-w", "-t", "60", "-m", "immediate").Run()
	})
	return c
}

// Start starts the server and waits until it accepts connections.
func (c *PostgresCluster) Start(t testing.TB) {
	t.Helper()
	c.ctl(t, "start", "-l", filepath.Join(c.dir, "server.log"))
}

// Stop stops the server with pg_ctl's shutdown mode ("fast": end sessions
// and shut down cleanly; "immediate": as if it crashed, recovering from the
// WAL at the next start) and waits until it has stopped.
func (c *PostgresCluster) Stop(t testing.TB, mode string) {
	t.Helper()
	c.ctl(t, "stop", "-m", mode)
}

// NewDatabase creates a new, empty database on the cluster and returns its
// DSN.
func (c *PostgresCluster) NewDatabase(t testing.TB) string {
	t.Helper()
	name := "signet_" + strings.ToLower(rand.Text())
	if err := adminExec(c.DSN, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a database on the test cluster: %v", err)
	}
	dsn, err := withDatabase(c.DSN, name)
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Log returns the server's log, for a failing test to show.
func (c *PostgresCluster) Log() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
	return string(b)
}

// ctl runs pg_ctl on the cluster, waiting for the action to complete.
func (c *PostgresCluster) ctl(t testing.TB, action string, args ...string) {
	t.Helper()
	c.run(t, c.pgCtl, append([]string{action, "-D", c.data, "-w", "-t", "60"}, args...)...)
}

// command returns a PostgreSQL program's command, run as the cluster's owner.
func (c *PostgresCluster) command(prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(prog, args...)
	cmd.Dir = c.dir
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd
}

// run runs a PostgreSQL program as the cluster's owner, failing t if it fails.
func (c *PostgresCluster) run(t testing.TB, prog string, args ...string) {
	t.Helper()
	if out, err := c.command(prog, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s\n%s", filepath.Base(prog), args, err, out, c.Log())
	}
}

// postgresBin returns the directory of initdb and pg_ctl: the PATH's, or
// the newest of Debian's /usr/lib/postgresql/VERSION/bin.
func postgresBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			if real, err := filepath.EvalSymlinks(p); err == nil {
				return filepath.Dir(real), nil
			}
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("initdb and pg_ctl are not installed")
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// postgresUser returns the credentials of the postgres user.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, err
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("the postgres user has ids %s:%s", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// freePort returns a 127.0.0.1 port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
