package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
)

// exampleIssuer stands in for signet: discovery, JWKS and a revocation feed
// with one entry, on a loopback test server, plus a signer of its tokens.
type exampleIssuer struct {
	*httptest.Server
	signer *jose.Signer
}

func newExampleIssuer() *exampleIssuer {
	key, _ := jose.GenerateKey(jose.ES256, "k1")
	signer, _ := jose.NewSigner(key, jose.WithType(jose.TypeAccessToken))
	jwks, _ := json.Marshal(must(jose.NewKeySet(key.Public())))
	iss := &exampleIssuer{signer: signer}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(verify.Discovery{Issuer: iss.URL, JWKSURI: iss.URL + "/.well-known/jwks.json",
			RevocationsEndpoint: iss.URL + "/v1/revocations", RevocationsStream: iss.URL + "/v1/revocations/stream"})
	})
	mux.HandleFunc("/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(jwks)
	})
	entry := fmt.Sprintf(`{"cursor":"1","kind":"sid","value":"s-revoked","expires_at":%d}`, time.Now().Add(time.Hour).Unix())
	mux.HandleFunc("/v1/revocations", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"entries":[%s],"cursor":"1"}`, entry)
	})
	mux.HandleFunc("/v1/revocations/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	iss.Server = httptest.NewServer(mux)
	return iss
}

// token signs an access token for the API of these examples.
func (iss *exampleIssuer) token(sub, sid, scope string, roles ...string) string {
	now := time.Now()
	tok, _ := iss.signer.Sign(&jose.Claims{Issuer: iss.URL, Subject: sub, Audience: jose.Audience{"https://api.example"},
		IssuedAt: jose.NewNumericDate(now), ExpiresAt: jose.NewNumericDate(now.Add(15 * time.Minute)),
		SessionID: sid, Scope: scope, Roles: roles})
	return tok
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// call sends a request with a bearer token to h and prints the answer.
func call(h http.Handler, method, path, token string) {
	r := httptest.NewRequest(method, path, nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(strings.TrimSpace(fmt.Sprint(w.Code, " ", strings.TrimSpace(w.Body.String()), " ", w.Header().Get("WWW-Authenticate"))))
}

// Protect an API: the verifier finds the issuer's keys through its
// discovery document, the middleware checks every request's bearer token,
// and guards require scopes and roles per route.
func Example() {
	iss := newExampleIssuer()
	defer iss.Close()

	v, err := verify.New(context.Background(), iss.URL, verify.WithAudience("https://api.example"))
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := verify.ClaimsFrom(r.Context())
		fmt.Fprintln(w, "hello", claims.Subject)
	})
	mux := http.NewServeMux()
	mux.Handle("GET /posts", verify.RequireScope("posts:read")(hello))
	mux.Handle("DELETE /posts/{id}", verify.RequireRole("admin")(hello))
	api := v.Middleware(mux)

	call(api, "GET", "/posts", iss.token("alice", "s1", "posts:read"))
	call(api, "GET", "/posts", "")
	call(api, "DELETE", "/posts/7", iss.token("alice", "s1", "posts:read"))
	// Output:
	// 200 hello alice
	// 401 {"error_description":"this request needs a bearer token"} Bearer
	// 403 {"error":"insufficient_scope","error_description":"this request needs role admin"} Bearer error="insufficient_scope", error_description="this request needs role admin"
}

// New with keys of the caller's: no discovery, no fetch.
func ExampleNew() {
	key, _ := jose.GenerateKey(jose.EdDSA, "k1")
	signer, _ := jose.NewSigner(key, jose.WithType(jose.TypeAccessToken))
	keys, _ := jose.NewKeySet(key.Public())
	v, err := verify.New(context.Background(), "https://id.example",
		verify.WithAudience("https://api.example"), verify.WithKeys(keys), verify.WithLeeway(10*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()
	tok, _ := signer.Sign(&jose.Claims{Issuer: "https://id.example", Subject: "u_42", Audience: jose.Audience{"https://api.example"},
		ExpiresAt: jose.NewNumericDate(time.Now().Add(time.Minute))})
	claims, err := v.Verify(tok)
	fmt.Println(claims.Subject, err)
	// Output: u_42 <nil>
}

// Tell failures apart with errors.Is: the jose sentinels for bad tokens,
// this package's for revocation and availability.
func ExampleVerifier_Verify() {
	iss := newExampleIssuer()
	defer iss.Close()
	v, _ := verify.New(context.Background(), iss.URL, verify.WithAudience("https://api.example"),
		verify.WithJWKSURL(iss.URL+"/.well-known/jwks.json"))
	defer v.Close()
	v.Revocations().Add(verify.Entry{Kind: verify.KindSID, Value: "s-gone", ExpiresAt: time.Now().Add(time.Hour).Unix()})

	for _, tok := range []string{iss.token("bob", "s2", "posts:read"), iss.token("bob", "s-gone", "posts:read"), "not.a.token"} {
		_, err := v.Verify(tok)
		switch {
		case err == nil:
			fmt.Println("accepted")
		case errors.Is(err, verify.ErrRevoked):
			fmt.Println("revoked")
		case errors.Is(err, jose.ErrMalformed):
			fmt.Println("malformed")
		}
	}
	// Output:
	// accepted
	// revoked
	// malformed
}

// Follow the issuer's revocation feed: tokens of a revoked session are
// refused, and the verifier reports the feed's state.
func ExampleWithRevocationFeed() {
	iss := newExampleIssuer()
	defer iss.Close()
	// In production: verify.StaticToken of `signet token mint --scope
	// signet:revocations`, or a TokenSource doing client_credentials.
	v, _ := verify.New(context.Background(), iss.URL, verify.WithAudience("https://api.example"),
		verify.WithRevocationFeed(verify.StaticToken("service-token")))
	defer v.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := v.Ready(ctx); err != nil {
		log.Fatal(err)
	}
	_, err := v.Verify(iss.token("carol", "s-revoked", "posts:read"))
	st := v.Follower().Status()
	fmt.Println(errors.Is(err, verify.ErrRevoked), st.Synced, st.Cursor, st.Entries)
	// Output: true true 1 1
}

