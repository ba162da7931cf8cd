package postgres

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

// TestKeyRotationOnce: every instance decides at once that the current key
// is due for rotation, as their key managers would at start-up; the table
// lock makes them decide one after the other, so exactly one rotates and
// the others see its result and do nothing.
func TestKeyRotationOnce(t *testing.T) {
	t.Parallel()
	stores := instances(t, 3)
	now := epochForTest
	key := func(state signet.KeyState) signet.SigningKey {
		kid := signet.NewID()
		return signet.SigningKey{KID: kid, Algorithm: "ES256", State: state,
			PublicJWK: []byte(fmt.Sprintf(`{"kid":%q}`, kid)), EncryptedPrivate: []byte("x"),
			MasterKeyID: "mk", CreatedAt: now.Add(-60 * 24 * time.Hour), ActivatedAt: now.Add(-60 * 24 * time.Hour)}
	}
	for _, k := range []signet.SigningKey{key(signet.KeyCurrent), key(signet.KeyNext)} {
		if err := stores[0].CreateKey(t.Context(), k); err != nil {
			t.Fatal(err)
		}
	}
	rotateIfDue := func(keys []signet.SigningKey) (signet.KeyChange, error) {
		var ch signet.KeyChange
		for _, k := range keys {
			if k.State == signet.KeyCurrent && k.ActivatedAt.Before(now.Add(-30*24*time.Hour)) {
				for _, o := range keys {
					switch o.State {
					case signet.KeyCurrent:
						o.State, o.RetiredAt, o.DeleteAfter = signet.KeyRetired, now, now.Add(24*time.Hour)
						ch.Put = append(ch.Put, o)
					case signet.KeyNext:
						o.State, o.ActivatedAt = signet.KeyCurrent, now
						ch.Put = append(ch.Put, o)
					}
				}
				n := key(signet.KeyNext)
				n.CreatedAt, n.ActivatedAt = now, time.Time{}
				ch.Put = append(ch.Put, n)
			}
		}
		return ch, nil
	}
	var wg sync.WaitGroup
	for _, s := range stores {
		for range 4 {
			wg.Go(func() {
				if _, err := s.UpdateKeys(t.Context(), rotateIfDue); err != nil {
					t.Errorf("UpdateKeys: %v", err)
				}
			})
		}
	}
	wg.Wait()
	keys, err := stores[1].ListKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	count := map[signet.KeyState]int{}
	for _, k := range keys {
		count[k.State]++
	}
	if len(keys) != 3 || count[signet.KeyRetired] != 1 || count[signet.KeyCurrent] != 1 || count[signet.KeyNext] != 1 {
		t.Fatalf("keys after concurrent rotations: %v; want exactly one rotation", count)
	}
}

// TestThrottleAcrossInstances: failed logins counted through every
// instance all count, so more instances do not multiply an attacker's
// budget.
func TestThrottleAcrossInstances(t *testing.T) {
	t.Parallel()
	stores := instances(t, 3)
	key := signet.ThrottleKey{Scope: signet.ThrottleAccount, Key: "victim@example.com"}
	const perStore = 10
	var wg sync.WaitGroup
	for _, s := range stores {
		for range perStore {
			wg.Go(func() {
				_, err := s.UpdateThrottle(t.Context(), key, func(th signet.Throttle) (signet.Throttle, error) {
					th.Failures++
					th.UpdatedAt = epochForTest
					return th, nil
				})
				if err != nil {
					t.Errorf("UpdateThrottle: %v", err)
				}
			})
		}
	}
	wg.Wait()
	th, err := stores[2].Throttle(t.Context(), key)
	if err != nil || th.Failures != len(stores)*perStore {
		t.Fatalf("Failures = %d (%v), want %d", th.Failures, err, len(stores)*perStore)
	}
}
