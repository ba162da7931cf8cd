package bench

import (
	"errors"
	"sync"
	"testing"

	gojose "github.com/go-jose/go-jose/v4"
	gojosejwt "github.com/go-jose/go-jose/v4/jwt"
	gjwt "github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jws"
	jwxjwt "github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/signet-dev/signet/jose"
)

var errBadFloor = errors.New("floor primitive refuses a pool token")

// BenchmarkSign signs the pool's claims, each library from its own typed
// claims (converted once, outside the timer), into a compact access token
// with header alg, kid and typ "at+jwt". lib=floor is the signing primitive
// alone over the signing input of the same token, hashing included.
func BenchmarkSign(b *testing.B) {
	for _, alg := range benchAlgs {
		b.Run("alg="+string(alg), func(b *testing.B) {
			b.Run("lib=signet", func(b *testing.B) {
				f := getFixture(b, alg)
				signer, err := jose.NewSigner(f.signKey, jose.WithType(jose.TypeAccessToken))
				if err != nil {
					b.Fatal(err)
				}
				claims := f.claims
				benchSign(b, f, "signet", func(i int) (string, error) { return signer.Sign(&claims[i]) })
			})
			b.Run("lib=golang-jwt", func(b *testing.B) {
				f := getFixture(b, alg)
				claims := make([]gjwtClaims, poolSize)
				for i := range claims {
					claims[i] = toGJWT(&f.claims[i])
				}
				method := gjwt.GetSigningMethod(string(alg))
				key := f.signKeyAny()
				benchSign(b, f, "golang-jwt", func(i int) (string, error) {
					t := gjwt.NewWithClaims(method, &claims[i])
					t.Header["kid"] = f.kid
					t.Header["typ"] = jose.TypeAccessToken
					return t.SignedString(key)
				})
			})
			b.Run("lib=go-jose", func(b *testing.B) {
				f := getFixture(b, alg)
				claims := make([]gojoseClaims, poolSize)
				for i := range claims {
					claims[i] = toGoJose(&f.claims[i])
				}
				signer, err := gojose.NewSigner(gojose.SigningKey{Algorithm: gojose.SignatureAlgorithm(alg), Key: f.signKeyAny()},
					(&gojose.SignerOptions{}).WithType(jose.TypeAccessToken).WithHeader("kid", f.kid))
				if err != nil {
					b.Fatal(err)
				}
				benchSign(b, f, "go-jose", func(i int) (string, error) {
					return gojosejwt.Signed(signer).Claims(&claims[i]).Serialize()
				})
			})
			b.Run("lib=jwx", func(b *testing.B) {
				f := getFixture(b, alg)
				jwxSetup()
				claims := make([]jwxClaims, poolSize)
				for i := range claims {
					claims[i] = toJWX(&f.claims[i])
				}
				hdr := jws.NewHeaders()
				if err := hdr.Set(jws.KeyIDKey, f.kid); err != nil {
					b.Fatal(err)
				}
				if err := hdr.Set(jws.TypeKey, jose.TypeAccessToken); err != nil {
					b.Fatal(err)
				}
				opt := jwxjwt.WithKey(jwxAlg(alg), f.signKeyAny(), jws.WithProtectedHeaders(hdr))
				benchSign(b, f, "jwx", func(i int) (string, error) {
					t, err := buildJWX(&claims[i])
					if err != nil {
						return "", err
					}
					s, err := jwxjwt.Sign(t, opt)
					return string(s), err
				})
			})
			b.Run("lib=floor", func(b *testing.B) {
				f := getFixture(b, alg)
				sign := floorSigner(f)
				pool := f.floor
				if _, err := sign(pool[0].signingInput); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					sig, err := sign(pool[i&poolMask].signingInput)
					if err != nil {
						b.Fatal(err)
					}
					sink += len(sig)
				}
			})
		})
	}
}

// buildJWX turns the typed claims into a jwx token: with jwx that is part of
// signing typed claims.
func buildJWX(c *jwxClaims) (jwxjwt.Token, error) {
	return jwxjwt.NewBuilder().
		Issuer(c.Issuer).Subject(c.Subject).Audience(c.Audience).
		Expiration(c.Expiry).NotBefore(c.NotBefore).IssuedAt(c.IssuedAt).JwtID(c.ID).
		Claim("client_id", c.ClientID).Claim("scope", c.Scope).Claim("sid", c.SessionID).
		Claim("roles", c.Roles).Claim("email", c.Email).
		Build()
}

var (
	signCheckedMu sync.Mutex
	signChecked   = map[string]bool{}
)

// benchSign times sign over the pool after checking, once per process, that
// what the library makes is an access token signet accepts with the pool's
// claims (so every library does the same work).
func benchSign(b *testing.B, f *fixture, lib string, sign func(i int) (string, error)) {
	b.Helper()
	checkSignOnce(b, f, lib, sign)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tok, err := sign(i & poolMask)
		if err != nil {
			b.Fatal(err)
		}
		sink += len(tok)
	}
}

func checkSignOnce(b *testing.B, f *fixture, lib string, sign func(i int) (string, error)) {
	key := string(f.alg) + "/" + lib
	signCheckedMu.Lock()
	defer signCheckedMu.Unlock()
	if signChecked[key] {
		return
	}
	v, err := jose.NewVerifier(f.keys, jose.WithIssuer(benchIssuer), jose.WithAudience(benchAudience),
		jose.WithTokenType(jose.TypeAccessToken))
	if err != nil {
		b.Fatal(err)
	}
	for _, i := range []int{0, 1, poolSize - 1} {
		tok, err := sign(i)
		if err != nil {
			b.Fatalf("%s cannot sign: %v", lib, err)
		}
		u, err := jose.UnsafeParseWithoutVerification(tok)
		if err != nil {
			b.Fatalf("%s token: %v", lib, err)
		}
		if u.Header.KeyID != f.kid || u.Header.Type != jose.TypeAccessToken {
			b.Fatalf("%s header is %+v, want kid %q and typ at+jwt", lib, u.Header, f.kid)
		}
		c, err := v.Verify(tok)
		if err != nil {
			b.Fatalf("signet refuses %s's token: %v", lib, err)
		}
		w := &f.claims[i]
		if c.Subject != w.Subject || c.ID != w.ID || c.Email != w.Email || c.Scope != w.Scope ||
			c.ExpiresAt != w.ExpiresAt || len(c.Roles) != len(w.Roles) || c.SessionID != w.SessionID {
			b.Fatalf("%s signed other claims: %+v", lib, c)
		}
	}
	signChecked[key] = true
}