// Run a Follower of your own, to share one revocation set among verifiers.
func ExampleNewFollower() {
	iss := newExampleIssuer()
	defer iss.Close()
	var set verify.RevocationSet
	f, err := verify.NewFollower(iss.URL+"/v1/revocations", iss.URL+"/v1/revocations/stream",
		verify.StaticToken("service-token"), &set)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.Run(ctx)
	f.WaitSynced(ctx)
	fmt.Println(set.Revoked(&jose.Claims{SessionID: "s-revoked"}), set.Cursor())
	// Then: verify.New(ctx, issuer, verify.WithRevocations(&set), …) for each verifier.
	// Output: true 1
}

// A RemoteKeySet is a jose.KeyRefresher: a jose.Verifier over it picks up
// rotated keys by itself.
func ExampleNewRemoteKeySet() {
	iss := newExampleIssuer()
	defer iss.Close()
	keys, err := verify.NewRemoteKeySet(iss.URL + "/.well-known/jwks.json")
	if err != nil {
		log.Fatal(err)
	}
	defer keys.Close()
	jv, _ := jose.NewVerifier(keys, jose.WithIssuer(iss.URL), jose.WithAudience("https://api.example"),
		jose.WithTokenType(jose.TypeAccessToken))
	claims, err := jv.Verify(iss.token("dave", "s4", ""))
	fmt.Println(claims.Subject, err, keys.Status().Keys)
	// Output: dave <nil> 1
}

// Plain http is refused except on loopback addresses.
func ExampleNewRemoteKeySet_insecure() {
	_, err := verify.NewRemoteKeySet("http://id.example/.well-known/jwks.json")
	fmt.Println(errors.Is(err, verify.ErrInsecureURL))
	// Output: true
}

func ExampleDiscover() {
	iss := newExampleIssuer()
	defer iss.Close()
	d, err := verify.Discover(context.Background(), iss.URL)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.TrimPrefix(d.JWKSURI, iss.URL), strings.TrimPrefix(d.RevocationsStream, iss.URL))
	// Output: /.well-known/jwks.json /v1/revocations/stream
}

