package jose_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly enforces that the JOSE core depends on nothing but
// the Go standard library (and its own packages): it is imported by other
// teams' services, and every dependency would be theirs too.
func TestStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if !strings.HasPrefix(p, "github.com/signet-dev/signet/jose") {
			t.Errorf("jose depends on non-standard package %s", p)
		}
	}
}
