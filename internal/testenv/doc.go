// Package testenv gives tests the outside services they need, the same way
// in every package: today a PostgreSQL server. A test that needs one calls
// NewPostgresDB for a database of its own.
//
// Outside CI a missing server skips the test, with a message saying what
// was skipped and why, so `go test ./...` works on a laptop without
// PostgreSQL. In CI (CI=true) it fails the test: there the server is part of
// the environment, and a skip would hide that the tests did not run.
package testenv
