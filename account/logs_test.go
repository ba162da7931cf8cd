package account_test

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/throttle"
)

// TestLogsHoldNoSecrets runs every flow and checks that no log line holds a
// token, a refresh token, a password, a password hash or key material
// (SECURITY.md rule 15), while every security event was logged.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{account: func(c *account.Config) {
		c.Throttle.Account = throttle.Limits{MaxFailures: 2}
	}})
	var secrets []string
	keep := func(r account.TokenResponse) account.TokenResponse {
		h := signet.HashRefreshToken(r.RefreshToken)
		secrets = append(secrets, r.RefreshToken, r.AccessToken, r.IDToken,
			hex.EncodeToString(h), base64.RawURLEncoding.EncodeToString(h), base64.StdEncoding.EncodeToString(h))
		for _, tok := range []string{r.AccessToken, r.IDToken} {
			secrets = append(secrets, strings.Split(tok, ".")[1:]...) // payload and signature
		}
		return r
	}
	const wrong = "wrong-password-9f3b2"
	secrets = append(secrets, goodPassword, otherPassword, wrong, "third passphrase for the admin")

	id := e.signup(t, "alice@example.com")
	_, _ = e.svc.Signup(t.Context(), account.SignupRequest{Email: "alice@example.com", Password: goodPassword}, meta)
	_, _ = e.svc.Login(t.Context(), account.LoginRequest{Email: "nobody@example.com", Password: wrong}, meta)
	a := keep(e.login(t, "alice@example.com"))
	b := keep(e.refresh(t, a.RefreshToken))
	e.clock.Advance(time.Minute)
	_, _ = e.svc.Refresh(t.Context(), a.RefreshToken, meta) // reuse
	c := keep(e.login(t, "alice@example.com"))
	d := keep(e.login(t, "alice@example.com"))
	must(t, e.svc.Logout(t.Context(), e.auth(t, d.AccessToken), false))
	_ = e.svc.ChangePassword(t.Context(), e.auth(t, c.AccessToken), wrong, otherPassword)
	must(t, e.svc.ChangePassword(t.Context(), e.auth(t, c.AccessToken), goodPassword, otherPassword))
	for range 2 {
		_, _ = e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: wrong}, meta)
	}
	_, _ = e.svc.Login(t.Context(), account.LoginRequest{Email: "alice@example.com", Password: otherPassword}, meta)
	must(t, e.svc.SetPassword(t.Context(), id, "third passphrase for the admin"))
	must(t, e.svc.SetDisabled(t.Context(), id, true))
	must(t, e.keys.Rotate(t.Context()))
	_, _ = e.svc.Authenticate(t.Context(), b.AccessToken)

	secrets = append(secrets, storedSecrets(t, e)...)
	logs := e.logs.String()
	for _, s := range secrets {
		if len(s) >= 8 && strings.Contains(logs, s) {
			t.Errorf("a log line holds a secret (%d characters, starting %.4s…)", len(s), s)
		}
	}
	if strings.Contains(logs, "alice@example.com") {
		t.Error("a log line holds an email address")
	}
	for _, ev := range []string{"signup", "signup.refused", "login.failed", "login.succeeded", "login.throttled",
		"refresh.reuse", "logout", "password.change_failed", "password.changed", "user.password_set",
		"user.disabled", "key.rotated"} {
		if !strings.Contains(logs, `"event":"`+ev+`"`) {
			t.Errorf("no %s event", ev)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not one JSON record: %s", line)
		}
	}
}

// storedSecrets returns the password hashes and every private key member of
// the store, decrypted.
func storedSecrets(t *testing.T, e *env) []string {
	t.Helper()
	var out []string
	users, err := e.store.ListUsers(t.Context(), signet.UserFilter{})
	must(t, err)
	for _, u := range users {
		out = append(out, u.PasswordHash)
		out = append(out, strings.Split(u.PasswordHash, "$")[4:]...) // salt and hash
	}
	keys, err := e.store.ListKeys(t.Context())
	must(t, err)
	for _, k := range keys {
		plain, err := e.ring.Open(k.MasterKeyID, k.KID, k.EncryptedPrivate)
		must(t, err)
		var jwk map[string]any
		must(t, json.Unmarshal(plain, &jwk))
		for _, m := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
			if v, ok := jwk[m].(string); ok {
				out = append(out, v, v[:min(len(v), 16)])
			}
		}
		out = append(out, base64.StdEncoding.EncodeToString(k.EncryptedPrivate))
	}
	return out
}
