package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// config is one measured configuration: a store and the instances that
// serve from it, loaded round-robin.
type config struct {
	name      string // "postgres×2"
	store     *storeSet
	procs     []*proc
	target    *target
	instances int
}

// storeSet is one database and what is seeded in it; its workers carry
// their state (refresh chains) from one configuration to the next.
type storeSet struct {
	name   string // "sqlite" or "postgres"
	dsn    string // postgres only: for the server processes' CPU
	login  *loginWorker
	chains []worker
	me     *meWorker
}

// scaleSample is one measured round of one configuration.
type scaleSample struct {
	sample
	config string
	pgCPU  time.Duration // the database server's CPU (client backends), postgres only
}

// scaleResult is one scenario across every configuration.
type scaleResult struct {
	scenario string
	conc     int
	baseline []sample
	configs  []*config
	samples  map[string][]scaleSample // by config name
	floors   []hashFloor              // login: the argon2id floor after each round
}

// scaleReport is everything a scale-out run measured.
type scaleReport struct {
	o        *scaleOptions
	env      environment
	results  []*scaleResult
	seedInfo []string
	elapsed  time.Duration
}

// runScaleout starts the baseline, the run's database, the instances, seeds
// both stores, measures every scenario and writes the report to out.
func runScaleout(ctx context.Context, o *scaleOptions, out, logw io.Writer) error {
	start := time.Now()
	w, err := openWorkspace(ctx, o.root, o.bin, "scaleout", logw)
	if err != nil {
		return err
	}
	defer w.close()
	root, tmp, bin, bp := w.root, w.tmp, w.bin, w.baseline
	rep := &scaleReport{o: o, env: describe(root)}
	dsn := o.pgDB
	if dsn == "" {
		var drop func()
		if dsn, drop, err = createDatabase(o.pgAdmin); err != nil {
			return err
		}
		defer drop()
	}
	configs, stop, err := startConfigs(o, bin, tmp, withPool(dsn, o.poolSize), dsn, logw)
	defer stop()
	if err != nil {
		return err
	}
	if err := seedStores(ctx, o, rep, configs, logw); err != nil {
		return err
	}
	base := newTarget("baseline", bp, max(o.concurrency, o.loginConcurrency))
	var hashBin string
	for _, scenario := range o.scenarios {
		if scenario == "login" && hashBin == "" {
			if hashBin, err = buildHashBench(ctx, root, tmp); err != nil {
				return err
			}
		}
		res, err := measureScenario(ctx, o, logw, scenario, base, configs, root, hashBin)
		if err != nil {
			return err
		}
		rep.results = append(rep.results, res)
	}
	rep.elapsed = time.Since(start)
	rep.write(out)
	return nil
}

// startConfigs starts one SQLite instance (if asked) and as many instances
// on PostgreSQL as the largest configuration needs: the first alone (it
// migrates the new database and makes the keys), the others after it.
// Idle instances stay up while others are measured; they cost a poll a
// second. stop ends every instance.
func startConfigs(o *scaleOptions, bin, tmp, pgDSN, rawDSN string, logw io.Writer) ([]*config, func(), error) {
	var procs []*proc
	stop := func() {
		for _, p := range procs {
			p.stop()
		}
	}
	mk := newMasterKey()
	var configs []*config
	if o.sqlite {
		fmt.Fprintln(logw, "load scaleout: starting signet on SQLite")
		p, err := startInstance(bin, tmp, "sqlite", "sqlite:"+tmp+"/sqlite/signet.db", mk)
		if err != nil {
			return nil, stop, err
		}
		procs = append(procs, p)
		configs = append(configs, &config{name: "sqlite×1", store: &storeSet{name: "sqlite"}, procs: []*proc{p}, instances: 1})
	}
	pg := &storeSet{name: "postgres", dsn: rawDSN}
	var pgProcs []*proc
	for i := range o.instances[len(o.instances)-1] {
		fmt.Fprintf(logw, "load scaleout: starting signet instance %d on PostgreSQL\n", i+1)
		p, err := startInstance(bin, tmp, fmt.Sprintf("pg%d", i+1), pgDSN, mk)
		if err != nil {
			return nil, stop, err
		}
		procs, pgProcs = append(procs, p), append(pgProcs, p)
	}
	for _, n := range o.instances {
		configs = append(configs, &config{name: fmt.Sprintf("postgres×%d", n), store: pg, procs: pgProcs[:n], instances: n})
	}
	for _, c := range configs {
		var err error
		if c.target, err = newFleetTarget(c.name, c.procs, max(o.concurrency, o.loginConcurrency)); err != nil {
			return nil, stop, err
		}
	}
	return configs, stop, nil
}

