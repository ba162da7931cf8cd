package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/signet-dev/signet/token"
)

func runToken(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "token", args, map[string]command{
		"decode": {"print a token's header and claims without verifying it", runTokenDecode},
		"verify": {"verify an access token as signet's own endpoints do (keys and revocations of the database)", runTokenVerify},
		"mint":   {"issue a service access token with chosen scopes and lifetime", runTokenMint},
	})
}

func runTokenVerify(ctx context.Context, env *Env, args []string) error {
	c, rest, err := dbCommand(ctx, env, "token verify", "token verify [TOKEN]",
		"Verifies an access token against the database's keys and revocations, as the server's own endpoints do.\n"+
			"The token is read from standard input when not given.", args, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	tok, err := readToken(env, rest)
	if err != nil {
		return err
	}
	claims, err := c.svc.Authenticate(ctx, tok)
	if err != nil {
		return fmt.Errorf("token refused: %w", err)
	}
	fmt.Fprintln(env.Stderr, "valid")
	out, _ := json.MarshalIndent(claims, "", "  ")
	fmt.Fprintln(env.Stdout, string(out))
	return nil
}

const maxMintTTL = 24 * time.Hour

func runTokenMint(ctx context.Context, env *Env, args []string) error {
	var client, scope, aud string
	var ttl time.Duration
	c, rest, err := dbCommand(ctx, env, "token mint", "token mint --client NAME --scope SCOPES [--ttl 1h]",
		"Issues an access token for a service (sub and client_id are NAME), e.g. a verifier that reads the revocation feed:\n"+
			"  signet token mint --client posts-api --scope signet:revocations\n"+
			"The token is printed on standard output; treat it as a secret.", args,
		func(fs *flag.FlagSet) {
			fs.StringVar(&client, "client", "", "the service's name: the token's sub and client_id (required)")
			fs.StringVar(&scope, "scope", "", "space-separated scopes (required)")
			fs.DurationVar(&ttl, "ttl", time.Hour, fmt.Sprintf("lifetime, at most %v", maxMintTTL))
			fs.StringVar(&aud, "aud", "", "comma-separated audiences (default: the configured audiences)")
		})
	if err != nil {
		return err
	}
	defer c.Close()
	switch {
	case len(rest) > 0:
		return fmt.Errorf("unexpected arguments: %s", joinArgs(rest))
	case client == "" || strings.TrimSpace(scope) == "":
		return fmt.Errorf("--client and --scope are required")
	case ttl <= 0 || ttl > maxMintTTL:
		return fmt.Errorf("--ttl %v: must be between 1s and %v", ttl, maxMintTTL)
	}
	audiences := splitList(aud)
	if len(audiences) == 0 {
		if audiences = splitList(c.cfg.Audiences); len(audiences) == 0 {
			audiences = []string{c.cfg.Issuer}
		}
	}
	signer, err := c.keys.AccessSigner()
	if err != nil {
		return err
	}
	tok, claims, err := token.NewAccessToken(signer, token.Access{Issuer: c.cfg.Issuer, Subject: client, Audience: audiences,
		ClientID: client, Scope: strings.Join(strings.Fields(scope), " "), IssuedAt: time.Now(), TTL: ttl})
	if err != nil {
		return err
	}
	c.log.Warn("service token minted", "event", "token.minted", "client_id", client, "scope", claims.Scope, "jti", claims.ID,
		"expires_at", claims.ExpiresAt.Time().UTC())
	fmt.Fprintln(env.Stdout, tok)
	return nil
}
