package account_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/password"
	"github.com/signet-dev/signet/throttle"
)

func TestSignup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "taken@example.com")
	tests := []struct {
		name    string
		req     account.SignupRequest
		wantErr []error
		email   string
	}{
		{"normalized email", account.SignupRequest{Email: "  Alice@Example.COM ", Password: goodPassword, Name: " Alice "}, nil, "alice@example.com"},
		{"taken email, other case", account.SignupRequest{Email: "TAKEN@example.com", Password: goodPassword}, []error{signet.ErrConflict}, ""},
		{"no at sign", account.SignupRequest{Email: "alice.example.com", Password: goodPassword}, []error{signet.ErrInvalid}, ""},
		{"two at signs", account.SignupRequest{Email: "a@b@example.com", Password: goodPassword}, []error{signet.ErrInvalid}, ""},
		{"space inside", account.SignupRequest{Email: "al ice@example.com", Password: goodPassword}, []error{signet.ErrInvalid}, ""},
		{"empty domain label", account.SignupRequest{Email: "alice@example..com", Password: goodPassword}, []error{signet.ErrInvalid}, ""},
		{"too long", account.SignupRequest{Email: strings.Repeat("a", 65) + "@example.com", Password: goodPassword}, []error{signet.ErrInvalid}, ""},
		{"short password", account.SignupRequest{Email: "b@example.com", Password: "Zq9x"}, []error{signet.ErrInvalid, password.ErrTooShort}, ""},
		{"common password", account.SignupRequest{Email: "b@example.com", Password: "password123"}, []error{signet.ErrInvalid, password.ErrCommon}, ""},
		{"password is the email", account.SignupRequest{Email: "bartholomew@example.com", Password: "Bartholomew2024!"}, []error{signet.ErrInvalid, password.ErrContainsContext}, ""},
		{"password is the name", account.SignupRequest{Email: "b@example.com", Password: "Maximilian Wolf", Name: "Maximilian Wolf"}, []error{signet.ErrInvalid, password.ErrContainsContext}, ""},
		{"name too long", account.SignupRequest{Email: "b@example.com", Password: goodPassword, Name: strings.Repeat("n", 101)}, []error{signet.ErrInvalid}, ""},
		{"control character in name", account.SignupRequest{Email: "b@example.com", Password: goodPassword, Name: "a\x00b"}, []error{signet.ErrInvalid}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := e.svc.Signup(t.Context(), tt.req, meta)
			for _, want := range tt.wantErr {
				wantErr(t, err, want)
			}
			if len(tt.wantErr) > 0 {
				if msg := signet.ErrorMessage(err); msg == "" || strings.Contains(msg, tt.req.Password) {
					t.Fatalf("message %q: want a message that does not repeat the password", msg)
				}
				return
			}
			must(t, err)
			if p.Email != tt.email || p.Sub == "" || strings.Contains(p.Sub, "@") || !slices.Equal(p.Roles, []string{"user"}) || p.Name != "Alice" {
				t.Fatalf("profile %+v", p)
			}
		})
	}
}

func TestSignupThrottledPerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{account: func(c *account.Config) {
		c.Throttle.Address = throttle.Limits{MaxFailures: 2}
	}})
	e.signup(t, "taken@example.com")
	req := account.SignupRequest{Email: "taken@example.com", Password: goodPassword}
	for range 2 {
		_, err := e.svc.Signup(t.Context(), req, meta)
		wantErr(t, err, signet.ErrConflict)
	}
	_, err := e.svc.Signup(t.Context(), account.SignupRequest{Email: "new@example.com", Password: goodPassword}, meta)
	var te *account.ThrottledError
	if !errors.As(err, &te) || te.RetryAfter != time.Minute {
		t.Fatalf("third attempt: %v, want ThrottledError with Retry-After 1m", err)
	}
	other := account.Meta{ClientIP: "198.51.100.7"}
	if _, err := e.svc.Signup(t.Context(), account.SignupRequest{Email: "new@example.com", Password: goodPassword}, other); err != nil {
		t.Fatalf("another address is throttled too: %v", err)
	}
}
