package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/signet-dev/signet/jose"
)

func runKeys(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "keys", args, map[string]command{
		"list":   {"list signing keys and their states", runKeysList},
		"rotate": {"rotate now: next becomes current, current retires, a new next is made", runKeysRotate},
	})
}

func runKeysList(ctx context.Context, env *Env, args []string) error {
	c, _, err := dbCommand(ctx, env, "keys list", "keys list", "Lists signing keys: next (published, not yet signing), current (signing) and retired (published until its tokens expire).", args, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	return printKeys(ctx, env, c)
}

func printKeys(ctx context.Context, env *Env, c *core) error {
	list, err := c.keys.List(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "KID\tALG\tSTATE\tPUBLISHED\tCREATED\tACTIVATED\tRETIRED\tLEAVES JWKS")
	for _, k := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%v\t%s\t%s\t%s\t%s\n", k.KID, k.Algorithm, k.State, k.Published,
			when(k.CreatedAt), when(k.ActivatedAt), when(k.RetiredAt), when(k.DeleteAfter))
	}
	return w.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func runKeysRotate(ctx context.Context, env *Env, args []string) error {
	var alg string
	c, _, err := dbCommand(ctx, env, "keys rotate", "keys rotate [--alg ALG]",
		"Rotates the signing keys now. Running servers pick the change up within their reload interval (30 s); verifiers keep accepting tokens of the retired key until they expire.", args,
		func(fs *flag.FlagSet) {
			fs.StringVar(&alg, "alg", "", "rotate only this algorithm's keys (default: all in use)")
		})
	if err != nil {
		return err
	}
	defer c.Close()
	var algs []jose.Algorithm
	if alg != "" {
		a, ok := algorithmByName(alg)
		if !ok {
			return fmt.Errorf("--alg %q: want one of %v", alg, c.keys.Algorithms())
		}
		algs = append(algs, a)
	}
	if err := c.keys.Rotate(ctx, algs...); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "rotated; new state:")
	return printKeys(ctx, env, c)
}
