package verify_test

import (
	"sync"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
)

func TestRevocationSet(t *testing.T) {
	var s verify.RevocationSet
	s.Add(
		verify.Entry{Cursor: "1", Kind: verify.KindJTI, Value: "j1", ExpiresAt: 200},
		verify.Entry{Cursor: "2", Kind: verify.KindSID, Value: "s1", ExpiresAt: 300},
		verify.Entry{Cursor: "3", Kind: verify.KindSub, Value: "u1", Before: 150, ExpiresAt: 400},
		verify.Entry{Cursor: "4", Kind: "future-kind", Value: "x", ExpiresAt: 400},
	)
	cases := []struct {
		name string
		c    jose.Claims
		want bool
	}{
		{"revoked jti", jose.Claims{ID: "j1", Subject: "u2"}, true},
		{"revoked session", jose.Claims{ID: "j2", SessionID: "s1", Subject: "u2"}, true},
		{"subject token issued before the cut-off", jose.Claims{ID: "j3", Subject: "u1", IssuedAt: 149}, true},
		{"subject token issued at the cut-off", jose.Claims{ID: "j3", Subject: "u1", IssuedAt: 150}, false},
		{"unrelated token", jose.Claims{ID: "j9", SessionID: "s9", Subject: "u9", IssuedAt: 1}, false},
		{"empty jti and sid do not match", jose.Claims{Subject: "u9"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Revoked(&tc.c); got != tc.want {
				t.Fatalf("Revoked = %v, want %v", got, tc.want)
			}
		})
	}
	if s.Cursor() != "4" || s.Len() != 3 {
		t.Fatalf("cursor %q len %d", s.Cursor(), s.Len())
	}
	s.Purge(time.Unix(250, 0))
	if s.Revoked(&jose.Claims{ID: "j1"}) || !s.Revoked(&jose.Claims{SessionID: "s1"}) || s.Len() != 2 {
		t.Fatalf("purge removed the wrong entries: len %d", s.Len())
	}
	s.Reset("9", nil)
	if s.Len() != 0 || s.Cursor() != "9" {
		t.Fatal("reset kept entries")
	}
}

func TestRevocationSetConcurrent(t *testing.T) {
	var s verify.RevocationSet
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				s.Add(verify.Entry{Kind: verify.KindJTI, Value: string(rune('a' + i%26)), ExpiresAt: 10})
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				s.Revoked(&jose.Claims{ID: "a"})
			}
		}()
	}
	wg.Wait()
	if !s.Revoked(&jose.Claims{ID: "a"}) {
		t.Fatal("entry lost")
	}
}
