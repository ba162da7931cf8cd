package jose_test

import (
	"fmt"
	"testing"

	"github.com/signet-dev/signet/jose"
)

// BenchmarkVerify measures the core's verification over a pool of distinct
// access tokens. The cross-library comparison with the floor lives in the
// bench module; this one keeps the core's own numbers close at hand.
func BenchmarkVerify(b *testing.B) {
	for _, alg := range []jose.Algorithm{jose.HS256, jose.RS256, jose.PS256, jose.ES256, jose.EdDSA} {
		b.Run("alg="+string(alg), func(b *testing.B) {
			k := mustKey(b, alg, "k1")
			vk := k.Public()
			if vk == nil {
				vk = k
			}
			keys, _ := jose.NewKeySet(vk)
			v := accessVerifier(b, keys)
			pool := make([]string, 256)
			for i := range pool {
				c := goodClaims()
				c.Subject = fmt.Sprintf("user-%d", i)
				c.ID = fmt.Sprintf("jti-%d", i)
				pool[i] = signAccess(b, k, c)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := v.Verify(pool[i%len(pool)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
