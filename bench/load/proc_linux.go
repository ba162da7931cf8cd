package main

import (
	"os/exec"
	"syscall"
)

// setDeathSignal makes the kernel kill cmd if this program dies first, so
// no server outlives an interrupted run.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
