package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/signet-dev/signet/jose/verify"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "posts:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("posts", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8081", "address to listen on")
	issuer := fs.String("issuer", "http://localhost:8080", "the token issuer (signet's --issuer)")
	audience := fs.String("audience", "http://localhost:8081", "this API's audience: tokens must name it in aud")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	opts := []verify.Option{verify.WithAudience(*audience), verify.WithLogger(logger)}
	// A service token with scope signet:revocations turns on the revocation
	// feed: `signet token mint --client posts-api --scope signet:revocations`.
	if tok := os.Getenv("POSTS_FEED_TOKEN"); tok != "" {
		opts = append(opts, verify.WithRevocationFeed(verify.StaticToken(tok)))
	}
	v, err := verify.New(ctx, *issuer, opts...)
	if err != nil {
		return err
	}
	defer v.Close()
	srv := &http.Server{Addr: *addr, Handler: NewHandler(v, &Store{}),
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	log.Printf("posts API on http://%s, tokens of %s for audience %s", *addr, *issuer, *audience)
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}
