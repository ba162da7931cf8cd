//go:build !unix

package storetest

import "time"

// cpuTime returns 0: this platform's CPU time is not read.
func cpuTime() time.Duration { return 0 }
