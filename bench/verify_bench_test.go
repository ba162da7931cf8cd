package bench

import (
	"sync"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// BenchmarkVerify verifies access tokens into a typed claims struct, with
// issuer, audience, expiry (required), not-before, issued-at and typ
// checked, for each library and algorithm, over the same pool of poolSize
// distinct tokens signed by signet. lib=floor is the signature primitive
// alone (see floorVerifier); for ES256 lib=floor-bigint is the same check
// through ecdsa.Verify with r and s as big.Ints, and the faster of the two
// is the floor.
//
// lib=signet calls Verify, which returns the claims (one allocation holds
// them and the payload their strings alias); lib=signet-into calls
// VerifyInto with a new jose.Claims variable each time, the path of a caller
// whose own struct embeds Claims, which costs that variable's allocation
// more.
//
// How each library finds the key:
//   - signet: by kid, in a jose.KeySet; the algorithm is bound to the key.
//   - golang-jwt: by kid, in a map, from the Keyfunc (its API for key
//     selection); WithValidMethods allows only the key's algorithm.
//   - go-jose: by kid, passing a JSONWebKeySet to JSONWebToken.Claims;
//     ParseSigned allows only the key's algorithm.
//   - jwx: by kid, set.LookupKeyID in a jws.KeyProvider, which hands the
//     key to jwx with its algorithm.
//
// None of the peers checks "typ"; golang-jwt does it in its Keyfunc, go-jose
// on the parsed headers, jwx in the key provider, all with signet's rule.
func BenchmarkVerify(b *testing.B) {
	for _, alg := range benchAlgs {
		b.Run("alg="+string(alg), func(b *testing.B) {
			b.Run("lib=signet", func(b *testing.B) {
				f := getFixture(b, alg)
				benchVerifyStrings(b, f, "signet", signetVerifier(b, f))
			})
			b.Run("lib=signet-into", func(b *testing.B) {
				f := getFixture(b, alg)
				benchVerifyStrings(b, f, "signet-into", signetIntoVerifier(b, f))
			})
			b.Run("lib=golang-jwt", func(b *testing.B) {
				f := getFixture(b, alg)
				benchVerifyStrings(b, f, "golang-jwt", gjwtVerifier(f))
			})
			b.Run("lib=go-jose", func(b *testing.B) {
				f := getFixture(b, alg)
				benchVerifyStrings(b, f, "go-jose", gojoseVerifier(f))
			})
			b.Run("lib=jwx", func(b *testing.B) {
				f := getFixture(b, alg)
				verify := jwxVerifier(b, f)
				pool := make([][]byte, poolSize)
				for i, t := range f.tokens {
					pool[i] = []byte(t)
				}
				checkPoolOnce(b, f, "jwx", func(i int) error { return verify(pool[i]) })
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := verify(pool[i&poolMask]); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("lib=floor", func(b *testing.B) {
				benchVerifyFloor(b, getFixture(b, alg), false)
			})
			if alg == jose.ES256 {
				b.Run("lib=floor-bigint", func(b *testing.B) {
					benchVerifyFloor(b, getFixture(b, alg), true)
				})
			}
		})
	}
}

func benchVerifyStrings(b *testing.B, f *fixture, lib string, verify func(string) error) {
	checkPoolOnce(b, f, lib, func(i int) error { return verify(f.tokens[i]) })
	pool := f.tokens
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := verify(pool[i&poolMask]); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerifyFloor(b *testing.B, f *fixture, bigint bool) {
	verify := floorVerifier(f, bigint)
	lib := "floor"
	if bigint {
		lib = "floor-bigint"
	}
	checkPoolOnce(b, f, lib, func(i int) error {
		if !verify(&f.floor[i]) {
			return errBadFloor
		}
		return nil
	})
	pool := f.floor
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !verify(&pool[i&poolMask]) {
			b.Fatal(errBadFloor)
		}
	}
}

var (
	checkedMu sync.Mutex
	checked   = map[string]bool{}
)

// checkPoolOnce verifies the whole pool with one library before its first
// timed run, so no library is ever measured on an error path. It runs once
// per algorithm and library in a process, not once per b.N round.
func checkPoolOnce(b *testing.B, f *fixture, lib string, verify func(i int) error) {
	b.Helper()
	key := string(f.alg) + "/" + lib
	checkedMu.Lock()
	defer checkedMu.Unlock()
	if checked[key] {
		return
	}
	for i := range poolSize {
		if err := verify(i); err != nil {
			b.Fatalf("%s refuses pool token %d before timing: %v", lib, i, err)
		}
	}
	checked[key] = true
}
