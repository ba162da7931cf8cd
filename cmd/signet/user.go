package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/signet-dev/signet/account"
)

func runUser(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "user", args, map[string]command{
		"add":          {"create a user (password from a prompt or standard input)", runUserAdd},
		"list":         {"list users", runUserList},
		"disable":      {"disable a user and end every session at once", userToggle(true)},
		"enable":       {"enable a disabled user", userToggle(false)},
		"set-roles":    {"replace a user's roles", runUserSetRoles},
		"set-password": {"set a user's password (ends every session)", runUserSetPassword},
		"revoke":       {"end every session of a user; their access tokens stop working within seconds", runUserRevoke},
	})
}

func runUserAdd(ctx context.Context, env *Env, args []string) error {
	var name, roles string
	c, rest, err := dbCommand(ctx, env, "user add", "user add EMAIL [--name NAME] [--roles a,b]",
		"Creates a user. The password is read from a prompt, or from standard input when it is not a terminal.", args,
		func(fs *flag.FlagSet) {
			fs.StringVar(&name, "name", "", "display name")
			fs.StringVar(&roles, "roles", "", "comma-separated roles (default: --default-roles)")
		})
	if err != nil {
		return err
	}
	defer c.Close()
	if len(rest) != 1 {
		return fmt.Errorf("user add takes one EMAIL, got %d arguments", len(rest))
	}
	pw, err := readPassword(env, "password for "+rest[0])
	if err != nil {
		return err
	}
	u, err := c.svc.AddUser(ctx, account.NewUser{Email: rest[0], Password: pw, Name: name, Roles: splitList(roles)})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (%s) with roles %s\n", u.ID, u.Email, strings.Join(u.Roles, ","))
	return nil
}

func runUserList(ctx context.Context, env *Env, args []string) error {
	var after string
	var limit int
	c, _, err := dbCommand(ctx, env, "user list", "user list [--after EMAIL] [--limit N]", "Lists users by email.", args,
		func(fs *flag.FlagSet) {
			fs.StringVar(&after, "after", "", "start after this email (paging)")
			fs.IntVar(&limit, "limit", 100, "at most this many users")
		})
	if err != nil {
		return err
	}
	defer c.Close()
	users, err := c.svc.ListUsers(ctx, after, limit)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tEMAIL\tNAME\tROLES\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, strings.Join(u.Roles, ","), status, u.CreatedAt.Format(time.RFC3339))
	}
	return w.Flush()
}

// userAction opens the database and resolves the one USER argument (an id
// or an email) for the actions that change one user.
func userAction(ctx context.Context, env *Env, name, about string, args []string,
	do func(c *core, userID string) (string, error)) error {
	return userActionN(ctx, env, name, "USER", about, args, 0, func(c *core, userID string, _ []string) (string, error) { return do(c, userID) })
}

// userActionN is userAction for actions that take extra positional arguments.
func userActionN(ctx context.Context, env *Env, name, extraSyn, about string, args []string, extra int,
	do func(c *core, userID string, rest []string) (string, error)) error {
	c, rest, err := dbCommand(ctx, env, "user "+name, "user "+name+" "+extraSyn, about+"\nUSER is a user id or an email.", args, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if len(rest) != 1+extra {
		return fmt.Errorf("usage: signet user %s %s (got %d arguments)", name, extraSyn, len(rest))
	}
	u, err := c.svc.FindUser(ctx, rest[0])
	if err != nil {
		return fmt.Errorf("%w: %s", errNoUser, rest[0])
	}
	msg, err := do(c, u.ID, rest[1:])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s\n", u.Email, msg)
	return nil
}

func userToggle(disable bool) func(context.Context, *Env, []string) error {
	name, about, done := "enable", "Enables a disabled user.", "enabled"
	if disable {
		name, about, done = "disable", "Disables a user: login is refused and every session ends at once.", "disabled; every session ended"
	}
	return func(ctx context.Context, env *Env, args []string) error {
		return userAction(ctx, env, name, about, args, func(c *core, id string) (string, error) {
			return done, c.svc.SetDisabled(ctx, id, disable)
		})
	}
}

func runUserSetRoles(ctx context.Context, env *Env, args []string) error {
	return userActionN(ctx, env, "set-roles", "USER ROLE[,ROLE…]", "Replaces a user's roles (\"\" for none); new tokens carry them.", args, 1,
		func(c *core, id string, rest []string) (string, error) {
			roles := splitList(rest[0])
			return "roles set to " + strings.Join(roles, ","), c.svc.SetRoles(ctx, id, roles)
		})
}

func runUserSetPassword(ctx context.Context, env *Env, args []string) error {
	return userAction(ctx, env, "set-password", "Sets a user's password (from a prompt or standard input) and ends every session.", args,
		func(c *core, id string) (string, error) {
			pw, err := readPassword(env, "new password")
			if err != nil {
				return "", err
			}
			return "password set; every session ended", c.svc.SetPassword(ctx, id, pw)
		})
}

func runUserRevoke(ctx context.Context, env *Env, args []string) error {
	return userAction(ctx, env, "revoke", "Ends every session of a user; their refresh tokens stop at once and access tokens within seconds.", args,
		func(c *core, id string) (string, error) {
			return "every session ended", c.svc.RevokeUser(ctx, id)
		})
}
