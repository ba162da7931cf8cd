package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// owaspArgs are the OWASP minimum argon2id parameters of the second server,
// which seeds users quickly for the scenarios that hash no password.
var owaspArgs = []string{"--argon2-memory", "19456", "--argon2-iterations", "2", "--argon2-parallelism", "1"}

// report is everything a run measured.
type report struct {
	o        *options
	env      environment
	pairs    []*pair
	mem      *memResult
	seedInfo []string
	elapsed  time.Duration
	// extraGoals are goal lines of scenarios with a file of their own
	// (oidc.go).
	extraGoals []string
}

// run builds and starts the servers, runs the chosen scenarios and writes
// the report to out; progress goes to logw.
func run(ctx context.Context, o *options, out, logw io.Writer) error {
	start := time.Now()
	w, err := openWorkspace(ctx, o.root, o.bin, "load", logw)
	if err != nil {
		return err
	}
	defer w.close()
	root, tmp, bin, bp := w.root, w.tmp, w.bin, w.baseline
	rep := &report{o: o, env: describe(root)}
	conc := o.concurrency
	for _, c := range o.loginConcurrency {
		conc = max(conc, c)
	}
	base := newTarget("baseline", bp, conc)
	if o.wants("login") {
		if err := runLogin(ctx, o, logw, rep, root, tmp, bin, base, conc); err != nil {
			return err
		}
	}
	if o.wants("refresh") || o.wants("me") || o.wants("memory") {
		if err := runFast(ctx, o, logw, rep, tmp, bin, base, bp, conc); err != nil {
			return err
		}
	}
	if slices.ContainsFunc(oidcScenarios, o.wants) {
		if err := runOIDC(ctx, o, logw, rep, tmp, bin, base); err != nil {
			return err
		}
	}
	rep.elapsed = time.Since(start)
	rep.write(out)
	return nil
}

// runLogin measures login on a server with the default argon2id parameters.
func runLogin(ctx context.Context, o *options, logw io.Writer, rep *report, root, tmp, bin string, base *target, conc int) error {
	fmt.Fprintln(logw, "load: login: starting signet with the default argon2id parameters")
	sp, err := startSignet(bin, tmp, "signet-default")
	if err != nil {
		return err
	}
	defer sp.stop()
	sig := newTarget("signet", sp, conc)
	users := makeUsers(o.users, "d")
	t0 := time.Now()
	if err := signupAll(ctx, sig, users, 2); err != nil {
		return fmt.Errorf("seeding (default params): %w", err)
	}
	rep.seedInfo = append(rep.seedInfo, fmt.Sprintf("login server (default argon2id params): %d users through POST /v1/signup in %.1f s",
		len(users), time.Since(t0).Seconds()))
	fmt.Fprintln(logw, "load: "+rep.seedInfo[len(rep.seedInfo)-1])
	hashBin, err := buildHashBench(ctx, root, tmp)
	if err != nil {
		return err
	}
	for _, c := range o.loginConcurrency {
		w := &loginWorker{users: users}
		p, err := runPair(ctx, o, logw, "login", sig, base, repeat(w, c), func() (hashFloor, error) {
			return measureHashFloor(ctx, hashBin, root, o.hashBenchtime, c)
		})
		if err != nil {
			return err
		}
		rep.pairs = append(rep.pairs, p)
	}
	return nil
}

