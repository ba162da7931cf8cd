package keys

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// assertNoSecret fails if s shows the key in any usual encoding.
func assertNoSecret(t *testing.T, s string, raw []byte) {
	t.Helper()
	for _, enc := range []string{
		base64.StdEncoding.EncodeToString(raw),
		base64.RawStdEncoding.EncodeToString(raw),
		base64.RawURLEncoding.EncodeToString(raw),
		hex.EncodeToString(raw),
		fmt.Sprint(raw),
		strings.Trim(fmt.Sprint(raw), "[]"),
	} {
		if strings.Contains(s, enc) {
			t.Errorf("%q shows key material", s)
		}
	}
}

func TestMasterKeyRoundTrip(t *testing.T) {
	k, enc, err := GenerateMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != 44 {
		t.Errorf("encoded key is %d characters, want 44", len(enc))
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(k.ID) {
		t.Errorf("ID = %q, want 16 hex digits", k.ID)
	}
	for _, in := range []string{enc, " " + enc + "\n", enc + "\r\n"} {
		got, err := ParseMasterKey(in)
		if err != nil || got != k {
			t.Errorf("ParseMasterKey(%q) = %v, %v; want %v", in, got, err, k)
		}
	}
	other, _, _ := GenerateMasterKey()
	if other.ID == k.ID {
		t.Error("two random keys share an id")
	}
}

// TestMasterKeyIDStable pins the id derivation: instances given the same
// key must agree on its id across releases. The value is SHA-256 of
// "signet master key id v1\x00" || key, first 8 bytes in hex.
func TestMasterKeyIDStable(t *testing.T) {
	k, err := ParseMasterKey(base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "3ceabdd01bbfa99c"; k.ID != want {
		t.Errorf("ID = %s, want %s", k.ID, want)
	}
}

func TestParseMasterKeyErrors(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789abcdef")
	b64 := base64.StdEncoding.EncodeToString(raw)
	for _, tc := range []struct{ name, in string }{
		{"empty", ""},
		{"spaces", "   "},
		{"not base64", "this is not base64 at all!!!!!!!!!!!!!!!!!!!"},
		{"16 bytes", base64.StdEncoding.EncodeToString(raw[:16])},
		{"31 bytes", base64.StdEncoding.EncodeToString(raw[:31])},
		{"33 bytes", base64.StdEncoding.EncodeToString(append(raw, 'x'))},
		{"64 bytes", base64.StdEncoding.EncodeToString(append(raw, raw...))},
		{"unpadded", strings.TrimRight(b64, "=")},
		{"url-safe alphabet", base64.URLEncoding.EncodeToString([]byte(strings.Repeat("\xfb\xff", 16)))},
		{"newline inside", b64[:20] + "\n" + b64[20:]},
		{"hex instead of base64", hex.EncodeToString(raw)},
		{"all zero", base64.StdEncoding.EncodeToString(make([]byte, 32))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMasterKey(tc.in)
			if !errors.Is(err, ErrInvalidMasterKey) {
				t.Fatalf("error = %v, want ErrInvalidMasterKey", err)
			}
			if strings.TrimSpace(tc.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
				t.Errorf("error %q quotes the input", err)
			}
			assertNoSecret(t, err.Error(), raw)
		})
	}
}

func TestMasterKeyFormatting(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789abcdef")
	k, _ := ParseMasterKey(base64.StdEncoding.EncodeToString(raw))
	s := fmt.Sprintf("%v|%+v|%#v|%s|%x|%q|%v", k, k, k, k, k, k, &k)
	assertNoSecret(t, s, raw)
	if !strings.Contains(s, k.ID) {
		t.Errorf("formatted key %q lacks its id", s)
	}
}
