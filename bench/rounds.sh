#!/bin/sh
# rounds.sh runs the JOSE core's verify and sign benchmarks (BenchmarkVerify,
# BenchmarkSign, BenchmarkVerifyOverhead) in interleaved rounds and summarises them with benchstat, as
# shared/BENCHMARKS.md asks: every library and the floor run in every round,
# so a burst of load on the shared machine hits all of them alike, and the
# ratios to the same-run floor are what the report quotes.
#
#   bench/rounds.sh [ROUNDS] [OUT]     (defaults: 8, results/verify-sign-DATE.txt)
#
# Each round starts once the 1-minute load average is below MAXLOAD (default
# 2.5), waiting at most MAXWAIT seconds (default 600); the load at the start of
# each round is recorded in the output.
set -eu
cd "$(dirname "$0")"
rounds=${1:-8}
out=${2:-results/verify-sign-$(date -u +%Y-%m-%d).txt}
maxload=${MAXLOAD:-2.5}
maxwait=${MAXWAIT:-600}
bin=$(mktemp -d)/bench.test
go test -c -o "$bin" .
: > "$out"
for i in $(seq "$rounds"); do
  waited=0
  while [ "$(awk -v m="$maxload" '{print ($1 < m)}' /proc/loadavg)" = 0 ] && [ "$waited" -lt "$maxwait" ]; do
    sleep 10; waited=$((waited + 10))
  done
  echo "# round $i, load $(cut -d' ' -f1-3 /proc/loadavg), waited ${waited}s, $(date -u +%H:%M:%S)" >> "$out"
  "$bin" -test.run '^$' -test.bench 'Verify|Sign' -test.benchmem -test.count 1 >> "$out"
done
rm -rf "$(dirname "$bin")"
bs="go run golang.org/x/perf/cmd/benchstat@latest"
command -v benchstat >/dev/null && bs=benchstat
{
  echo "# benchstat of $(basename "$out"): $rounds interleaved rounds, $(go version | cut -d' ' -f3), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
  echo "# $bs -filter '.name:Verify' -col /lib -row /alg $(basename "$out")"
  $bs -filter '.name:Verify' -col /lib -row /alg "$out"
  echo
  echo "# $bs -filter '.name:Sign' -col /lib -row /alg $(basename "$out")"
  $bs -filter '.name:Sign' -col /lib -row /alg "$out"
  echo
  echo "# $bs -filter '.name:VerifyOverhead' -row /alg $(basename "$out")   (paired batches: x-floor is signet/floor)"
  $bs -filter '.name:VerifyOverhead' -row /alg "$out"
} > "${out%.txt}.benchstat.txt"
echo "wrote $out and ${out%.txt}.benchstat.txt"