// runFast measures refresh, me and memory on a server whose users were
// hashed with the OWASP minimum parameters.
func runFast(ctx context.Context, o *options, logw io.Writer, rep *report, tmp, bin string, base *target, bp *proc, conc int) error {
	fmt.Fprintln(logw, "load: refresh/me/memory: starting signet with the OWASP minimum argon2id parameters")
	sp, err := startSignet(bin, tmp, "signet-owasp", append(owaspArgs, "--access-ttl", "1h")...)
	if err != nil {
		return err
	}
	defer sp.stop()
	sig := newTarget("signet", sp, conc)
	users := makeUsers(o.users, "f")
	t0 := time.Now()
	if err := signupAll(ctx, sig, users, 4); err != nil {
		return fmt.Errorf("seeding (OWASP params): %w", err)
	}
	rep.seedInfo = append(rep.seedInfo, fmt.Sprintf("refresh/me/memory server (OWASP minimum params): %d users through POST /v1/signup in %.1f s",
		len(users), time.Since(t0).Seconds()))
	fmt.Fprintln(logw, "load: "+rep.seedInfo[len(rep.seedInfo)-1])
	var meTokens []string
	mePool := func() ([]string, error) {
		if meTokens != nil {
			return meTokens, nil
		}
		ts, err := loginEach(ctx, sig, users, len(users), 4)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			meTokens = append(meTokens, t.Access)
		}
		return meTokens, nil
	}
	if o.wants("refresh") {
		ts, err := loginEach(ctx, sig, users, o.concurrency, 4) // one session per client
		if err != nil {
			return err
		}
		p, err := runPair(ctx, o, logw, "refresh", sig, base, chains(ts), nil)
		if err != nil {
			return err
		}
		rep.pairs = append(rep.pairs, p)
	}
	if o.wants("me") {
		toks, err := mePool()
		if err != nil {
			return err
		}
		p, err := runPair(ctx, o, logw, "me", sig, base, repeat(&meWorker{tokens: toks}, o.concurrency), nil)
		if err != nil {
			return err
		}
		rep.pairs = append(rep.pairs, p)
	}
	if o.wants("memory") {
		toks, err := mePool()
		if err != nil {
			return err
		}
		rc := o.concurrency / 2
		ts, err := loginEach(ctx, sig, users, rc, 4)
		if err != nil {
			return err
		}
		fmt.Fprintf(logw, "load: memory: %d refresh chains + %d /v1/me clients for %v\n", rc, o.concurrency-rc, o.memoryDuration)
		m, err := runMemory(ctx, o, logw, sig, sp.pid(), bp.pid(), chains(ts), repeat(&meWorker{tokens: toks}, o.concurrency-rc))
		if err != nil {
			return err
		}
		rep.mem = m
	}
	return nil
}

func pct(x float64) string { return fmt.Sprintf("%+.1f%%", 100*x) }

func verdict(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**missed**"
}

