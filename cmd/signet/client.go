package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/signet-dev/signet/oauth2"
)

func runClient(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "client", args, map[string]command{
		"add":           {"register an OAuth/OpenID client (a generated secret is printed once)", runClientAdd},
		"list":          {"list clients", runClientList},
		"remove":        {"remove a client and end every session issued to it", runClientRemove},
		"rotate-secret": {"give a confidential client a new secret (printed once); the old one stops working within a second", runClientRotate},
	})
}

// listFlag is a flag that may be given several times; each value may also
// hold several, comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, splitList(v)...)
	return nil
}

const clientAddAbout = `Registers a client. A confidential client gets a secret of 256 random bits,
printed once on standard output (and nowhere else: only a keyed hash is
stored); --secret-stdin reads one instead, which must be as strong. Secrets
are never taken from flags. A public client (--public: a browser or native
app) has none and must use PKCE, as every client does.
  signet client add web --name "Web app" --redirect-uri https://app.example/callback
  signet client add svc --grant-types client_credentials --scopes signet:revocations`

func runClientAdd(ctx context.Context, env *Env, args []string) error {
	var nc oauth2.NewClient
	var redirects, logouts, grants, audiences listFlag
	var scopes string
	var secretStdin bool
	c, rest, err := dbCommand(ctx, env, "client add", "client add ID [flags]", clientAddAbout, args,
		func(fs *flag.FlagSet) {
			fs.StringVar(&nc.Name, "name", "", "name shown on the consent page (default: the id)")
			fs.Var(&redirects, "redirect-uri", "an exact redirect URI (repeat for several)")
			fs.Var(&logouts, "post-logout-redirect-uri", "an exact post-logout redirect URI (repeat for several)")
			fs.Var(&grants, "grant-types", "comma-separated: authorization_code, refresh_token, client_credentials (default: the first two)")
			fs.StringVar(&scopes, "scopes", "", `space-separated scopes the client may ask for (default "openid profile email")`)
			fs.Var(&audiences, "aud", "comma-separated aud of its access tokens (default: the server's --audiences)")
			fs.BoolVar(&nc.Public, "public", false, "a public client: no secret, PKCE only")
			fs.StringVar(&nc.IDTokenAlg, "id-token-alg", "", "RS256 for a client that needs it (default: the server's, ES256)")
			fs.BoolVar(&secretStdin, "secret-stdin", false, "read the secret from standard input instead of generating one")
		})
	if err != nil {
		return err
	}
	defer c.Close()
	if len(rest) != 1 {
		return fmt.Errorf("client add takes one ID, got %d arguments", len(rest))
	}
	nc.ID, nc.RedirectURIs, nc.PostLogoutRedirectURIs = rest[0], redirects, logouts
	nc.Audiences = audiences
	if len(grants) > 0 {
		nc.GrantTypes = grants
	}
	if scopes != "" {
		nc.Scopes = strings.Fields(scopes)
	}
	if secretStdin {
		if nc.Secret, err = readSecret(env); err != nil {
			return err
		}
	}
	info, secret, err := c.oidc.AddClient(ctx, nc)
	if err != nil {
		return err
	}
	kind := "public"
	if secret != "" {
		kind = "confidential"
		if !secretStdin {
			fmt.Fprintln(env.Stdout, secret)
		}
	}
	fmt.Fprintf(env.Stderr, "registered %s client %s (grants %s)", kind, info.ID, strings.Join(info.GrantTypes, ","))
	if secret != "" && !secretStdin {
		fmt.Fprint(env.Stderr, "; its secret is on standard output, shown this once")
	}
	fmt.Fprintln(env.Stderr)
	return nil
}

func runClientList(ctx context.Context, env *Env, args []string) error {
	c, _, err := dbCommand(ctx, env, "client list", "client list", "Lists the registered clients. Secrets are never shown: only their hashes are kept.", args, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	list, err := c.oidc.Clients(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tTYPE\tGRANTS\tSCOPES\tREDIRECT URIS\tID TOKEN\tCREATED")
	for _, cl := range list {
		kind, alg := "public", cl.IDTokenAlg
		if cl.Confidential() {
			kind = "confidential"
		}
		if alg == "" {
			alg = "default"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cl.ID, cl.Name, kind, strings.Join(cl.GrantTypes, ","),
			strings.Join(cl.Scopes, " "), strings.Join(cl.RedirectURIs, " "), alg, cl.CreatedAt.UTC().Format(time.RFC3339))
	}
	return w.Flush()
}

func runClientRemove(ctx context.Context, env *Env, args []string) error {
	c, rest, err := dbCommand(ctx, env, "client remove", "client remove ID",
		"Removes a client, its codes and consents, and ends every session issued to it: its refresh tokens stop at once, its access tokens within seconds.", args, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if len(rest) != 1 {
		return fmt.Errorf("client remove takes one ID, got %d arguments", len(rest))
	}
	if err := c.oidc.RemoveClient(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "removed client %s; its sessions are ended\n", rest[0])
	return nil
}

func runClientRotate(ctx context.Context, env *Env, args []string) error {
	var secretStdin bool
	c, rest, err := dbCommand(ctx, env, "client rotate-secret", "client rotate-secret ID [--secret-stdin]",
		"Gives a confidential client a new secret, printed once on standard output (or read with --secret-stdin). Running servers stop accepting the old one within a second (their client cache).", args,
		func(fs *flag.FlagSet) {
			fs.BoolVar(&secretStdin, "secret-stdin", false, "read the new secret from standard input instead of generating one")
		})
	if err != nil {
		return err
	}
	defer c.Close()
	if len(rest) != 1 {
		return fmt.Errorf("client rotate-secret takes one ID, got %d arguments", len(rest))
	}
	var supplied string
	if secretStdin {
		if supplied, err = readSecret(env); err != nil {
			return err
		}
	}
	secret, err := c.oidc.RotateSecret(ctx, rest[0], supplied)
	if err != nil {
		return err
	}
	if !secretStdin {
		fmt.Fprintln(env.Stdout, secret)
	}
	fmt.Fprintf(env.Stderr, "client %s has a new secret; the old one no longer works\n", rest[0])
	return nil
}

// readSecret reads a client secret: the first line of standard input.
func readSecret(env *Env) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	s := strings.TrimRight(line, "\r\n")
	if s == "" {
		return "", errors.New("no secret on standard input (pipe it in, e.g. printf '%s\\n' \"$SECRET\" | signet client add …)")
	}
	return s, nil
}
