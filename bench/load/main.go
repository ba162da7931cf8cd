package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	scenarios         []string
	duration          time.Duration // one measured round of one configuration
	maxRequests       int64         // cap of one measured round
	concurrency       int           // refresh, me, memory (and their baselines)
	loginConcurrency  []int         // login (and its baseline and floor)
	rounds            int
	users             int
	memoryDuration    time.Duration
	warmup            time.Duration
	hashBenchtime     string
	quick             bool
	root              string
	bin               string
	args              []string // as given, for the report
	memoryFlatFactor  float64
	refreshGoal       float64
	meGoalRatio       float64
	loginOverheadGoal float64
}

var allScenarios = append([]string{"login", "refresh", "me", "memory"}, oidcScenarios...)

func (o *options) wants(s string) bool { return slices.Contains(o.scenarios, s) }

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		scen    = fs.String("scenario", "all", "comma-separated scenarios: all, or any of "+strings.Join(allScenarios, ","))
		dur     = fs.Duration("duration", 10*time.Second, "length of one measured round of one configuration (scenario or baseline)")
		maxReq  = fs.Int64("max-requests", 300000, "most requests in one measured round")
		conc    = fs.Int("concurrency", 16, "concurrent clients for refresh, me and memory")
		loginC  = fs.String("login-concurrency", "1,2", "comma-separated concurrencies for login (argon2id uses 4 lanes: keep it at 1-4 on 2 cores)")
		rounds  = fs.Int("rounds", 3, "rounds per scenario; each round measures the baseline and the scenario, alternating which goes first")
		users   = fs.Int("users", 200, "distinct users seeded through POST /v1/signup on each server")
		memDur  = fs.Duration("memory-duration", 45*time.Second, "length of the sustained refresh+me run of the memory scenario")
		warmup  = fs.Duration("warmup", time.Second, "unmeasured load on each server before a scenario's rounds")
		hashBT  = fs.String("hash-benchtime", "20x", "-test.benchtime of the argon2id floor (password.BenchmarkHash)")
		quick   = fs.Bool("quick", false, "self-test: 8 users, 1 round, no warm-up, memory run as long as -duration, 2 hashes for the floor (flags given explicitly win)")
		root    = fs.String("root", "", "signet repository root (default: found upwards from the working directory)")
		bin     = fs.String("bin", "", "use this signet binary instead of building ./cmd/signet")
		flat    = fs.Float64("memory-flat", 1.10, "memory goal: RSS after / before at most this")
		refGoal = fs.Float64("refresh-goal", 2000, "refresh goal, refreshes/s")
		meGoal  = fs.Float64("me-goal", 0.5, "me goal, req/s as a fraction of the baseline's")
		loginGo = fs.Float64("login-overhead-goal", 0.05, "login goal: cost beyond the argon2id hash, as a fraction of the hash")
	)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./bench/load [flags]   (from the signet repository root)\n\n"+
			"Builds and starts signet and a do-nothing baseline server on 127.0.0.1, measures the\n"+
			"scenarios in rounds alternating with the baseline, and prints a markdown table.\n\nFlags:\n")
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
	o := &options{
		duration: *dur, maxRequests: *maxReq, concurrency: *conc, rounds: *rounds, users: *users,
		memoryDuration: *memDur, warmup: *warmup, hashBenchtime: *hashBT, quick: *quick,
		root: *root, bin: *bin, args: args, memoryFlatFactor: *flat, refreshGoal: *refGoal,
		meGoalRatio: *meGoal, loginOverheadGoal: *loginGo,
	}
	if o.quick {
		if !set["users"] {
			o.users = 8
		}
		if !set["rounds"] {
			o.rounds = 1
		}
		if !set["warmup"] {
			o.warmup = 0
		}
		if !set["memory-duration"] {
			o.memoryDuration = o.duration
		}
		if !set["hash-benchtime"] {
			o.hashBenchtime = "2x"
		}
		if !set["login-concurrency"] {
			*loginC = "2"
		}
	}
	for _, s := range strings.Split(*scen, ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "all":
			o.scenarios = append(o.scenarios, allScenarios...)
		case slices.Contains(allScenarios, s):
			o.scenarios = append(o.scenarios, s)
		default:
			return nil, fmt.Errorf("unknown scenario %q (want all or %s)", s, strings.Join(allScenarios, ","))
		}
	}
	for _, s := range strings.Split(*loginC, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || c < 1 || c > 64 {
			return nil, fmt.Errorf("-login-concurrency: %q is not a concurrency in 1..64", s)
		}
		o.loginConcurrency = append(o.loginConcurrency, c)
	}
	switch {
	case o.duration <= 0 || o.duration > 10*time.Minute:
		return nil, errors.New("-duration must be in (0, 10m]")
	case o.memoryDuration <= 0 || o.memoryDuration > 30*time.Minute:
		return nil, errors.New("-memory-duration must be in (0, 30m]")
	case o.maxRequests < 1 || o.maxRequests > 10_000_000:
		return nil, errors.New("-max-requests must be in 1..10000000")
	case o.concurrency < 2 || o.concurrency > 1024:
		return nil, errors.New("-concurrency must be in 2..1024")
	case o.rounds < 1 || o.rounds > 20:
		return nil, errors.New("-rounds must be in 1..20")
	case o.users < 1 || o.users > 100000:
		return nil, errors.New("-users must be in 1..100000")
	case o.warmup < 0:
		return nil, errors.New("-warmup must not be negative")
	}
	return o, nil
}

func main() {
	if runBaselineChild() {
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "scaleout" { // scaleout.go: PostgreSQL, several instances
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := scaleoutMain(ctx, os.Args[2:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		stop()
		os.Exit(1)
	}
}
