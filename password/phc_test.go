package password

import (
	"errors"
	"strings"
	"testing"
)

var (
	salt16 = b64.EncodeToString([]byte("saltsaltsaltsalt"))
	key32  = b64.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	valid  = "$argon2id$v=19$m=64,t=1,p=1$" + salt16 + "$" + key32
)

func TestParsePHCValid(t *testing.T) {
	got, err := parsePHC(valid)
	if err != nil {
		t.Fatal(err)
	}
	if got.params != testParams {
		t.Errorf("params = %+v, want %+v", got.params, testParams)
	}
	if s := encodePHC(got.params, got.salt, got.key); s != valid {
		t.Errorf("re-encoded as %q, want %q", s, valid)
	}
}

func TestParsePHCMalformed(t *testing.T) {
	p := "$argon2id$v=19$m=64,t=1,p=1$"
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrMalformedHash},
		{"plain text", "hunter2", ErrMalformedHash},
		{"no leading dollar", valid[1:], ErrMalformedHash},
		{"trailing dollar", valid + "$", ErrMalformedHash},
		{"missing hash", p + salt16, ErrMalformedHash},
		{"argon2i", strings.Replace(valid, "argon2id", "argon2i", 1), ErrMalformedHash},
		{"argon2d", strings.Replace(valid, "argon2id", "argon2d", 1), ErrMalformedHash},
		{"upper-case algorithm", strings.Replace(valid, "argon2id", "ARGON2ID", 1), ErrMalformedHash},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", ErrMalformedHash},
		{"version 16", strings.Replace(valid, "v=19", "v=16", 1), ErrMalformedHash},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"params out of order", "$argon2id$v=19$t=1,m=64,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"extra param", "$argon2id$v=19$m=64,t=1,p=1,keyid=x$" + salt16 + "$" + key32, ErrMalformedHash},
		{"missing param", "$argon2id$v=19$m=64,t=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"negative", "$argon2id$v=19$m=64,t=-1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"empty value", "$argon2id$v=19$m=,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"space", "$argon2id$v=19$m=64, t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"twenty digits", "$argon2id$v=19$m=12345678901234567890,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"padded salt", p + salt16 + "==$" + key32, ErrMalformedHash},
		{"url-safe alphabet", p + salt16 + "$" + strings.Repeat("-", 43), ErrMalformedHash},
		{"non-canonical last char", p + salt16[:21] + "B$" + key32, ErrMalformedHash},
		{"CR inside salt", p + salt16[:3] + "\r" + salt16[3:] + "$" + key32, ErrMalformedHash},
		{"empty salt", p + "$" + key32, ErrMalformedHash},
		{"empty hash", p + salt16 + "$", ErrMalformedHash},
		{"too long", p + salt16 + "$" + strings.Repeat("A", 300), ErrMalformedHash},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parsePHC(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("parsePHC error = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), salt16) || strings.Contains(err.Error(), key32) {
				t.Errorf("error %q repeats the stored hash", err)
			}
		})
	}
}

// TestVerifyPoisonedParams shows that a stored hash demanding absurd costs
// is refused before any memory is allocated for it.
func TestVerifyPoisonedParams(t *testing.T) {
	h, n := newTestHasher(t, testParams)
	for _, tc := range []struct{ name, params, salt, key string }{
		{"4 GiB of memory", "m=4194304,t=1,p=1", salt16, key32},
		{"memory just over the cap", "m=262145,t=1,p=1", salt16, key32},
		{"memory beyond uint32", "m=4294967296,t=1,p=1", salt16, key32},
		{"a million passes", "m=64,t=1000000,p=1", salt16, key32},
		{"255 lanes", "m=65536,t=1,p=255", salt16, key32},
		{"lanes beyond uint8", "m=65536,t=1,p=256", salt16, key32},
		{"zero passes", "m=64,t=0,p=1", salt16, key32},
		{"zero lanes", "m=64,t=1,p=0", salt16, key32},
		{"memory below 8 per lane", "m=15,t=1,p=2", salt16, key32},
		{"4-byte salt", "m=64,t=1,p=1", b64.EncodeToString([]byte("salt")), key32},
		{"8-byte hash", "m=64,t=1,p=1", salt16, b64.EncodeToString([]byte("hashhash"))},
		{"65-byte hash", "m=64,t=1,p=1", salt16, b64.EncodeToString(make([]byte, 65))},
	} {
		stored := "$argon2id$v=19$" + tc.params + "$" + tc.salt + "$" + tc.key
		ok, rehash, err := h.Verify("password", stored)
		if ok || rehash || !errors.Is(err, ErrUnsafeParams) {
			t.Errorf("%s: Verify = %v, %v, %v; want false, false, ErrUnsafeParams", tc.name, ok, rehash, err)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d hashes computed for refused parameters, want 0", n.Load())
	}
}

func FuzzParsePHC(f *testing.F) {
	f.Add(valid)
	f.Add("$argon2id$v=19$m=65536,t=3,p=4$" + salt16 + "$" + key32)
	f.Add("$argon2id$v=19$m=064,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parsePHC(s)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) && !errors.Is(err, ErrUnsafeParams) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		// Only canonical strings parse: re-encoding gives the input back.
		if enc := encodePHC(got.params, got.salt, got.key); enc != s {
			t.Fatalf("parsed %q, re-encoded as %q", s, enc)
		}
		if got.params.check() != nil {
			t.Fatalf("parsed params outside the limits: %+v", got.params)
		}
	})
}
