package signet_test

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice@example.com", "alice@example.com"},
		{"  Alice@Example.COM\t\n", "alice@example.com"},
		{"ÉLODIE@example.fr", "élodie@example.fr"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := signet.NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := signet.NewID()
		b, err := base64.RawURLEncoding.DecodeString(id)
		if err != nil || len(b) != signet.IDSize {
			t.Fatalf("NewID() = %q: want %d bytes of base64url (%v)", id, signet.IDSize, err)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
	}
}

func TestSessionActive(t *testing.T) {
	s := signet.Session{IdleExpiresAt: t0.Add(time.Hour), ExpiresAt: t0.Add(2 * time.Hour)}
	revoked := s
	revoked.RevokedAt = t0
	tests := []struct {
		name string
		s    signet.Session
		at   time.Time
		want bool
	}{
		{"live", s, t0, true},
		{"at idle expiry", s, t0.Add(time.Hour), false},
		{"absolute before idle", signet.Session{IdleExpiresAt: t0.Add(time.Hour), ExpiresAt: t0}, t0, false},
		{"revoked", revoked, t0, false},
	}
	for _, tt := range tests {
		if got := tt.s.Active(tt.at); got != tt.want {
			t.Errorf("%s: Active = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRefreshTokenInGrace(t *testing.T) {
	rotated := signet.RefreshToken{RotatedAt: t0}
	tests := []struct {
		name  string
		tok   signet.RefreshToken
		at    time.Time
		grace time.Duration
		want  bool
	}{
		{"current token", signet.RefreshToken{}, t0, time.Minute, false},
		{"inside", rotated, t0.Add(59 * time.Second), time.Minute, true},
		{"at the end", rotated, t0.Add(time.Minute), time.Minute, false},
		{"zero window", rotated, t0, 0, false},
	}
	for _, tt := range tests {
		if got := tt.tok.InGrace(tt.at, tt.grace); got != tt.want {
			t.Errorf("%s: InGrace = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHashRefreshToken(t *testing.T) {
	a, b := signet.HashRefreshToken("token-a"), signet.HashRefreshToken("token-b")
	if len(a) != signet.RefreshTokenHashSize || string(a) == string(b) {
		t.Fatalf("hashes %x, %x", a, b)
	}
}

func TestRevocationBoundsCanResume(t *testing.T) {
	b := signet.RevocationBounds{Oldest: 10, Latest: 20}
	for cursor, want := range map[int64]bool{8: false, 9: true, 15: true, 20: true, 21: false} {
		if got := b.CanResume(cursor); got != want {
			t.Errorf("CanResume(%d) = %v, want %v", cursor, got, want)
		}
	}
}

func TestSigningKeyPublished(t *testing.T) {
	jwk := []byte(`{}`)
	tests := []struct {
		name string
		k    signet.SigningKey
		want bool
	}{
		{"next", signet.SigningKey{State: signet.KeyNext, PublicJWK: jwk}, true},
		{"current", signet.SigningKey{State: signet.KeyCurrent, PublicJWK: jwk}, true},
		{"retired, kept", signet.SigningKey{State: signet.KeyRetired, PublicJWK: jwk, DeleteAfter: t0.Add(1)}, true},
		{"retired, done", signet.SigningKey{State: signet.KeyRetired, PublicJWK: jwk, DeleteAfter: t0}, false},
		{"secret", signet.SigningKey{State: signet.KeyCurrent}, false},
	}
	for _, tt := range tests {
		if got := tt.k.Published(t0); got != tt.want {
			t.Errorf("%s: Published = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"user without id", signet.User{Email: "a@b", CreatedAt: t0, UpdatedAt: t0}.Validate()},
		{"user with raw email", signet.User{ID: "u", Email: "A@b", CreatedAt: t0, UpdatedAt: t0}.Validate()},
		{"session expiring at creation", signet.Session{ID: "s", UserID: "u", ClientID: "c", CreatedAt: t0,
			AuthTime: t0, IdleExpiresAt: t0.Add(1), ExpiresAt: t0}.Validate()},
		{"token with short hash", signet.RefreshToken{Hash: []byte{1}, CreatedAt: t0, ExpiresAt: t0.Add(1)}.Validate()},
		{"sid entry with cut-off", signet.Revocation{Kind: signet.RevokeSID, Value: "s", Before: t0,
			CreatedAt: t0, ExpiresAt: t0}.Validate()},
		{"key in unknown state", signet.SigningKey{KID: "k", Algorithm: "ES256", State: "old",
			EncryptedPrivate: []byte{1}, MasterKeyID: "m", CreatedAt: t0}.Validate()},
		{"throttle with unknown scope", signet.ThrottleKey{Scope: "user", Key: "x"}.Validate()},
		{"revocation without time", signet.SessionRevocation{}.Validate()},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, signet.ErrInvalid) {
			t.Errorf("%s: Validate = %v, want ErrInvalid", tt.name, tt.err)
		}
	}
	ok := signet.User{ID: "u", Email: "a@b", CreatedAt: t0, UpdatedAt: t0}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid user: %v", err)
	}
}
