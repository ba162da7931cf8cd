package examples

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyJoseModule enforces that the examples need nothing but the
// standard library and signet's zero-dependency jose module: what they show
// is what any API can import.
func TestOnlyJoseModule(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if !strings.HasPrefix(p, "github.com/signet-dev/signet/jose") && !strings.HasPrefix(p, "github.com/signet-dev/signet/examples") {
			t.Errorf("the examples depend on %s", p)
		}
	}
}
