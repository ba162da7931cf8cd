package signet_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainImports keeps the root package free of outside dependencies: it
// may import the standard library and jose only (STYLE.md, "Import
// direction"). SQL and HTTP live in their own packages.
func TestDomainImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "github.com/signet-dev/signet" && !strings.HasPrefix(p, "github.com/signet-dev/signet/jose") {
			t.Errorf("the domain package depends on %s", p)
		}
	}
}
