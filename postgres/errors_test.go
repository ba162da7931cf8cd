package postgres

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/signet-dev/signet"
)

var errRollback = errors.New("rolled back by the test")

func TestTranslate(t *testing.T) {
	pg := func(code string) error {
		return fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code, Message: "text that is never read"})
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"no rows", pgx.ErrNoRows, signet.ErrNotFound},
		{"unique", pg("23505"), signet.ErrConflict},
		{"foreign key", pg("23503"), signet.ErrNotFound},
		{"check", pg("23514"), signet.ErrInvalid},
		{"not null", pg("23502"), signet.ErrInvalid},
		{"NUL byte", pg("22021"), signet.ErrInvalid},
		{"key too large", pg("54000"), signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := translate(tt.err, "thing"); !errors.Is(got, tt.want) {
				t.Fatalf("translate = %v, want %v", got, tt.want)
			}
		})
	}
	for _, code := range []string{"40001", "40P01", "57P01", "08006"} {
		got := translate(pg(code), "thing")
		if signet.ErrorCode(got) != signet.EINTERNAL || sqlState(got) != code {
			t.Errorf("translate(%s) = %v: want an internal error keeping the code", code, got)
		}
		if want := code == "40001" || code == "40P01"; retryable(got) != want {
			t.Errorf("retryable(%s) = %v", code, !want)
		}
	}
}

// TestRetry: a transaction that fails to serialise runs again, a bounded
// number of times; other errors are returned at once.
func TestRetry(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	tests := []struct {
		name      string
		failures  int
		err       error
		wantCalls int
		wantErr   bool
	}{
		{"serialization then success", 2, &pgconn.PgError{Code: "40001"}, 3, false},
		{"deadlock then success", 1, &pgconn.PgError{Code: "40P01"}, 2, false},
		{"never serialises", 100, &pgconn.PgError{Code: "40001"}, 6, true},
		{"not retried", 100, &pgconn.PgError{Code: "23505"}, 1, true},
		{"caller's error", 100, errRollback, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := s.inTx(t.Context(), func(tx pgx.Tx) error {
				calls++
				if calls <= tt.failures {
					return tt.err
				}
				return nil
			})
			if calls != tt.wantCalls || (err != nil) != tt.wantErr {
				t.Fatalf("calls = %d, err = %v; want %d calls, error %v", calls, err, tt.wantCalls, tt.wantErr)
			}
		})
	}
}

// TestRealDeadlockRetried: two UpdateThrottle-like transactions locking two
// rows in opposite orders deadlock; the server breaks one, which runs again
// and succeeds, so both callers succeed.
func TestRealDeadlockRetried(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	for _, k := range []string{"a", "b"} {
		if _, err := s.pool.Exec(t.Context(), `INSERT INTO throttles (scope, throttle_key, failures, lockouts, updated_at)
			VALUES ('address', $1, 1, 0, now())`, k); err != nil {
			t.Fatal(err)
		}
	}
	lock := func(tx pgx.Tx, key string) error {
		_, err := tx.Exec(t.Context(), `UPDATE throttles SET failures = failures + 1 WHERE throttle_key = $1`, key)
		return err
	}
	ready, start := make(chan struct{}), make(chan struct{})
	run := func(first, second string) error {
		attempt := 0
		return s.inTx(t.Context(), func(tx pgx.Tx) error {
			attempt++
			if err := lock(tx, first); err != nil {
				return err
			}
			if attempt == 1 { // both first attempts hold their first row before going on
				ready <- struct{}{}
				<-start
			}
			return lock(tx, second)
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- run("a", "b") }()
	go func() { errs <- run("b", "a") }()
	<-ready
	<-ready
	close(start)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("a deadlocked transaction was not retried to success: %v", err)
		}
	}
	var sum int
	s.pool.QueryRow(t.Context(), `SELECT sum(failures) FROM throttles`).Scan(&sum)
	if sum != 2+4 {
		t.Fatalf("sum of failures = %d, want 6: each transaction applied once", sum)
	}
}

// TestTextTheDatabaseCannotStore: a NUL byte, which SQLite keeps but
// PostgreSQL's text refuses, is an invalid input, not an internal error.
func TestTextTheDatabaseCannotStore(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u := signet.User{ID: signet.NewID(), Email: "nul@example.com", Name: "a\x00b", CreatedAt: epochForTest, UpdatedAt: epochForTest}
	err := s.CreateUser(t.Context(), u)
	if !errors.Is(err, signet.ErrInvalid) || strings.Contains(signet.ErrorMessage(err), "\x00") {
		t.Fatalf("CreateUser with a NUL byte = %v, want ErrInvalid", err)
	}
}
