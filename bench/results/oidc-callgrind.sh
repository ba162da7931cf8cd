#!/bin/bash
# Counts the instructions executed inside one function (callees included) per
# iteration of a Go benchmark of ./oauth2, with valgrind callgrind. Build the
# test binary first: go test -c -o oauth2.test ./oauth2 (or set OAUTH2_TEST).
# cg.sh BENCH N TOGGLE [extra test flags]: instructions inside TOGGLE per iteration
b=$1; n=$2; fn=$3; shift 3
test=${OAUTH2_TEST:-./oauth2.test}
out=$(mktemp -d)/cg.out
GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind --callgrind-out-file=$out "--toggle-collect=$fn" \
  "$test" -test.run '^$' -test.bench "$b" -test.benchtime ${n}x "$@" > $out.log 2>&1
ir=$(grep -o "Collected : [0-9]*" $out.log | grep -o "[0-9]*$")
echo "$b n=$n ir=$ir per_op=$((ir / n))"
