package signet_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/signet-dev/signet"
)

func TestErrorIs(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"same code", signet.Errorf(signet.ENOTFOUND, "session not found"), signet.ErrNotFound, true},
		{"wrapped", fmt.Errorf("loading: %w", signet.Errorf(signet.ECONFLICT, "email taken")), signet.ErrConflict, true},
		{"other code", signet.Errorf(signet.ENOTFOUND, "x"), signet.ErrConflict, false},
		{"plain error", errors.New("not found"), signet.ErrNotFound, false},
		{"sentinels differ", signet.ErrInvalid, signet.ErrNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.want {
				t.Fatalf("errors.Is(%v, %v) = %v, want %v", tt.err, tt.target, got, tt.want)
			}
		})
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		code, msg string
	}{
		{"nil", nil, "", ""},
		{"domain", fmt.Errorf("ctx: %w", signet.Errorf(signet.EINVALID, "email is required")), signet.EINVALID, "email is required"},
		// An internal error's text may name tables or files: it is never shown.
		{"internal", errors.New("sqlite: disk I/O error on /var/lib/signet.db"), signet.EINTERNAL, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, msg := signet.ErrorCode(tt.err), signet.ErrorMessage(tt.err); code != tt.code || msg != tt.msg {
				t.Fatalf("got %q, %q; want %q, %q", code, msg, tt.code, tt.msg)
			}
		})
	}
}
