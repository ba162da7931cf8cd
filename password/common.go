package password

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// commonTxt is the shipped list of common passwords: lowercase, one per
// line, sorted. It was written for signet from well-known public
// knowledge of password frequency (the top entries of widely published
// breach-frequency rankings, keyboard walks, number runs and dates,
// first names, sports teams, pop culture, profanity, service defaults and
// their usual leetspeak and digit-suffix forms); no third-party file was
// copied. Entries shorter than four characters are left out: they can
// never match a password of acceptable length.
//
//go:embed common.txt
var commonTxt string

var (
	commonOnce sync.Once
	commonSet  map[string]struct{}
)

// common returns the set of listed passwords, built on first use.
func common() map[string]struct{} {
	commonOnce.Do(func() {
		lines := strings.Split(strings.TrimSpace(commonTxt), "\n")
		commonSet = make(map[string]struct{}, len(lines))
		for _, l := range lines {
			commonSet[l] = struct{}{}
		}
	})
	return commonSet
}

// minCore is the fewest code points a word must keep, after its
// decoration is trimmed, to be looked up on its own; shorter cores
// ("ab" in "ab123456") say too little.
const minCore = 4

// isCommon reports whether pw, ignoring case, is a listed password, a
// listed word with digits or symbols around it ("Monkey2024!"), a
// leetspeak spelling of either ("p@ssw0rd"), or a trivial pattern.
func isCommon(pw string) bool {
	lower := strings.ToLower(pw)
	core := trimDecoration(lower)
	candidates := []string{lower, unleet(lower)}
	if utf8.RuneCountInString(core) >= minCore {
		candidates = append(candidates, core, unleet(core))
		if trivial(core) {
			return true
		}
	}
	if trivial(lower) {
		return true
	}
	set := common()
	for _, c := range candidates {
		if _, ok := set[c]; ok {
			return true
		}
	}
	return false
}

// leet undoes the usual letter-for-digit and letter-for-symbol swaps.
var leet = strings.NewReplacer(
	"0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t",
	"@", "a", "$", "s", "!", "i", "|", "l", "+", "t",
)

func unleet(s string) string { return leet.Replace(s) }

// trivial reports whether s repeats a unit of at most four code points
// ("aaaaaaaa", "abababab", "passpass"), or is a run of consecutive code
// points up or down ("abcdefgh", "87654321").
func trivial(s string) bool {
	r := []rune(s)
	if len(r) < 2 {
		return true
	}
	for unit := 1; unit <= 4 && unit < len(r); unit++ {
		if repeats(r, unit) {
			return true
		}
	}
	step := r[1] - r[0]
	if step != 1 && step != -1 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if r[i]-r[i-1] != step {
			return false
		}
	}
	return true
}

// repeats reports whether r is its first unit runes over and over, the
// last repetition possibly cut short.
func repeats(r []rune, unit int) bool {
	for i := unit; i < len(r); i++ {
		if r[i] != r[i%unit] {
			return false
		}
	}
	return true
}
