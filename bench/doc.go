// Package bench holds signet's cross-library benchmarks and the
// differential test of the JOSE core against go-jose and golang-jwt.
//
// It is a separate module so that the peer libraries it compares against
// never become dependencies of the product's modules. Everything lives in
// _test.go files:
//
//   - verify_bench_test.go, sign_bench_test.go: BenchmarkVerify and
//     BenchmarkSign, named alg=ALG/lib=LIB for benchstat -col /lib -row /alg;
//   - tokens_test.go: keys, the pool of distinct access tokens and each
//     library's typed claims and verifier;
//   - differential_test.go: random valid and mutated tokens judged by signet
//     and the peers; see DIFFERENTIAL.md for the categories where signet is
//     deliberately stricter.
package bench
