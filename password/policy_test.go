package password

import (
	"errors"
	"strings"
	"testing"
)

func TestPolicyCheck(t *testing.T) {
	ctx := []string{"alice.smith@example.com", "Alice Smith"}
	for _, tc := range []struct {
		name string
		p    Policy
		pw   string
		want error
	}{
		{"seven characters", Policy{}, "xk3#vq9", ErrTooShort},
		{"empty", Policy{}, "", ErrTooShort},
		{"eight characters", Policy{}, "xk3#vq9m", nil},
		{"eight code points, more bytes", Policy{}, "ĝŝĥĵŭćžđ", nil},
		{"seven code points, eight bytes", Policy{}, "ĝxk3vq9", ErrTooShort},
		{"128 characters", Policy{}, strings.Repeat("tree frog ", 12) + "cardinal", nil},
		{"129 characters", Policy{}, strings.Repeat("tree frog ", 12) + "cardinals", ErrTooLong},
		{"custom minimum", Policy{MinLength: 15}, "tree frog lamp", ErrTooShort},
		{"minimum cannot go below 8", Policy{MinLength: 4}, "frog7", ErrTooShort},
		{"maximum cannot go below 64", Policy{MaxLength: 10}, phrase(64), nil},
		{"maximum follows minimum", Policy{MinLength: 100, MaxLength: 64}, phrase(100), nil},
		{"common", Policy{}, "sunshine", ErrCommon},
		{"common, any case", Policy{}, "SunShine", ErrCommon},
		{"common with digits", Policy{}, "Password123", ErrCommon},
		{"common word decorated", Policy{}, "!!Monkey2024!", ErrCommon},
		{"leetspeak", Policy{}, "P@ssw0rd", ErrCommon},
		{"leetspeak decorated", Policy{}, "p4ssw0rd99", ErrCommon},
		{"keyboard walk", Policy{}, "1qaz2wsx", ErrCommon},
		{"sports team with year", Policy{}, "Steelers1979", ErrCommon},
		{"repeated character", Policy{}, "zzzzzzzzzz", ErrCommon},
		{"repeated pair", Policy{}, "xyxyxyxyxy", ErrCommon},
		{"repeated word", Policy{}, "fredfredfred", ErrCommon},
		{"ascending run", Policy{}, "lmnopqrst", ErrCommon},
		{"descending run", Policy{}, "98765432", ErrCommon},
		{"common allowed", Policy{AllowCommon: true}, "password", nil},
		{"passphrase", Policy{}, "violet tractor umbrella", nil},
		{"common word inside a phrase", Policy{}, "dragon under the bridge", nil},
		{"email", Policy{}, "alice.smith@example.com", ErrContainsContext},
		{"email local part", Policy{}, "Alice.Smith", ErrContainsContext},
		{"email local part with digits", Policy{}, "alice.smith1990", ErrContainsContext},
		{"name", Policy{}, "Alice Smith", ErrContainsContext},
		{"name without spaces", Policy{}, "alicesmith!", ErrContainsContext},
		{"context even when common allowed", Policy{AllowCommon: true}, "alicesmith", ErrContainsContext},
		{"unrelated", Policy{}, "smithing alchemy kiln", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Check(tc.pw, ctx...)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Check = %v, want %v", err, tc.want)
			}
			if err == nil || tc.pw == "" {
				return
			}
			detail := strings.TrimPrefix(err.Error(), tc.want.Error())
			if strings.Contains(strings.ToLower(detail), strings.ToLower(tc.pw)) {
				t.Errorf("error %q repeats the password", err)
			}
		})
	}
}

// phrase returns an uncommon password of n code points.
func phrase(n int) string {
	return strings.Repeat("violet tractor umbrella ", n/24+1)[:n]
}

func TestPolicyMessages(t *testing.T) {
	for pw, want := range map[string]string{
		"short":                 "password is too short: use at least 8 characters",
		strings.Repeat("x", 99): "password is too long: use at most 64 characters",
	} {
		if err := (Policy{MaxLength: 64}).Check(pw); err == nil || err.Error() != want {
			t.Errorf("Check error = %v, want %q", err, want)
		}
	}
}

func TestPolicyEmptyContextIgnored(t *testing.T) {
	if err := (Policy{}).Check("violet tractor umbrella", "", "   "); err != nil {
		t.Errorf("Check with blank context = %v", err)
	}
}
