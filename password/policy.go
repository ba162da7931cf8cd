package password

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length bounds of NIST SP 800-63B section 3.1.1.2 and security rule 8.
const (
	// MinLength is the shortest password any Policy accepts.
	MinLength = 8

	// DefaultMaxLength is the longest password a zero Policy accepts. NIST
	// asks that verifiers allow at least 64 characters; 128 leaves room for
	// long passphrases and password-manager output while bounding what a
	// request can make the server handle. (Length does not change argon2id's
	// cost, which hashes the password once up front.)
	DefaultMaxLength = 128

	minMaxLength = 64
)

// Policy decides whether a new password is acceptable. It imposes no
// composition rules (no "one digit, one symbol"), as NIST SP 800-63B asks.
// The zero Policy is the recommended one: 8 to 128 code points, common
// passwords refused.
//
// Length is counted in Unicode code points (runes) of the string as given.
// NIST also asks for Unicode normalization (NFC) before counting and
// hashing; the standard library has none, so a password typed with
// combining accents may count, and hash, differently from its precomposed
// form. Callers that need this should normalize before Check and Hash.
type Policy struct {
	// MinLength is the fewest code points allowed. Values below 8 are
	// raised to 8.
	MinLength int

	// MaxLength is the most code points allowed. Zero means 128; other
	// values below 64, or below MinLength, are raised to the larger of
	// those.
	MaxLength int

	// AllowCommon turns off the check against the shipped list of common
	// passwords and trivial patterns. It is off by default so that the zero
	// Policy is safe.
	AllowCommon bool
}

// Check returns nil if pw is acceptable, or an error wrapping exactly one
// of ErrTooShort, ErrTooLong, ErrContainsContext or ErrCommon, whose
// message tells the person what to change and never repeats the password.
//
// The context strings are the account's own details, such as its email
// address and display name. A password that, ignoring case, equals one of
// them, its email local part, or the value with spaces removed, optionally
// with digits or symbols around it, is refused with ErrContainsContext.
func (p Policy) Check(pw string, context ...string) error {
	p = p.withDefaults()
	n := utf8.RuneCountInString(pw)
	switch {
	case n < p.MinLength:
		return fmt.Errorf("%w: use at least %d characters", ErrTooShort, p.MinLength)
	case n > p.MaxLength:
		return fmt.Errorf("%w: use at most %d characters", ErrTooLong, p.MaxLength)
	case fromContext(pw, context):
		return fmt.Errorf("%w: do not use your email address or name", ErrContainsContext)
	case !p.AllowCommon && isCommon(pw):
		return fmt.Errorf("%w: it is among the first passwords attackers try; "+
			"a few unrelated words together make a strong one", ErrCommon)
	}
	return nil
}

// withDefaults is the one place Policy defaults and floors are applied.
func (p Policy) withDefaults() Policy {
	p.MinLength = max(p.MinLength, MinLength)
	if p.MaxLength == 0 {
		p.MaxLength = DefaultMaxLength
	}
	p.MaxLength = max(p.MaxLength, minMaxLength, p.MinLength)
	return p
}

// fromContext reports whether pw is one of the context values or a simple
// derivative of one.
func fromContext(pw string, context []string) bool {
	lower := strings.ToLower(pw)
	core := trimDecoration(lower)
	for _, c := range context {
		c = strings.ToLower(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		forms := []string{c, strings.Join(strings.Fields(c), "")}
		if local, _, ok := strings.Cut(c, "@"); ok && local != "" {
			forms = append(forms, local)
		}
		for _, f := range forms {
			if lower == f || core == f {
				return true
			}
		}
	}
	return false
}

// trimDecoration removes the digits, punctuation and symbols people add
// around a word to satisfy composition rules: "!!Dragon2024!" -> "dragon"
// (after lowering).
func trimDecoration(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
}
