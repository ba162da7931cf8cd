// Package fakes holds the hand-written stand-ins that the tests of several
// packages share: a clock that moves only when told to, and a buffer that
// many goroutines may write log lines to at once. It is for tests only;
// nothing in it touches a database (the tests use real ones).
package fakes