// write prints the markdown report and the raw rounds.
func (r *report) write(w io.Writer) {
	o, e := r.o, r.env
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("## signet HTTP load (bench/load)\n\n")
	p("- Command: `go run ./bench/load %s` (from the repository root)\n", strings.Join(o.args, " "))
	p("- Date: %s; total run time %.0f s\n", e.date, r.elapsed.Seconds())
	p("- CPU: %s, %d cores (GOMAXPROCS %d); load generator, servers and floor share them\n", e.cpu, e.cores, e.gomaxprocs)
	p("- Go: %s; signet at commit %s (plus any uncommitted changes in the tree)\n", e.goVersion, e.commit)
	p("- Method: %d round(s) per scenario; a round runs the do-nothing baseline and signet for %v each (at most %d requests), "+
		"alternating which goes first; warm-up %v. Figures are medians over rounds; ratios are signet / baseline of those medians. "+
		"Percentiles are nearest-rank over every request of a round.\n", o.rounds, o.duration, o.maxRequests, o.warmup)
	p("- Servers on 127.0.0.1: signet (`signet serve`, temp SQLite, `--log-level warn`); baseline = Go net/http with httpapi's timeouts answering 200 `{}` to every path, " +
		"sent the very same requests.\n")
	for _, s := range r.seedInfo {
		p("- Seeding: %s\n", s)
	}
	p("\n| scenario | conc | signet req/s | p50 | p99 | baseline req/s | p50 | p99 | req/s ratio | p50 ratio | server CPU/req signet | baseline | CPU ratio | failed |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, pr := range r.pairs {
		sr, br := medianOf(pr.signet, sample.rps), medianOf(pr.baseline, sample.rps)
		s50 := time.Duration(medianOf(pr.signet, func(s sample) float64 { return float64(s.p50) }))
		s99 := time.Duration(medianOf(pr.signet, func(s sample) float64 { return float64(s.p99) }))
		b50 := time.Duration(medianOf(pr.baseline, func(s sample) float64 { return float64(s.p50) }))
		b99 := time.Duration(medianOf(pr.baseline, func(s sample) float64 { return float64(s.p99) }))
		failed := 0
		for _, s := range append(append([]sample{}, pr.signet...), pr.baseline...) {
			failed += s.errs
		}
		sc := time.Duration(medianOf(pr.signet, func(s sample) float64 { return float64(s.cpuPerReq()) }))
		bc := time.Duration(medianOf(pr.baseline, func(s sample) float64 { return float64(s.cpuPerReq()) }))
		p("| %s | %d | %.1f | %s | %s | %.0f | %s | %s | %s× | %.1f× | %s | %s | %.1f× | %d |\n", pr.scenario, pr.conc, sr, fmtDur(s50), fmtDur(s99),
			br, fmtDur(b50), fmtDur(b99), ratioStr(sr/br), float64(s50)/float64(b50), fmtDur(sc), fmtDur(bc), float64(sc)/float64(bc), failed)
	}
	if m := r.mem; m != nil {
		p("| memory: refresh part | %d | %.1f | %s | %s | | | | | | | | | %d |\n", m.refresh.conc, m.refresh.rps(), fmtDur(m.refresh.p50), fmtDur(m.refresh.p99), m.refresh.errs)
		p("| memory: me part | %d | %.1f | %s | %s | | | | | | | | | %d |\n", m.me.conc, m.me.rps(), fmtDur(m.me.p50), fmtDur(m.me.p99), m.me.errs)
	}

	var goals []string
	hasLogin := false
	for _, pr := range r.pairs {
		if pr.scenario != "login" {
			continue
		}
		if !hasLogin {
			p("\n### login against the argon2id floor\n\n")
			p("The floor is `password.BenchmarkHash` (DefaultParams m=65536 KiB, t=3, p=4), run as a subprocess right after each round "+
				"(its test binary, built once with `go test -c ./password/`, run with `-test.bench ^BenchmarkHash$ -test.benchtime %s`), "+
				"in as many concurrent copies as the login concurrency c, so the floor is measured at the same concurrency. "+
				"Floor hashes/s = Σ over copies of 1e9/(ns/op).\n\n"+
				"- beyond the hash, throughput: (1/login req/s) / (1/floor hashes/s) − 1 = floor hashes/s ÷ login/s − 1. One hash with 4 lanes already keeps both cores busy, so "+
				"1/req/s is the machine time one login costs at any c, and 1/(floor hashes/s) the machine time of its hash alone.\n"+
				"- beyond the hash, latency: login p50 / mean ns/op of the copies − 1 (the copies' ns/op is a hash's latency while c hashes run at once).\n"+
				"- beyond the hash, CPU: (server CPU time during the round / logins) / (CPU time of the floor's processes / their hashes) − 1, "+
				"user+system time of every thread from /proc/PID/stat and the copies' rusage. Other tenants of a shared machine slow both "+
				"wall-clock views at random; they change CPU time much less, so this view is the steadiest.\n\n", o.hashBenchtime)
			p("| c | round | login/s | floor hashes/s | time per login | floor per hash | beyond hash (throughput) | login p50 | hash latency | beyond hash (latency) | CPU per login | CPU per hash | beyond hash (CPU) |\n")
			p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
			hasLogin = true
		}
		var thr, lat, cpu []float64
		for i, s := range pr.signet {
			if i >= len(pr.floors) {
				break
			}
			f := pr.floors[i]
			ot := f.throughput()/s.rps() - 1
			ol := float64(s.p50)/float64(f.latency()) - 1
			oc := float64(s.cpuPerReq())/float64(f.cpuPerHash()) - 1
			thr, lat, cpu = append(thr, ot), append(lat, ol), append(cpu, oc)
			p("| %d | %d | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", pr.conc, s.round, s.rps(), f.throughput(),
				fmtDur(time.Duration(float64(time.Second)/s.rps())), fmtDur(f.perHash()), pct(ot), fmtDur(s.p50), fmtDur(f.latency()), pct(ol),
				fmtDur(s.cpuPerReq()), fmtDur(f.cpuPerHash()), pct(oc))
		}
		mt, ml, mc := median(thr), median(lat), median(cpu)
		p("| %d | median | | | | | **%s** | | | **%s** | | | **%s** |\n", pr.conc, pct(mt), pct(ml), pct(mc))
		goals = append(goals, fmt.Sprintf("login (c=%d) cost beyond its argon2id hash < %.0f%%: %s by throughput (median %s); by CPU time %s (%s); by p50 latency %s",
			pr.conc, 100*o.loginOverheadGoal, verdict(mt < o.loginOverheadGoal), pct(mt), verdict(mc < o.loginOverheadGoal), pct(mc), pct(ml)))
	}
	for _, pr := range r.pairs {
		sr, br := medianOf(pr.signet, sample.rps), medianOf(pr.baseline, sample.rps)
		switch pr.scenario {
		case "refresh":
			goals = append(goals, fmt.Sprintf("refresh ≥ %.0f/s: %s, %.0f/s at c=%d (%.3f× the same-run baseline's %.0f req/s)",
				o.refreshGoal, verdict(sr >= o.refreshGoal), sr, pr.conc, sr/br, br))
		case "me":
			goals = append(goals, fmt.Sprintf("/v1/me ≥ %.2f× the baseline (later phase): %s, %.3f× (%.0f against %.0f req/s at c=%d)",
				o.meGoalRatio, verdict(sr/br >= o.meGoalRatio), sr/br, sr, br, pr.conc))
		}
	}
	if m := r.mem; m != nil {
		p("\n### memory: VmRSS of the signet process around a sustained refresh+me run\n\n")
		p("%d refresh chains and %d /v1/me clients together for %v, after a %v warm-up of the same mix and a wait of %.1f s for VmRSS to settle "+
			"(seeding's argon2id buffers are returned to the OS gradually). Early and late are the mean of the first and last tenth of the samples. "+
			"The baseline process's VmRSS, for scale: %s. Server CPU during the run: %.1f s, %s per request of either kind.\n\n",
			m.refresh.conc, m.me.conc, m.duration, o.warmup, m.settle.Seconds(), kib(m.baselineRSS),
			m.cpu.Seconds(), fmtDur(m.cpu/time.Duration(max(1, m.refresh.n+m.me.n))))
		p("| VmRSS before | early in run | peak | late in run | after | after / before | late / early | Go heap before → after | goroutines before → after |\n")
		p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		ratio := float64(m.after) / float64(m.before)
		p("| %s | %s | %s | %s | %s | %.3f× | %.3f× | %.1f → %.1f MiB | %.0f → %.0f |\n\n", kib(m.before), kib(m.early()), kib(m.peak), kib(m.late()), kib(m.after), ratio,
			float64(m.late())/float64(m.early()), m.heapBefore/(1<<20), m.heapAfter/(1<<20), m.goroutBefore, m.goroutAfter)
		p("VmRSS samples (s: MiB): ")
		step := max(1, len(m.samples)/12)
		for i := 0; i < len(m.samples); i += step {
			p("%.0f: %.1f  ", m.samples[i].at.Seconds(), float64(m.samples[i].kib)/1024)
		}
		p("\n")
		goals = append(goals, fmt.Sprintf("memory flat (after/before ≤ %.2f×): %s, %s → %s (%.3f×), peak %s; late/early in the run %.3f×",
			o.memoryFlatFactor, verdict(ratio <= o.memoryFlatFactor), kib(m.before), kib(m.after), ratio, kib(m.peak), float64(m.late())/float64(m.early())))
	}
	goals = append(goals, r.extraGoals...)
	if len(goals) > 0 {
		p("\n### goals\n\n")
		for _, g := range goals {
			p("- %s\n", g)
		}
	}
	p("\n### raw rounds\n\n```text\n")
	for _, pr := range r.pairs {
		for i := range pr.signet {
			if i < len(pr.baseline) {
				p("%s\n", pr.baseline[i])
			}
			p("%s\n", pr.signet[i])
			if i < len(pr.floors) {
				f := pr.floors[i]
				p("scenario=argon2id-floor round=%d copies=%d ns/op=%v hashes/s=%.3f hashes=%d cpu=%.2fs cpu/hash=%s\n", i+1, f.copies, f.nsOp, f.throughput(), f.hashes, f.cpu.Seconds(), fmtDur(f.cpuPerHash()))
			}
		}
	}
	if m := r.mem; m != nil {
		p("%s\n%s\n", m.refresh, m.me)
		p("rss_kib before=%d peak=%d after=%d baseline=%d samples=", m.before, m.peak, m.after, m.baselineRSS)
		for _, s := range m.samples {
			p("%.1fs:%d ", s.at.Seconds(), s.kib)
		}
		p("\n")
	}
	p("```\n")
}

func kib(k int64) string { return fmt.Sprintf("%.1f MiB", float64(k)/1024) }

// ratioStr prints a ratio with enough digits to be read when it is small.
func ratioStr(x float64) string {
	switch {
	case x >= 0.1:
		return fmt.Sprintf("%.3f", x)
	case x >= 0.001:
		return fmt.Sprintf("%.4f", x)
	default:
		return fmt.Sprintf("%.2g", x)
	}
}
