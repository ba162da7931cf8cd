package keys

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var secretPlaintext = []byte("-----BEGIN PRIVATE KEY----- not really a key")

func newRing(t *testing.T, current MasterKey, older ...MasterKey) *Keyring {
	t.Helper()
	r, err := NewKeyring(current, older...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func genKey(t *testing.T) MasterKey {
	t.Helper()
	k, _, err := GenerateMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := genKey(t)
	r := newRing(t, k)
	id, ct, err := r.Seal("kid-1", secretPlaintext)
	if err != nil || id != k.ID || id != r.CurrentID() {
		t.Fatalf("Seal = %q, %v; want id %q", id, err, k.ID)
	}
	if len(ct) != 12+len(secretPlaintext)+16 {
		t.Errorf("ciphertext is %d bytes, want nonce + plaintext + tag", len(ct))
	}
	if bytes.Contains(ct, secretPlaintext[:16]) {
		t.Error("ciphertext contains the plaintext")
	}
	got, err := r.Open(id, "kid-1", ct)
	if err != nil || !bytes.Equal(got, secretPlaintext) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	_, ct2, _ := r.Seal("kid-1", secretPlaintext)
	if bytes.Equal(ct[:12], ct2[:12]) {
		t.Error("two seals used the same nonce")
	}
}

func TestOpenFailures(t *testing.T) {
	k := genKey(t)
	r := newRing(t, k)
	id, ct, _ := r.Seal("kid-1", secretPlaintext)
	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[i] ^= 0x01
		return c
	}
	for _, tc := range []struct {
		name, id, kid string
		ct            []byte
		want          error
	}{
		{"other kid", id, "kid-2", ct, ErrDecrypt},
		{"kid prefix", id, "kid-", ct, ErrDecrypt},
		{"kid extended", id, "kid-1\x00", ct, ErrDecrypt},
		{"nonce tampered", id, "kid-1", flip(0), ErrDecrypt},
		{"body tampered", id, "kid-1", flip(20), ErrDecrypt},
		{"tag tampered", id, "kid-1", flip(len(ct) - 1), ErrDecrypt},
		{"truncated", id, "kid-1", ct[:len(ct)-1], ErrDecrypt},
		{"nonce only", id, "kid-1", ct[:12], ErrDecrypt},
		{"empty", id, "kid-1", nil, ErrDecrypt},
		{"unknown master key", "0000000000000000", "kid-1", ct, ErrUnknownMasterKey},
		{"empty kid", id, "", ct, ErrInvalidKID},
		{"long kid", id, strings.Repeat("k", MaxKIDLen+1), ct, ErrInvalidKID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Open(tc.id, tc.kid, tc.ct)
			if !errors.Is(err, tc.want) || got != nil {
				t.Fatalf("Open = %q, %v; want nil, %v", got, err, tc.want)
			}
			assertNoSecret(t, err.Error(), k.key[:])
			if strings.Contains(err.Error(), string(secretPlaintext[:16])) {
				t.Errorf("error %q contains plaintext", err)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKey := genKey(t), genKey(t)
	oldID, oldCT, _ := newRing(t, oldKey).Seal("kid-1", secretPlaintext)

	r := newRing(t, newKey, oldKey)
	if got, err := r.Open(oldID, "kid-1", oldCT); err != nil || !bytes.Equal(got, secretPlaintext) {
		t.Fatalf("Open with the older key = %q, %v", got, err)
	}
	newID, newCT, _ := r.Seal("kid-1", secretPlaintext)
	if newID != newKey.ID || r.CurrentID() != newKey.ID {
		t.Errorf("Seal used %s, want the current key %s", newID, newKey.ID)
	}
	if _, err := r.Open(newID, "kid-1", oldCT); !errors.Is(err, ErrDecrypt) {
		t.Errorf("old ciphertext under the new id: %v, want ErrDecrypt", err)
	}
	onlyNew := newRing(t, newKey)
	if _, err := onlyNew.Open(oldID, "kid-1", oldCT); !errors.Is(err, ErrUnknownMasterKey) {
		t.Errorf("retired key: %v, want ErrUnknownMasterKey", err)
	}
	if _, err := onlyNew.Open(newID, "kid-1", newCT); err != nil {
		t.Errorf("re-sealed key: %v", err)
	}
}

func TestSealInvalidKID(t *testing.T) {
	r := newRing(t, genKey(t))
	for _, kid := range []string{"", strings.Repeat("k", MaxKIDLen+1)} {
		if _, _, err := r.Seal(kid, secretPlaintext); !errors.Is(err, ErrInvalidKID) {
			t.Errorf("Seal(kid of %d bytes) = %v, want ErrInvalidKID", len(kid), err)
		}
	}
}

func TestNewKeyringRefuses(t *testing.T) {
	k := genKey(t)
	for name, older := range map[string][]MasterKey{
		"zero older key": {{}},
		"duplicate":      {k},
	} {
		if _, err := NewKeyring(k, older...); !errors.Is(err, ErrInvalidMasterKey) {
			t.Errorf("%s: %v, want ErrInvalidMasterKey", name, err)
		}
	}
	if _, err := NewKeyring(MasterKey{}); !errors.Is(err, ErrInvalidMasterKey) {
		t.Errorf("zero current key: %v, want ErrInvalidMasterKey", err)
	}
}
