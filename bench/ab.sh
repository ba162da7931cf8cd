#!/bin/bash
# ab.sh compares the working tree with an earlier commit on one benchmark,
# as shared/BENCHMARKS.md asks: both versions are built once, then run in
# alternating rounds (old, new, old, new, ...), so a burst of load on the
# shared machine hits both alike, and benchstat compares them.
#
#   bench/ab.sh BASE_REF PKGDIR BENCH [ROUNDS]
#   bench/ab.sh f871a46 bench 'BenchmarkVerifyOverhead' 6
#   bench/ab.sh HEAD jose 'BenchmarkVerify$/alg=HS256' 8
#
# PKGDIR is relative to the repository root (bench, jose, ...). The base is
# checked out into a temporary worktree; the bench module's replace
# directives then point at that worktree's own jose. Raw results are left in
# $OUT (default /tmp): ab-old.txt and ab-new.txt. BENCHTIME (default 1s) is
# each run's -test.benchtime: many short rounds (say 20 of 0.2s) follow the
# machine's load more closely than a few long ones.
set -euo pipefail
base=$1 pkg=$2 bench=$3 rounds=${4:-6}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-/tmp}
tree=$(mktemp -d)/base
trap 'git -C "$root" worktree remove --force "$tree" 2>/dev/null || true' EXIT
git -C "$root" worktree add -q --detach "$tree" "$base"
(cd "$tree/$pkg" && go test -c -o "$out/ab-old.test" .)
(cd "$root/$pkg" && go test -c -o "$out/ab-new.test" .)
: > "$out/ab-old.txt"
: > "$out/ab-new.txt"
for r in $(seq "$rounds"); do
  echo "round $r of $rounds" >&2
  for side in old new; do
    (cd "$root/$pkg" && "$out/ab-$side.test" -test.run '^$' -test.bench "$bench" -test.benchmem -test.count 1 -test.benchtime "${BENCHTIME:-1s}" | grep '^Benchmark' >> "$out/ab-$side.txt")
  done
done
cd "$out" && go run golang.org/x/perf/cmd/benchstat@latest ab-old.txt ab-new.txt
