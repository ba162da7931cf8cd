package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// scaleOptions are the flags of `go run ./bench/load scaleout`.
type scaleOptions struct {
	scenarios        []string
	instances        []int // PostgreSQL instance counts to measure
	sqlite           bool  // also measure one instance on SQLite
	duration         time.Duration
	maxRequests      int64
	concurrency      int // refresh and me
	loginConcurrency int
	rounds           int
	users            int
	meTokens         int
	warmup           time.Duration
	hashBenchtime    string
	pgAdmin          string // DSN of a role that may create databases
	pgDB             string // an empty database to use instead of making one
	poolSize         int    // pool_max_conns of each instance; 0: signet's default
	quick            bool
	root, bin        string
	refreshGoal      float64
	args             []string
}

var scaleScenarios = []string{"login", "refresh", "me"}

// parseScaleFlags parses the scaleout subcommand's arguments.
func parseScaleFlags(args []string, stderr io.Writer) (*scaleOptions, error) {
	fs := flag.NewFlagSet("load scaleout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		scen   = fs.String("scenario", "all", "comma-separated scenarios: all, or any of "+strings.Join(scaleScenarios, ","))
		inst   = fs.String("instances", "1,2,3", "comma-separated numbers of signet instances on PostgreSQL (1..8)")
		sqlite = fs.Bool("sqlite", true, "also measure one instance on SQLite, for comparison")
		dur    = fs.Duration("duration", 10*time.Second, "length of one measured round of one configuration")
		maxReq = fs.Int64("max-requests", 300000, "most requests in one measured round")
		conc   = fs.Int("concurrency", 16, "concurrent clients for refresh and me")
		loginC = fs.Int("login-concurrency", 4, "concurrent clients for login (argon2id default parameters)")
		rounds = fs.Int("rounds", 3, "rounds per scenario; each measures the baseline and every configuration, rotating which goes first")
		users  = fs.Int("users", 100, "distinct users per store, seeded through POST /v1/signup with the default argon2id parameters")
		meTok  = fs.Int("me-tokens", 64, "distinct access tokens per store for /v1/me")
		warmup = fs.Duration("warmup", time.Second, "unmeasured load on each configuration before a scenario's rounds")
		hashBT = fs.String("hash-benchtime", "10x", "-test.benchtime of the argon2id floor measured after each login round")
		admin  = fs.String("pg-admin", defaultPGAdmin(), "PostgreSQL DSN (URL) of a role that may create databases; a database is made for the run and dropped after it")
		pgDB   = fs.String("pg-db", "", "PostgreSQL DSN (URL) of an empty database to use instead of making one (it is left as the run leaves it)")
		pool   = fs.Int("pool", 0, "pool_max_conns of each instance (0: signet's default, 4 × CPUs between 8 and 16)")
		quick  = fs.Bool("quick", false, "self-test: 6 users, 8 tokens, 1 round, no warm-up, 2 hashes per floor (flags given explicitly win)")
		root   = fs.String("root", "", "signet repository root (default: found upwards from the working directory)")
		bin    = fs.String("bin", "", "use this signet binary instead of building ./cmd/signet")
		goal   = fs.Float64("refresh-goal", 1000, "refresh goal on PostgreSQL, refreshes/s")
	)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./bench/load scaleout [flags]   (from the signet repository root)\n\n"+
			"Runs signet on SQLite (one instance) and on one PostgreSQL database (1, 2, 3 instances, requests\n"+
			"spread round-robin), measures login, refresh and /v1/me on each beside the do-nothing baseline,\n"+
			"in rounds that rotate the order, and prints a markdown report.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	o := &scaleOptions{sqlite: *sqlite, duration: *dur, maxRequests: *maxReq, concurrency: *conc,
		loginConcurrency: *loginC, rounds: *rounds, users: *users, meTokens: *meTok, warmup: *warmup,
		hashBenchtime: *hashBT, pgAdmin: *admin, pgDB: *pgDB, poolSize: *pool, quick: *quick, root: *root, bin: *bin,
		refreshGoal: *goal, args: args}
	if o.quick {
		quickDefaults(o, set)
	}
	var err error
	if o.scenarios, err = parseScenarios(*scen); err != nil {
		return nil, err
	}
	if o.instances, err = parseCounts(*inst); err != nil {
		return nil, err
	}
	return o, o.check()
}

func quickDefaults(o *scaleOptions, set map[string]bool) {
	for name, apply := range map[string]func(){
		"users": func() { o.users = 6 }, "me-tokens": func() { o.meTokens = 8 }, "rounds": func() { o.rounds = 1 },
		"warmup": func() { o.warmup = 0 }, "hash-benchtime": func() { o.hashBenchtime = "2x" },
		"login-concurrency": func() { o.loginConcurrency = 2 },
	} {
		if !set[name] {
			apply()
		}
	}
}

func parseScenarios(s string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(s, ",") {
		switch name = strings.TrimSpace(name); {
		case name == "all":
			out = append(out, scaleScenarios...)
		case slices.Contains(scaleScenarios, name):
			out = append(out, name)
		default:
			return nil, fmt.Errorf("unknown scenario %q (want all or %s)", name, strings.Join(scaleScenarios, ","))
		}
	}
	return out, nil
}

func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 8 {
			return nil, fmt.Errorf("-instances: %q is not a count in 1..8", f)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (o *scaleOptions) check() error {
	switch {
	case o.duration <= 0 || o.duration > 10*time.Minute:
		return errors.New("-duration must be in (0, 10m]")
	case o.maxRequests < 1 || o.maxRequests > 10_000_000:
		return errors.New("-max-requests must be in 1..10000000")
	case o.concurrency < 2 || o.concurrency > 1024:
		return errors.New("-concurrency must be in 2..1024")
	case o.loginConcurrency < 1 || o.loginConcurrency > 16:
		return errors.New("-login-concurrency must be in 1..16")
	case o.rounds < 1 || o.rounds > 20:
		return errors.New("-rounds must be in 1..20")
	case o.users < 1 || o.users > 10000 || o.meTokens < 1 || o.meTokens > 10000:
		return errors.New("-users and -me-tokens must be in 1..10000")
	case o.warmup < 0:
		return errors.New("-warmup must not be negative")
	case o.poolSize < 0 || o.poolSize > 200:
		return errors.New("-pool must be in 0..200")
	}
	if o.pgDB != "" {
		return checkLoopbackDSN("-pg-db", o.pgDB)
	}
	return checkLoopbackDSN("-pg-admin", o.pgAdmin)
}

// scaleoutMain is `go run ./bench/load scaleout [flags]`; it returns the
// exit code.
func scaleoutMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseScaleFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "load scaleout:", err)
		return 2
	}
	if err := runScaleout(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "load scaleout:", err)
		return 1
	}
	return 0
}

func defaultPGAdmin() string {
	if v := os.Getenv("SIGNET_TEST_POSTGRES_DSN"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}
