package oauth2_test

import (
	"fmt"
	"testing"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/oauth2"
)

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

// BenchmarkClientCredentials is the token endpoint's client_credentials
// grant without HTTP, over a pool of 32 clients: client lookup, secret
// check, signing. The floor, BenchmarkSignAccessToken, signs alone.
func BenchmarkClientCredentials(b *testing.B) {
	e := newEnv(b)
	clients := benchClients(b, e, 32)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, err := e.p.Token(b.Context(), oauth2.TokenRequest{Client: clients[i%len(clients)], GrantType: "client_credentials"})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkIntrospect introspects a pool of 512 distinct access tokens.
func BenchmarkIntrospect(b *testing.B) {
	e := newEnv(b)
	clients := benchClients(b, e, 32)
	toks := make([]string, 512)
	for i := range toks {
		tr, err := e.p.Token(b.Context(), oauth2.TokenRequest{Client: clients[i%len(clients)], GrantType: "client_credentials"})
		must(b, err)
		toks[i] = tr.AccessToken
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in, err := e.p.Introspect(b.Context(), clients[i%len(clients)], toks[i%len(toks)])
		if err != nil || !in.Active {
			b.Fatal(err)
		}
		i++
	}
}
