package keys_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/signet-dev/signet/keys"
)

func TestDeriveKey(t *testing.T) {
	old, _, _ := keys.GenerateMasterKey()
	cur, _, _ := keys.GenerateMasterKey()
	ring, err := keys.NewKeyring(cur, old)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ring.DeriveKey(cur.ID, "purpose a")
	if err != nil || len(a) != 32 {
		t.Fatalf("DeriveKey: %d bytes, %v", len(a), err)
	}
	again, _ := ring.DeriveKey(cur.ID, "purpose a")
	b, _ := ring.DeriveKey(cur.ID, "purpose b")
	o, _ := ring.DeriveKey(old.ID, "purpose a")
	if !bytes.Equal(a, again) || bytes.Equal(a, b) || bytes.Equal(a, o) {
		t.Fatal("derived keys must be stable per master key and purpose, and differ otherwise")
	}
	other, _ := keys.NewKeyring(cur)
	if o2, _ := other.DeriveKey(cur.ID, "purpose a"); !bytes.Equal(a, o2) {
		t.Fatal("two instances with the same master key disagree")
	}
	if _, err := ring.DeriveKey("nope", "purpose a"); !errors.Is(err, keys.ErrUnknownMasterKey) {
		t.Fatalf("unknown master key: %v", err)
	}
}
