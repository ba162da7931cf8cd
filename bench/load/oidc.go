package main

// The OpenID provider's scenarios (issue 5): the token endpoint's
// client_credentials grant and the introspection endpoint, each beside the
// do-nothing baseline sent the very same requests.
//
//	client-credentials  POST /oauth2/token grant_type=client_credentials,
//	                    HTTP Basic, over a pool of distinct clients.
//	introspect          POST /oauth2/introspect over a pool of 512 distinct
//	                    access tokens, each request authenticated as one of
//	                    the pool's clients: each token is introspected many
//	                    times, as a resource server does for the requests it
//	                    serves, so the provider's verified-token cache hits.
//	introspect-cold     the same over 65,536 distinct tokens, four times
//	                    what that cache holds, so nearly every request
//	                    verifies a signature (about 98 % misses with its
//	                    random eviction).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
)

var oidcScenarios = []string{"client-credentials", "introspect", "introspect-cold"}

// Goals of issue 5, on two cores over loopback.
const (
	ccGoal         = 5000  // tokens/s
	introspectGoal = 10000 // requests/s
)

// benchClient is a registered confidential client and its secret.
type benchClient struct{ id, secret string }

// registerClients registers n clients with `signet client add` on the
// database of the server in sdir, and returns them with their secrets.
func registerClients(ctx context.Context, bin, sdir string, n int) ([]benchClient, error) {
	out := make([]benchClient, n)
	return out, parallel(ctx, n, 2, func(i int) error {
		id := fmt.Sprintf("bench-%03d", i)
		cmd := exec.CommandContext(ctx, bin, "client", "add", id, "--grant-types", "client_credentials",
			"--scopes", "signet:revocations posts:read", "--db", "sqlite:"+filepath.Join(sdir, "signet.db"),
			"--master-key-file", filepath.Join(sdir, "master.key"))
		cmd.Env = signetEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("client add %s: %v: %s", id, err, stderr.String())
		}
		out[i] = benchClient{id: id, secret: strings.TrimSpace(stdout.String())}
		return nil
	})
}

var ccBody = []byte("grant_type=client_credentials&scope=signet%3Arevocations")

// ccWorker asks for client-credentials tokens over a pool of clients; safe
// for concurrent use.
type ccWorker struct {
	clients []benchClient
	i       atomic.Int64
}

func (w *ccWorker) next() request {
	c := w.clients[int((w.i.Add(1)-1)%int64(len(w.clients)))]
	return request{method: "POST", path: "/oauth2/token", body: ccBody, form: true, basic: [2]string{c.id, c.secret}}
}

func (w *ccWorker) done(body []byte) error {
	if !bytes.Contains(body, accessTokenKey) {
		return fmt.Errorf("client_credentials: no access token in %.300s", body)
	}
	return nil
}

// introspectWorker introspects a pool of distinct tokens, authenticated as
// the pool's clients in turn; safe for concurrent use.
type introspectWorker struct {
	clients []benchClient
	bodies  [][]byte // "token=..." for each token
	i       atomic.Int64
}

func (w *introspectWorker) next() request {
	i := w.i.Add(1) - 1
	c := w.clients[int(i%int64(len(w.clients)))]
	return request{method: "POST", path: "/oauth2/introspect", body: w.bodies[int(i%int64(len(w.bodies)))], form: true,
		basic: [2]string{c.id, c.secret}}
}

var activeKey = []byte(`"active":true`)

func (w *introspectWorker) done(body []byte) error {
	if !bytes.Contains(body, activeKey) {
		return fmt.Errorf("introspect: token not active: %.300s", body)
	}
	return nil
}

// mintTokens gets n client-credentials tokens, spread over the clients.
func mintTokens(ctx context.Context, sig *target, clients []benchClient, n int) ([][]byte, error) {
	out := make([][]byte, n)
	w := &ccWorker{clients: clients}
	return out, parallel(ctx, n, 4, func(i int) error {
		var buf bytes.Buffer
		status, err := sig.do(ctx, w.next(), &buf)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("client_credentials: status %d: %.300s", status, buf.Bytes())
		}
		var tok struct {
			Access string `json:"access_token"`
		}
		if err == nil {
			err = json.Unmarshal(buf.Bytes(), &tok)
		}
		out[i] = []byte("token=" + url.QueryEscape(tok.Access))
		return err
	})
}

// runOIDC measures the OpenID provider's scenarios on a server of their own.
func runOIDC(ctx context.Context, o *options, logw io.Writer, rep *report, tmp, bin string, base *target) error {
	fmt.Fprintln(logw, "load: oidc: starting signet")
	sp, err := startSignet(bin, tmp, "signet-oidc", "--access-ttl", "1h")
	if err != nil {
		return err
	}
	defer sp.stop()
	sig := newTarget("signet", sp, o.concurrency)
	n := max(2, min(32, o.users))
	clients, err := registerClients(ctx, bin, filepath.Join(tmp, "signet-oidc"), n)
	if err != nil {
		return err
	}
	rep.seedInfo = append(rep.seedInfo, fmt.Sprintf("oidc server: %d confidential clients registered with `signet client add`", n))
	if o.wants("client-credentials") {
		p, err := runPair(ctx, o, logw, "client-credentials", sig, base, repeat(&ccWorker{clients: clients}, o.concurrency), nil)
		if err != nil {
			return err
		}
		rep.pairs = append(rep.pairs, p)
		rep.extraGoals = append(rep.extraGoals, goalLine("client_credentials", ccGoal, p))
	}
	if o.wants("introspect") {
		bodies, err := mintTokens(ctx, sig, clients, 16*n)
		if err != nil {
			return err
		}
		p, err := runPair(ctx, o, logw, "introspect", sig, base, repeat(&introspectWorker{clients: clients, bodies: bodies}, o.concurrency), nil)
		if err != nil {
			return err
		}
		rep.pairs = append(rep.pairs, p)
		rep.extraGoals = append(rep.extraGoals, goalLine("introspection", introspectGoal, p))
	}
	if o.wants("introspect-cold") {
		n := 65536
		if o.quick {
			n = 512
		}
		fmt.Fprintf(logw, "load: introspect-cold: minting %d tokens\n", n)
		bodies, err := mintTokens(ctx, sig, clients, n)
		if err != nil {
			return err
		}
		p, err := runPair(ctx, o, logw, "introspect-cold", sig, base, repeat(&introspectWorker{clients: clients, bodies: bodies}, o.concurrency), nil)
		if err != nil {
			return err
		}
		rep.pairs = append(rep.pairs, p)
		rep.extraGoals = append(rep.extraGoals, goalLine("introspection of tokens not seen lately (no goal of its own; the cache's miss path)", introspectGoal, p))
	}
	return nil
}

func goalLine(name string, goal float64, p *pair) string {
	sr, br := medianOf(p.signet, sample.rps), medianOf(p.baseline, sample.rps)
	return fmt.Sprintf("%s ≥ %.0f/s: %s, %.0f/s at c=%d (%.3f× the same-run baseline's %.0f req/s)",
		name, goal, verdict(sr >= goal), sr, p.conc, sr/br, br)
}
