package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// readPassword reads a password from standard input: with a prompt and no
// echo when it is a terminal (twice, to catch typos), else its first line.
// Passwords are never taken from flags, which end up in shell history and
// process listings.
func readPassword(env *Env, prompt string) (string, error) {
	if env.StdinIsTerminal {
		if f, ok := env.Stdin.(*os.File); ok {
			return promptTwice(env, f, prompt)
		}
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input (pipe it in, e.g. printf '%s\\n' \"$PW\" | signet …)")
	}
	return pw, nil
}

func promptTwice(env *Env, f *os.File, prompt string) (string, error) {
	fmt.Fprint(env.Stderr, prompt+": ")
	a, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(env.Stderr, "again: ")
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("the two passwords differ")
	}
	return string(a), nil
}