// seedStores makes the users of each store through its first configuration
// (default argon2id parameters, so login costs what it costs in
// production), then the refresh chains and the access tokens for /v1/me.
func seedStores(ctx context.Context, o *scaleOptions, rep *scaleReport, configs []*config, logw io.Writer) error {
	seeded := map[*storeSet]bool{}
	for _, c := range configs {
		s := c.store
		if seeded[s] {
			continue
		}
		seeded[s] = true
		t0 := time.Now()
		users := makeUsers(o.users, s.name[:1])
		if err := signupAll(ctx, c.target, users, 2); err != nil {
			return fmt.Errorf("seeding %s: %w", s.name, err)
		}
		sessions, err := loginEach(ctx, c.target, users, o.concurrency+o.meTokens, 2)
		if err != nil {
			return fmt.Errorf("seeding %s: %w", s.name, err)
		}
		s.login = &loginWorker{users: users}
		s.chains = chains(sessions[:o.concurrency])
		s.me = &meWorker{}
		for _, tk := range sessions[o.concurrency:] {
			s.me.tokens = append(s.me.tokens, tk.Access)
		}
		rep.seedInfo = append(rep.seedInfo, fmt.Sprintf("%s: %d users through POST /v1/signup and %d logins (default argon2id parameters) in %.1f s",
			s.name, len(users), len(sessions), time.Since(t0).Seconds()))
		fmt.Fprintln(logw, "load scaleout: seeded "+rep.seedInfo[len(rep.seedInfo)-1])
	}
	return nil
}

// workers returns the scenario's client workers on store s.
func (s *storeSet) workers(o *scaleOptions, scenario string) []worker {
	switch scenario {
	case "login":
		return repeat(s.login, o.loginConcurrency)
	case "refresh":
		return s.chains
	}
	return repeat(s.me, o.concurrency)
}

// measureScenario runs o.rounds rounds; each measures the baseline and
// every configuration, in an order that rotates by one each round, so no
// configuration always goes first or last. Login rounds end with the
// argon2id floor.
func measureScenario(ctx context.Context, o *scaleOptions, logw io.Writer, scenario string, base *target,
	configs []*config, root, hashBin string) (*scaleResult, error) {
	res := &scaleResult{scenario: scenario, configs: configs, samples: map[string][]scaleSample{}}
	baseWs := configs[len(configs)-1].store.workers(o, scenario)
	res.conc = len(baseWs)
	if o.warmup > 0 {
		fmt.Fprintf(logw, "  %s: warm-up %v on each configuration\n", scenario, o.warmup)
		for _, c := range configs {
			if s := measureConfig(ctx, c, c.store.workers(o, scenario), o.warmup, o.maxRequests); s.errs > 0 {
				return nil, fmt.Errorf("%s warm-up on %s: %s", scenario, c.name, s.firstErr)
			}
		}
	}
	for r := 1; r <= o.rounds; r++ {
		for i := range len(configs) + 1 {
			k := (i + r - 1) % (len(configs) + 1)
			if k == len(configs) {
				s := measure(ctx, base, baseWs, false, o.duration, o.maxRequests)
				s.scenario, s.round = scenario, r
				fmt.Fprintf(logw, "  %s\n", s)
				res.baseline = append(res.baseline, s)
				continue
			}
			c := configs[k]
			s := measureConfig(ctx, c, c.store.workers(o, scenario), o.duration, o.maxRequests)
			s.scenario, s.round = scenario, r
			fmt.Fprintf(logw, "  %s pg_cpu=%.2fs\n", s.sample, s.pgCPU.Seconds())
			res.samples[c.name] = append(res.samples[c.name], s)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if scenario == "login" {
			h, err := measureHashFloor(ctx, hashBin, root, o.hashBenchtime, o.loginConcurrency)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(logw, "  argon2id floor round=%d copies=%d -> %.2f hashes/s\n", r, h.copies, h.throughput())
			res.floors = append(res.floors, h)
		}
	}
	return res, nil
}

// measureConfig measures ws against c; the CPU figures are those of every
// instance of c and, on PostgreSQL, of the database's client backends.
func measureConfig(ctx context.Context, c *config, ws []worker, dur time.Duration, maxReq int64) scaleSample {
	var pids []int
	for _, p := range c.procs {
		pids = append(pids, p.pid())
	}
	var pg0 map[int]time.Duration
	if c.store.dsn != "" {
		if bp, err := backendPIDs(c.store.dsn); err == nil {
			pg0 = cpuTimes(bp)
		}
	}
	sig0 := cpuTimes(pids)
	s := scaleSample{sample: measure(ctx, c.target, ws, true, dur, maxReq), config: c.name}
	s.target = c.name
	s.cpu = cpuSince(sig0, cpuTimes(pids))
	if pg0 != nil {
		if bp, err := backendPIDs(c.store.dsn); err == nil {
			s.pgCPU = cpuSince(pg0, cpuTimes(bp))
		}
	}
	return s
}