func ExampleDiscoveryURL() {
	fmt.Println(verify.DiscoveryURL("https://id.example/"))
	// Output: https://id.example/.well-known/openid-configuration
}

// Middleware answers refused requests per RFC 6750.
func ExampleVerifier_Middleware() {
	keys, _ := jose.NewKeySet()
	v, _ := verify.New(context.Background(), "https://id.example", verify.WithAudience("https://api.example"),
		verify.WithKeys(keys), verify.WithRealm("example"))
	defer v.Close()
	call(v.Middleware(http.NotFoundHandler()), "GET", "/", "abc.def.ghi")
	// Output: 401 {"error":"invalid_token","error_description":"the access token is invalid"} Bearer realm="example", error="invalid_token", error_description="the access token is invalid"
}

func ExampleRequireScope() {
	iss := newExampleIssuer()
	defer iss.Close()
	v, _ := verify.New(context.Background(), iss.URL, verify.WithAudience("https://api.example"))
	defer v.Close()
	write := verify.RequireScope("posts:write")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintln(w, "created")
	}))
	call(v.Middleware(write), "POST", "/posts", iss.token("erin", "s5", "posts:read"))
	call(v.Middleware(write), "POST", "/posts", iss.token("erin", "s5", "posts:read posts:write"))
	// Output:
	// 403 {"error":"insufficient_scope","error_description":"the access token lacks a scope this request needs"} Bearer error="insufficient_scope", error_description="the access token lacks a scope this request needs", scope="posts:write"
	// 201 created
}

func ExampleRequireRole() {
	iss := newExampleIssuer()
	defer iss.Close()
	v, _ := verify.New(context.Background(), iss.URL, verify.WithAudience("https://api.example"))
	defer v.Close()
	del := verify.RequireRole("admin")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	call(v.Middleware(del), "DELETE", "/posts/1", iss.token("frank", "s6", "", "user", "admin"))
	// Output: 204
}

func ExampleClaimsFrom() {
	iss := newExampleIssuer()
	defer iss.Close()
	v, _ := verify.New(context.Background(), iss.URL, verify.WithAudience("https://api.example"))
	defer v.Close()
	me := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := verify.ClaimsFrom(r.Context())
		fmt.Fprintln(w, ok, c.Subject, c.HasScope("posts:read"), c.HasRole("editor"))
	})
	call(v.Middleware(me), "GET", "/me", iss.token("grace", "s7", "posts:read", "editor"))
	// Output: 200 true grace true true
}

func ExampleBearerToken() {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln")
	tok, err := verify.BearerToken(r)
	fmt.Println(tok, err)
	r.Header.Set("Authorization", "Bearer two tokens")
	_, err = verify.BearerToken(r)
	fmt.Println(errors.Is(err, verify.ErrMalformedRequest))
	// Output:
	// eyJhbGciOiJFUzI1NiJ9.e30.c2ln <nil>
	// true
}

// A custom error handler can log, count, or write problem+json, and fall
// back on WriteError.
func ExampleWriteError() {
	keys, _ := jose.NewKeySet()
	v, _ := verify.New(context.Background(), "https://id.example", verify.WithAudience("https://api.example"),
		verify.WithKeys(keys), verify.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			fmt.Println("refused:", errors.Is(err, verify.ErrNoToken))
			verify.WriteError(w, r, err)
		}))
	defer v.Close()
	call(v.Middleware(http.NotFoundHandler()), "GET", "/", "")
	// Output:
	// refused: true
	// 401 {"error_description":"this request needs a bearer token"} Bearer
}

func ExampleRevocationSet() {
	var set verify.RevocationSet
	set.Add(verify.Entry{Cursor: "41", Kind: verify.KindSub, Value: "u_42", Before: 1000, ExpiresAt: 5000})
	fmt.Println(set.Revoked(&jose.Claims{Subject: "u_42", IssuedAt: 999}), set.Revoked(&jose.Claims{Subject: "u_42", IssuedAt: 1000}))
	// Output: true false
}

func ExampleStaticToken() {
	ts := verify.StaticToken("minted-token")
	tok, _ := ts(context.Background())
	fmt.Println(tok)
	// Output: minted-token
}
