package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/signet-dev/signet/jose"
)

// runTokenDecode prints a token's header and claims WITHOUT verifying it.
func runTokenDecode(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "token decode", "token decode [TOKEN]",
		"Prints a token's header and claims without checking its signature: for debugging only.\n"+
			"The token is read from standard input when not given (prefer that: arguments end up in shell history).")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	tok, err := readToken(env, fs.Args())
	if err != nil {
		return err
	}
	u, err := jose.UnsafeParseWithoutVerification(tok)
	if err != nil {
		return fmt.Errorf("cannot decode token: %w", err)
	}
	fmt.Fprintln(env.Stderr, "NOT VERIFIED: this shows what the token claims, not that it is genuine.")
	fmt.Fprintf(env.Stdout, "header:\n%s\npayload:\n%s\n", indentJSON(u.RawHeader), indentJSON(u.Payload))
	if u.ClaimsErr != nil {
		fmt.Fprintf(env.Stderr, "the payload is not a valid JWT claims set: %v\n", u.ClaimsErr)
	}
	return nil
}

// readToken takes the token from the only argument, or from the first line of
// standard input when there is none or it is "-".
func readToken(env *Env, args []string) (string, error) {
	switch {
	case len(args) > 1:
		return "", fmt.Errorf("expected one token, got %d arguments", len(args))
	case len(args) == 1 && args[0] != "-":
		return strings.TrimSpace(args[0]), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	if line = strings.TrimSpace(line); line == "" {
		return "", fmt.Errorf("no token given: pass it as an argument or on standard input")
	}
	return line, nil
}

func indentJSON(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return fmt.Sprintf("%q", b)
	}
	return out.String()
}
