package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/signet-dev/signet/httpapi"
)

const serveAbout = `Runs the signet server. With no configuration it serves a development
instance on 127.0.0.1:8080 with a SQLite file in the working directory, a
generated master key file and issuer http://localhost:8080.`

// runServe is `signet serve`.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", "serve [flags]", serveAbout)
	cfg := &Config{}
	cfg.register(fs)
	if err := parseConfig(fs, cfg, args, env.Getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", joinArgs(fs.Args()))
	}
	log, err := newLogger(env.Stderr, cfg)
	if err != nil {
		return err
	}
	if err := checkTransport(cfg); err != nil {
		return err
	}
	c, err := openCore(ctx, env, cfg, log)
	if err != nil {
		return err
	}
	defer c.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	return serve(ctx, c, ln)
}

// serve runs the HTTP server on ln and the background loops (revocation
// feed, key schedule) until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, c *core, ln net.Listener) error {
	proxies, _ := c.cfg.trustedProxies()
	api := httpapi.New(httpapi.Config{Issuer: c.cfg.Issuer, TrustedProxies: proxies,
		CORSOrigins: splitList(c.cfg.CORSOrigins), Logger: c.log, Provider: c.oidc}, c.svc, c.store.Ping)
	srv := httpapi.NewHTTPServer(c.cfg.Addr, api.Handler())

	loops, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	for _, run := range []func(context.Context) error{c.svc.Run, c.keys.Run, c.oidc.Run} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(loops); err != nil && !errors.Is(err, context.Canceled) {
				c.log.Error("background loop stopped", "err", err)
			}
		}()
	}
	errc := make(chan error, 1)
	go func() {
		if c.cfg.TLSCert != "" {
			errc <- srv.ServeTLS(ln, c.cfg.TLSCert, c.cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	c.log.Info("signet is serving", "addr", ln.Addr().String(), "issuer", c.cfg.Issuer, "db", redactURL(c.cfg.DatabaseURL))
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		c.log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		api.Shutdown(sctx)
		err = srv.Shutdown(sctx)
		cancel()
	}
	stop()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// checkTransport applies security rule 19: production mode refuses plain
// HTTP on a non-loopback address unless a TLS-terminating proxy is declared.
func checkTransport(cfg *Config) error {
	if !cfg.Production || cfg.TLSCert != "" || cfg.BehindTLSProxy || isLoopback(cfg.Addr) {
		return nil
	}
	return fmt.Errorf("production mode refuses plain HTTP on %s: give --tls-cert/--tls-key, or --behind-tls-proxy when a proxy terminates TLS", cfg.Addr)
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
