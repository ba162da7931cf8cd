package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/throttle"
)

// throttleFlags are the brute-force limits of login and signup (SECURITY.md
// rule 10), as flags: "5/15m" is five failures within fifteen minutes, "off"
// turns a kind of counter off.
type throttleFlags struct {
	Account string
	Address string
	Lock    time.Duration
	MaxLock time.Duration
}

func (t *throttleFlags) register(fs *flag.FlagSet) {
	a, d := throttle.DefaultAccountLimits, throttle.DefaultAddressLimits
	fs.StringVar(&t.Account, "throttle-account", formatRate(a), "failed logins allowed per account (email) before it is locked: COUNT/WINDOW, or off")
	fs.StringVar(&t.Address, "throttle-address", formatRate(d), "failed logins and signups allowed per client address before it is locked: COUNT/WINDOW, or off")
	fs.DurationVar(&t.Lock, "throttle-lock", a.Lock, "first lock of a throttled account or address; each further lock in a row doubles it")
	fs.DurationVar(&t.MaxLock, "throttle-max-lock", a.MaxLock, "longest lock of a throttled account or address")
}

func formatRate(l throttle.Limits) string {
	return strconv.Itoa(l.MaxFailures) + "/" + shortDuration(l.Window)
}

// shortDuration writes d without zero units: 15m, 1h, 1h30m, 90s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// limits returns the account.ThrottleLimits the flags describe.
func (t *throttleFlags) limits() (account.ThrottleLimits, error) {
	acc, err := parseRate("--throttle-account", t.Account)
	if err != nil {
		return account.ThrottleLimits{}, err
	}
	addr, err := parseRate("--throttle-address", t.Address)
	if err != nil {
		return account.ThrottleLimits{}, err
	}
	switch {
	case t.Lock <= 0:
		return account.ThrottleLimits{}, fmt.Errorf("--throttle-lock must be positive")
	case t.MaxLock < t.Lock:
		return account.ThrottleLimits{}, fmt.Errorf("--throttle-max-lock cannot be shorter than --throttle-lock")
	}
	for _, l := range []*throttle.Limits{&acc, &addr} {
		l.Lock, l.MaxLock = t.Lock, t.MaxLock
	}
	return account.ThrottleLimits{Account: acc, Address: addr}, nil
}

// parseRate reads COUNT/WINDOW ("5/15m") or "off".
func parseRate(flag, s string) (throttle.Limits, error) {
	if strings.EqualFold(strings.TrimSpace(s), "off") {
		return throttle.Limits{MaxFailures: -1}, nil
	}
	n, w, ok := strings.Cut(strings.TrimSpace(s), "/")
	count, err := strconv.Atoi(n)
	window, werr := time.ParseDuration(w)
	if !ok || err != nil || werr != nil || count <= 0 || window <= 0 {
		return throttle.Limits{}, fmt.Errorf("%s %q: want COUNT/WINDOW, such as 5/15m, or off", flag, s)
	}
	d := throttle.DefaultAccountLimits
	return throttle.Limits{MaxFailures: count, Window: window, Forget: d.Forget}, nil
}
