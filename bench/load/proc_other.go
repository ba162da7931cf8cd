//go:build !linux

package main

import "os/exec"

// setDeathSignal does nothing off Linux; the servers are stopped on exit.
func setDeathSignal(*exec.Cmd) {}
