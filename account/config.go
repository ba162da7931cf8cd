package account

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/signet-dev/signet/throttle"
)

// ThrottleLimits are the brute-force limits of Config.Throttle (SECURITY.md
// rule 10): per account (the normalized email tried) and per client address.
// Zero members take the defaults of package throttle (5 and 50 failures in
// 15 minutes, locks from 1 minute doubling to 1 hour).
type ThrottleLimits struct {
	Account throttle.Limits
	Address throttle.Limits
}

// Defaults returns c with every unset setting filled in; it is the one place
// defaults are applied.
func (c Config) Defaults() Config {
	if len(c.Audiences) == 0 && c.Issuer != "" {
		c.Audiences = []string{c.Issuer}
	}
	c.FirstPartyClientID = orString(c.FirstPartyClientID, "signet")
	c.AccessTTL = orDuration(c.AccessTTL, 15*time.Minute)
	c.IDTokenTTL = orDuration(c.IDTokenTTL, time.Hour)
	c.RefreshIdleTTL = orDuration(c.RefreshIdleTTL, 14*24*time.Hour)
	c.RefreshAbsoluteTTL = orDuration(c.RefreshAbsoluteTTL, 30*24*time.Hour)
	c.RefreshGrace = orDuration(c.RefreshGrace, 10*time.Second)
	if c.DefaultRoles == nil {
		c.DefaultRoles = []string{"user"}
	}
	if c.RoleScopes == nil {
		c.RoleScopes = map[string][]string{"user": {"openid", "profile", "email"}}
	}
	c.Leeway = orDuration(c.Leeway, 30*time.Second)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MaxNameLength == 0 {
		c.MaxNameLength = 100
	}
	c.PollEvery = orDuration(c.PollEvery, time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// check reports a configuration the service cannot run with. c has had its
// defaults applied.
func (c Config) check() error {
	switch {
	case c.Issuer == "":
		return fmt.Errorf("%w: the issuer is required", errConfig)
	case c.AccessTTL < 0 || c.IDTokenTTL < 0 || c.RefreshIdleTTL < 0 || c.RefreshAbsoluteTTL < 0 ||
		c.RefreshGrace < 0 || c.Leeway < 0 || c.PollEvery < 0:
		return fmt.Errorf("%w: lifetimes must be positive", errConfig)
	case c.RefreshIdleTTL > c.RefreshAbsoluteTTL:
		return fmt.Errorf("%w: the refresh idle lifetime exceeds the absolute one", errConfig)
	case c.MaxNameLength < 1:
		return fmt.Errorf("%w: the name length bound must be positive", errConfig)
	}
	for _, r := range slices.Concat(c.DefaultRoles, slices.Collect(maps.Keys(c.RoleScopes))) {
		if err := checkRole(r); err != nil {
			return fmt.Errorf("%w: %v", errConfig, err)
		}
	}
	return nil
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
