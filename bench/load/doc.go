// Command load is signet's HTTP load generator. It starts what it measures:
// it builds the signet binary, runs `signet serve` on a free 127.0.0.1 port
// with its own temporary SQLite file and master key, and runs a do-nothing
// baseline server (a child process answering 200 {} on every path, with the
// http.Server timeouts of httpapi.NewHTTPServer). Each scenario is measured
// in rounds that alternate with the baseline, so every figure is reported
// beside, and as a ratio to, a floor measured in the same run
// (shared/BENCHMARKS.md).
//
// Scenarios:
//
//	login    POST /v1/login over a pool of distinct users, on a server with the
//	         default argon2id parameters, against the argon2id floor
//	         (password.BenchmarkHash run as a subprocess, alone and in as many
//	         concurrent copies as the login concurrency).
//	refresh  POST /v1/refresh: each worker follows its own refresh token chain.
//	me       GET /v1/me over a pool of distinct access tokens.
//	memory   the server's VmRSS before, during and after a sustained
//	         refresh+me run.
//
// refresh, me and memory run on a second server whose users were hashed
// with the OWASP minimum argon2id parameters, so that seeding is fast; those
// scenarios do not hash passwords.
//
// Every load targets 127.0.0.1 only and is bounded both in seconds
// (-duration) and in requests (-max-requests). Run from the repository root:
//
//	go run ./bench/load -scenario all -duration 10s -concurrency 16
//	go run ./bench/load -scenario all -duration 1s -quick   # self-test
//
// `go run ./bench/load scaleout` measures the same scenarios on SQLite and
// on PostgreSQL with one, two and three instances (scaleout.go).
package main
