package bench

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkVerifyOverhead measures signet's verification against the floor
// in short alternating batches over the same pool of tokens, and reports the
// median over batches of the ratio signet/floor (unit "x-floor"), plus each
// side's median time per verification. On a shared, noisy machine a burst
// of load lasts far longer than a batch of a few milliseconds, so it slows
// both sides of a batch alike and the ratio stays put, where two separate
// benchmarks run seconds apart can each catch a different burst. The order
// inside a batch alternates, so neither side always runs first.
func BenchmarkVerifyOverhead(b *testing.B) {
	for _, alg := range benchAlgs {
		b.Run("alg="+string(alg), func(b *testing.B) {
			f := getFixture(b, alg)
			verify := signetVerifier(b, f)
			floor := floorVerifier(f, false)
			// About 2 ms of floor work per half batch.
			per := map[string]int{"HS256": 4096, "RS256": 64, "PS256": 64, "ES256": 32, "EdDSA": 32}[string(alg)]
			signetHalf := func(start int) {
				for i := range per {
					if err := verify(f.tokens[(start+i)&poolMask]); err != nil {
						b.Fatal(err)
					}
				}
			}
			floorHalf := func(start int) {
				for i := range per {
					if !floor(&f.floor[(start+i)&poolMask]) {
						b.Fatal(errBadFloor)
					}
				}
			}
			timed := func(half func(int), start int) float64 {
				t := time.Now()
				half(start)
				return float64(time.Since(t).Nanoseconds()) / float64(per)
			}
			signetHalf(0) // warm both up, and check the pool once
			floorHalf(0)
			var ratios, sNs, fNs []float64
			b.ResetTimer()
			for n := 0; n < b.N; n += per {
				start := n & poolMask
				var s, fl float64
				if len(ratios)%2 == 0 {
					s, fl = timed(signetHalf, start), timed(floorHalf, start)
				} else {
					fl, s = timed(floorHalf, start), timed(signetHalf, start)
				}
				ratios, sNs, fNs = append(ratios, s/fl), append(sNs, s), append(fNs, fl)
			}
			b.ReportMetric(median(ratios), "x-floor")
			b.ReportMetric(median(sNs), "signet-ns/verify")
			b.ReportMetric(median(fNs), "floor-ns/verify")
			b.ReportMetric(0, "ns/op") // the batches, not b.N, are the measurement
		})
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
