package account_test

import (
	"testing"

	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/password"
	"github.com/signet-dev/signet/throttle"
)

// BenchmarkLoginFailure reports the latency of a failed login for an unknown
// email and for a wrong password with production argon2id parameters
// (SECURITY.md rule 9): the two must be close, since each does one hash.
// Run with: go test -run '^$' -bench LoginFailure ./account/
func BenchmarkLoginFailure(b *testing.B) {
	e := newEnv(b, setup{account: func(c *account.Config) {
		c.Throttle = account.ThrottleLimits{Account: throttle.Limits{MaxFailures: -1}, Address: throttle.Limits{MaxFailures: -1}}
	}})
	h, err := password.NewHasher(password.Config{})
	must(b, err)
	svc, err := account.NewService(b.Context(), e.store, e.keys, h, e.cfg)
	must(b, err)
	e.svc = svc
	e.signup(b, "alice@example.com")
	for _, bc := range []struct{ name, email string }{
		{"unknown_email", "nobody@example.com"},
		{"wrong_password", "alice@example.com"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := account.LoginRequest{Email: bc.email, Password: otherPassword}
			for b.Loop() {
				if _, err := svc.Login(b.Context(), req, meta); err == nil {
					b.Fatal("login succeeded")
				}
			}
		})
	}
}
