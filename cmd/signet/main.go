package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand: its one-line summary and what runs it.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what a command may touch of the outside world, so tests run
// commands in-process with their own streams and environment.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// StdinIsTerminal reports whether passwords may be prompted for.
	StdinIsTerminal bool
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the server", runServe},
		"migrate": {"apply schema migrations; copy a database into a new one (--from … --to …)", runMigrate},
		"user":    {"manage users: add, list, disable, enable, set-roles, set-password, revoke", runUser},
		"keys":    {"manage signing keys: list, rotate", runKeys},
		"token":   {"debug tokens: decode, verify; mint a service token", runToken},
		"client":  {"manage OAuth clients: add, list, remove, rotate-secret", runClient},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, StdinIsTerminal: isTerminal(os.Stdin)}
	if err := Run(ctx, env, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "signet:", err)
		}
		os.Exit(exitCode(err))
	}
}

// Run runs the command named by args[0].
func Run(ctx context.Context, env *Env, args []string) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr, cmds)
		if len(args) == 0 {
			return errUsage
		}
		return flag.ErrHelp
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(env.Stderr, cmds)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(ctx, env, args[1:])
}

var errUsage = errors.New("a command is required")

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "Usage: signet COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-7s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'signet COMMAND --help' for the flags of a command.")
}

// newFlagSet returns a flag set whose --help prints a summary, the usage line
// and every flag with its environment twin.
func newFlagSet(env *Env, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: signet %s\n\n%s\n\nFlags (each also read from the environment variable shown):\n", synopsis, about)
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && f.DefValue != "false" {
				def = " (default " + f.DefValue + ")"
			}
			fmt.Fprintf(env.Stderr, "  --%s  [%s]\n      %s%s\n", f.Name, envName(f.Name), f.Usage, def)
		})
	}
	return fs
}

// subcommand dispatches "signet GROUP ACTION" to the action's function.
func subcommand(ctx context.Context, env *Env, group string, args []string, actions map[string]command) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(env.Stderr, "Usage: signet %s ACTION [flags]\n\nActions:\n", group)
		names := make([]string, 0, len(actions))
		for n := range actions {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(env.Stderr, "  %-13s %s\n", n, actions[n].summary)
		}
		if len(args) == 0 {
			return errUsage
		}
		return flag.ErrHelp
	}
	a, ok := actions[args[0]]
	if !ok {
		return fmt.Errorf("unknown action %q for %q; try 'signet %s --help'", args[0], group, group)
	}
	return a.run(ctx, env, args[1:])
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// joinArgs is used in messages that quote a command back to the user.
func joinArgs(a []string) string { return strings.Join(a, " ") }
