package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// write prints the scale-out report: per scenario a table of every
// configuration beside the baseline, the refresh curve, the goal, and the
// raw rounds.
func (r *scaleReport) write(w io.Writer) {
	o, e := r.o, r.env
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("## signet scale-out load (bench/load scaleout)\n\n")
	p("- Command: `go run ./bench/load scaleout %s` (from the repository root)\n", strings.Join(o.args, " "))
	p("- Date: %s; total run time %.0f s\n", e.date, r.elapsed.Seconds())
	p("- CPU: %s, %d cores (GOMAXPROCS %d): load generator, every instance, PostgreSQL and the baseline share them\n", e.cpu, e.cores, e.gomaxprocs)
	p("- Go: %s; signet at commit %s (plus any uncommitted changes in the tree)\n", e.goVersion, e.commit)
	p("- Method: %d round(s) per scenario; a round measures the do-nothing baseline and every configuration for %v each (at most %d requests), "+
		"in an order rotated by one each round; warm-up %v per configuration. A configuration's requests go round-robin to its instances "+
		"(client-side, one keep-alive pool per instance). Figures are medians over rounds; ratios are to the baseline's median.\n",
		o.rounds, o.duration, o.maxRequests, o.warmup)
	p("- Instances: `signet serve --log-level warn --access-ttl 1h`, default argon2id parameters, one SIGNET_MASTER_KEY; the PostgreSQL ones share one new database "+
		"(pool: %s). All instances stay up during the run; idle ones only poll the revocation feed once a second.\n", poolDesc(o.poolSize))
	p("- CPU columns: \"signet\" is the user+system CPU of the configuration's instances, \"PostgreSQL\" that of the database's client backends " +
		"(/proc/PID/stat; the server's shared background processes, WAL writer and checkpointer, are not counted), per answered request.\n")
	for _, s := range r.seedInfo {
		p("- Seeding: %s\n", s)
	}
	for _, res := range r.results {
		r.writeScenario(w, res)
	}
	r.writeCurve(w)
	p("\n### raw rounds\n\n```text\n")
	for _, res := range r.results {
		for _, s := range res.baseline {
			p("%s\n", s)
		}
		for _, c := range res.configs {
			for _, s := range res.samples[c.name] {
				p("%s pg_cpu=%.2fs\n", s.sample, s.pgCPU.Seconds())
			}
		}
		for i, f := range res.floors {
			p("scenario=argon2id-floor round=%d copies=%d ns/op=%v hashes/s=%.3f cpu/hash=%s\n", i+1, f.copies, f.nsOp, f.throughput(), fmtDur(f.cpuPerHash()))
		}
	}
	p("```\n")
}

func poolDesc(n int) string {
	if n == 0 {
		return "signet's default, 4 × CPUs between 8 and 16 connections per instance"
	}
	return fmt.Sprintf("%d connections per instance", n)
}

func (r *scaleReport) writeScenario(w io.Writer, res *scaleResult) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	br := medianOf(res.baseline, sample.rps)
	bc := time.Duration(medianOf(res.baseline, func(s sample) float64 { return float64(s.cpuPerReq()) }))
	p("\n### %s (c=%d)\n\n", res.scenario, res.conc)
	p("| configuration | req/s | p50 | p99 | req/s ÷ baseline | signet CPU/req | PostgreSQL CPU/req | total CPU/req ÷ baseline's | failed |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	p("| baseline (do-nothing) | %.0f | %s | %s | 1× | %s | — | 1× | %d |\n", br,
		fmtDur(medDur(res.baseline, func(s sample) time.Duration { return s.p50 })),
		fmtDur(medDur(res.baseline, func(s sample) time.Duration { return s.p99 })), fmtDur(bc), failures(res.baseline))
	for _, c := range res.configs {
		ss := plain(res.samples[c.name])
		rps := medianOf(ss, sample.rps)
		sc := medDur(ss, sample.cpuPerReq)
		var pc time.Duration
		pgCol := "—"
		if c.store.dsn != "" {
			pc = time.Duration(median(pgPerReq(res.samples[c.name])))
			pgCol = fmtDur(pc)
		}
		p("| %s | %.1f | %s | %s | %s× | %s | %s | %.1f× | %d |\n", c.name, rps,
			fmtDur(medDur(ss, func(s sample) time.Duration { return s.p50 })),
			fmtDur(medDur(ss, func(s sample) time.Duration { return s.p99 })),
			ratioStr(rps/br), fmtDur(sc), pgCol, float64(sc+pc)/float64(bc), failures(ss))
	}
	if res.scenario == "login" && len(res.floors) > 0 {
		var thr []float64
		for _, f := range res.floors {
			thr = append(thr, f.throughput())
		}
		p("\nargon2id floor (`password.BenchmarkHash`, %d concurrent copies, after each round): median %.2f hashes/s; "+
			"a login cannot be faster than its hash, whatever the number of instances: the cores are the limit. "+
			"Each round's logins/s against the floor measured right after it:\n\n", res.floors[0].copies, median(thr))
		p("| configuration | login/s ÷ floor hashes/s, by round | median |\n|---|---|---:|\n")
		for _, c := range res.configs {
			var rs []string
			var xs []float64
			for i, smp := range res.samples[c.name] {
				if i < len(res.floors) {
					x := smp.rps() / res.floors[i].throughput()
					xs, rs = append(xs, x), append(rs, fmt.Sprintf("%.2f", x))
				}
			}
			p("| %s | %s | %.2f |\n", c.name, strings.Join(rs, ", "), median(xs))
		}
	}
}

// writeCurve prints refresh and /v1/me throughput against the number of
// PostgreSQL instances, and the refresh goal.
func (r *scaleReport) writeCurve(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	for _, res := range r.results {
		if res.scenario == "login" {
			continue
		}
		p("\n%s req/s by configuration (each █ is 2%% of the largest):\n\n```text\n", res.scenario)
		top := 0.0
		for _, c := range res.configs {
			top = max(top, medianOf(plain(res.samples[c.name]), sample.rps))
		}
		for _, c := range res.configs {
			v := medianOf(plain(res.samples[c.name]), sample.rps)
			p("%-12s %-50s %.0f\n", c.name, strings.Repeat("█", int(50*v/top+0.5)), v)
		}
		p("```\n")
		if res.scenario != "refresh" {
			continue
		}
		for _, c := range res.configs {
			if c.store.dsn == "" {
				continue
			}
			v := medianOf(plain(res.samples[c.name]), sample.rps)
			p("- goal refresh ≥ %.0f/s on PostgreSQL, %s: %s (%.0f/s, %.3f× the baseline's %.0f)\n", r.o.refreshGoal, c.name,
				verdict(v >= r.o.refreshGoal), v, v/medianOf(res.baseline, sample.rps), medianOf(res.baseline, sample.rps))
		}
	}
}

func plain(ss []scaleSample) []sample {
	out := make([]sample, len(ss))
	for i, s := range ss {
		out[i] = s.sample
	}
	return out
}

func pgPerReq(ss []scaleSample) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = float64(s.pgCPU) / float64(max(1, s.n))
	}
	return out
}

func medDur(ss []sample, f func(sample) time.Duration) time.Duration {
	return time.Duration(medianOf(ss, func(s sample) float64 { return float64(f(s)) }))
}

func failures(ss []sample) int {
	n := 0
	for _, s := range ss {
		n += s.errs
	}
	return n
}
