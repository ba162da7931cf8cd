package cpu

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestAVX2MatchesKernel compares the detection with the flags the Linux
// kernel reports, where there is a /proc/cpuinfo to read.
func TestAVX2MatchesKernel(t *testing.T) {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil || runtime.GOARCH != "amd64" {
		t.Skipf("no /proc/cpuinfo on %s/%s to compare with: %v", runtime.GOOS, runtime.GOARCH, err)
	}
	var flags []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "flags") {
			flags = strings.Fields(line)
			break
		}
	}
	kernel := false
	for _, f := range flags {
		kernel = kernel || f == "avx2"
	}
	if purego {
		kernel = false
	}
	if AVX2 != kernel {
		t.Fatalf("AVX2 = %v, the kernel says %v", AVX2, kernel)
	}
}
