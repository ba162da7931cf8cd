package password

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCommonListFormat keeps the shipped list in the form common() expects:
// lowercase, sorted, unique, one entry per line, nothing too short to match.
func TestCommonListFormat(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(commonTxt, "\n"), "\n")
	if len(lines) < 2000 {
		t.Errorf("list has %d entries, want a few thousand", len(lines))
	}
	if !slices.IsSorted(lines) {
		t.Error("list is not sorted")
	}
	for i, l := range lines {
		switch {
		case l != strings.ToLower(l):
			t.Errorf("line %d: %q is not lowercase", i+1, l)
		case l != strings.TrimSpace(l) || strings.ContainsAny(l, " \t\r"):
			t.Errorf("line %d: %q has white space", i+1, l)
		case utf8.RuneCountInString(l) < minCore:
			t.Errorf("line %d: %q is shorter than %d", i+1, l, minCore)
		case i > 0 && l == lines[i-1]:
			t.Errorf("line %d: %q repeated", i+1, l)
		}
	}
	if got := len(common()); got != len(lines) {
		t.Errorf("set has %d entries, list %d", got, len(lines))
	}
}

func TestIsCommon(t *testing.T) {
	for pw, want := range map[string]bool{
		"123456789":        true,
		"iloveyou":         true,
		"ILoveYou!":        true,
		"qwertyuiop":       true,
		"trustno1":         true,
		"letmein2024":      true,
		"2024letmein":      true,
		"l3tm31n!":         true,
		"manchesterunited": true,
		"abcabcabc":        true,
		"ab":               true,
		"zyxwvuts":         true,
		"xj123456":         false, // "xj" is too short a core to look up
		"dragon fruit tea": false,
		"kq8#mz!pw2":       false,
		"12345679x":        false,
	} {
		if got := isCommon(pw); got != want {
			t.Errorf("isCommon(%q) = %v, want %v", pw, got, want)
		}
	}
}

func BenchmarkIsCommon(b *testing.B) {
	common()
	for b.Loop() {
		isCommon("Correct-Horse-Battery-Staple-42")
	}
}
