package jose_test

import (
	"testing"

	"github.com/signet-dev/signet/jose"
)

// TestVerifyAllocations pins the allocations of a verification outside the
// signature primitive: the payload buffer (the claims alias it) and, for
// Verify, the returned Claims. One audience and a few roles fit the claims'
// inline storage. The primitive's own allocations (crypto/ecdsa, crypto/rsa)
// are not counted here: HS256 and EdDSA have none.
func TestVerifyAllocations(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts are meaningless under coverage or the race detector (sync.Pool drops items at random)")
	}
	for _, alg := range []jose.Algorithm{jose.HS256, jose.EdDSA} {
		k := mustKey(t, alg, "k")
		vk := k.Public()
		if vk == nil {
			vk = k
		}
		keys, _ := jose.NewKeySet(vk)
		v := accessVerifier(t, keys)
		tok := signAccess(t, k, goodClaims())
		var c jose.Claims
		into := testing.AllocsPerRun(200, func() {
			if err := v.VerifyInto(tok, &c); err != nil {
				t.Fatal(err)
			}
		})
		full := testing.AllocsPerRun(200, func() {
			if _, err := v.Verify(tok); err != nil {
				t.Fatal(err)
			}
		})
		if into > 1 || full > 2 {
			t.Errorf("%s: VerifyInto allocates %.1f (want ≤ 1), Verify %.1f (want ≤ 2)", alg, into, full)
		}
	}
}
