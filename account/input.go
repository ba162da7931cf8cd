package account

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/password"
)

// Bounds on what a client may send.
const (
	maxEmailLength     = 254 // RFC 5321's path limit, less the angle brackets
	maxLocalPartLength = 64
	maxUserAgentLength = 256
	maxRoleLength      = 64
	maxRoles           = 32
)

// emailAddress returns the normalized form of a new account's email, or an
// EINVALID error if it does not look like an address: one "@", a local part
// and a domain, no white space or control characters, within RFC 5321's
// lengths. It does not try to be RFC 5322: only a message proves an address.
func emailAddress(raw string) (string, error) {
	e := signet.NormalizeEmail(raw)
	local, domain, ok := strings.Cut(e, "@")
	switch {
	case e == "":
		return "", invalid(nil, "an email address is required")
	case !ok || local == "" || domain == "" || strings.Contains(domain, "@"):
		return "", invalid(nil, "the email address must look like name@example.com")
	case len(e) > maxEmailLength || len(local) > maxLocalPartLength:
		return "", invalid(nil, "the email address is too long")
	case !utf8.ValidString(e) || strings.IndexFunc(e, badEmailRune) >= 0:
		return "", invalid(nil, "the email address contains spaces or characters that are not allowed")
	case strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, ".."):
		return "", invalid(nil, "the email address has an invalid domain")
	}
	return e, nil
}

func badEmailRune(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' || r == '"' || r == '\\'
}

// displayName returns the trimmed name, or an EINVALID error if it is too
// long or holds control characters or invalid UTF-8. An empty name is
// allowed.
func displayName(raw string, maxLen int) (string, error) {
	n := strings.TrimSpace(raw)
	switch {
	case !utf8.ValidString(n) || strings.IndexFunc(n, unicode.IsControl) >= 0:
		return "", invalid(nil, "the name contains characters that are not allowed")
	case utf8.RuneCountInString(n) > maxLen:
		return "", invalid(nil, "the name is too long: use at most %d characters", maxLen)
	}
	return n, nil
}

// checkPassword applies the policy to a new password, with the account's
// email and name as context. The error matches signet.ErrInvalid, carries the
// policy's message for the person choosing, and wraps the password sentinel.
func (s *Service) checkPassword(pw, email, name string) error {
	err := s.cfg.Policy.Check(pw, email, name)
	if err == nil {
		return nil
	}
	for _, kind := range []error{password.ErrTooShort, password.ErrTooLong, password.ErrCommon, password.ErrContainsContext} {
		if errors.Is(err, kind) {
			return invalid(kind, "%s", err.Error())
		}
	}
	return invalid(err, "the password is not acceptable")
}

// checkRole refuses role names that could not travel in a token or a scope
// map: empty, too long, or with white space or control characters.
func checkRole(r string) error {
	if r == "" || len(r) > maxRoleLength || !utf8.ValidString(r) ||
		strings.IndexFunc(r, func(c rune) bool { return unicode.IsSpace(c) || unicode.IsControl(c) }) >= 0 {
		return invalid(nil, "role %q is not a valid role name", truncate(r, maxRoleLength))
	}
	return nil
}

// roleList validates roles and returns them without duplicates, in order.
func roleList(roles []string) ([]string, error) {
	if len(roles) > maxRoles {
		return nil, invalid(nil, "at most %d roles", maxRoles)
	}
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		if err := checkRole(r); err != nil {
			return nil, err
		}
		if !contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// userAgent bounds and cleans a User-Agent header for storage and display.
func userAgent(ua string) string {
	ua = strings.ToValidUTF8(ua, "")
	ua = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, ua)
	return truncate(ua, maxUserAgentLength)
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
