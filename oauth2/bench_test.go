package oauth2_test

import (
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/oauth2"
	"github.com/signet-dev/signet/token"
)

// coldPool is the size of the pool that stays cold: 65,536 tokens, several
// times what the verified-token cache holds (16 MiB, about 11,000 tokens). A smaller one (with as small a
// -benchtime) serves instruction counting under valgrind, where minting is
// slow.
var coldPool = flag.Int("coldpool", 65536, "tokens in BenchmarkIntrospect's cold pool")

// benchClients registers n confidential clients for client credentials.
func benchClients(b *testing.B, e *env, n int) []oauth2.ClientAuth {
	out := make([]oauth2.ClientAuth, n)
	for i := range out {
		id := fmt.Sprintf("svc-%03d", i)
		_, secret, err := e.p.AddClient(b.Context(), oauth2.NewClient{ID: id, GrantTypes: []string{signet.GrantClientCredentials},
			Scopes: []string{"signet:revocations"}})
		must(b, err)
		out[i] = oauth2.ClientAuth{Method: oauth2.AuthBasic, ID: id, Secret: secret}
	}
	return out
}

// BenchmarkTokenEndpoint is the client_credentials grant without HTTP over
// a pool of 32 clients (client lookup, secret check, signing), beside its
// floor: signing the same access token alone.
func BenchmarkTokenEndpoint(b *testing.B) {
	e := newEnv(b)
	clients := benchClients(b, e, 32)
	b.Run("op=client_credentials", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, err := e.p.Token(b.Context(), oauth2.TokenRequest{Client: clients[i%len(clients)], GrantType: "client_credentials"})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("op=floor-sign", func(b *testing.B) {
		signer, err := e.keys.AccessSigner()
		must(b, err)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			id := clients[i%len(clients)].ID
			_, _, err := token.NewAccessToken(signer, token.Access{Issuer: issuer, Subject: id, Audience: []string{issuer},
				ClientID: id, Scope: "signet:revocations", IssuedAt: e.clock.Now(), TTL: 15 * time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkIntrospect introspects access tokens: a pool of 65,536 (several
// times the verified-token cache: nearly every call verifies), a pool of 512
// (the cache hits, as for a resource server asking about each request it
// serves), and the floor, verifying the large pool's tokens alone.
func BenchmarkIntrospect(b *testing.B) {
	e := newEnv(b)
	clients := benchClients(b, e, 32)
	toks := make([]string, *coldPool)
	for i := range toks {
		tr, err := e.p.Token(b.Context(), oauth2.TokenRequest{Client: clients[i%len(clients)], GrantType: "client_credentials"})
		must(b, err)
		toks[i] = tr.AccessToken
	}
	// Each sub-benchmark gets a provider of its own, so its cache starts
	// empty, and walks its pool once: the large pool stays cold.
	run := func(pool []string) func(b *testing.B) {
		return func(b *testing.B) {
			p, err := oauth2.New(e.store, e.svc, e.keys, e.ring, oauth2.Config{})
			must(b, err)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if len(pool) > 4096 && i >= len(pool) {
					b.Fatal("the cold pool is used up: run with -benchtime 1s or less")
				}
				in, err := p.Introspect(b.Context(), clients[i%len(clients)], pool[i%len(pool)])
				if err != nil || !in.Active {
					b.Fatal(err)
				}
				i++
			}
		}
	}
	b.Run(fmt.Sprintf("pool=%d", len(toks)), run(toks))
	b.Run("pool=512", run(toks[:512]))
	b.Run(fmt.Sprintf("pool=%d/op=floor-verify", len(toks)), func(b *testing.B) {
		v, err := jose.NewVerifier(e.keys.AccessKeys(), jose.WithIssuer(issuer), jose.UnsafeSkipAudienceCheck(),
			jose.WithTokenType(jose.TypeAccessToken), jose.WithClock(e.clock.Now))
		must(b, err)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := v.Verify(toks[i%len(toks)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
