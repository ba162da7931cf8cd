package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var revocationTests = []test{
	{"CursorOrder", testRevocationCursors},
	{"Invalid", testRevocationInvalid},
	{"LiveAndPurge", testRevocationPurge},
	{"BoundsEmpty", testRevocationBoundsEmpty},
}

func entry(c *clock, kind signet.RevocationKind, value string, ttl time.Duration) signet.Revocation {
	r := signet.Revocation{Kind: kind, Value: value, ExpiresAt: c.After(ttl), CreatedAt: c.Now()}
	if kind == signet.RevokeSub {
		r.Before = c.Now()
	}
	return r
}

func testRevocationCursors(t *testing.T, s signet.Store) {
	c := newClock()
	batch := []signet.Revocation{
		entry(c, signet.RevokeJTI, "jti-1", time.Hour),
		entry(c, signet.RevokeSID, "sid-1", time.Hour),
		entry(c, signet.RevokeSub, "sub-1", 2*time.Hour),
	}
	first, err := s.AddRevocations(t.Context(), batch...)
	must(t, err)
	c.Advance(time.Minute)
	second, err := s.AddRevocations(t.Context(), entry(c, signet.RevokeJTI, "jti-2", time.Hour),
		entry(c, signet.RevokeJTI, "jti-3", time.Hour))
	must(t, err)
	all := slices.Concat(first, second)
	for i, r := range all {
		if i > 0 && r.Cursor <= all[i-1].Cursor {
			t.Fatalf("cursor %d after %d: not increasing in commit order", r.Cursor, all[i-1].Cursor)
		}
	}
	for i := range batch {
		want := batch[i]
		want.Cursor = first[i].Cursor
		wantEqual(t, "returned entry", first[i], want)
	}

	got, err := s.RevocationsAfter(t.Context(), 0, 0)
	must(t, err)
	wantEqual(t, "every entry", got, all)
	got, err = s.RevocationsAfter(t.Context(), first[2].Cursor, 0)
	must(t, err)
	wantEqual(t, "entries after the first batch", got, second)
	got, err = s.RevocationsAfter(t.Context(), first[0].Cursor, 2)
	must(t, err)
	wantEqual(t, "a limited page", got, all[1:3])
	got, err = s.RevocationsAfter(t.Context(), all[4].Cursor, 0)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("entries after the latest cursor: %+v", got)
	}
}

// testRevocationInvalid: a batch with one bad entry stores nothing.
func testRevocationInvalid(t *testing.T, s signet.Store) {
	c := newClock()
	good := entry(c, signet.RevokeJTI, "good", time.Hour)
	tests := []struct {
		name string
		bad  func(signet.Revocation) signet.Revocation
	}{
		{"unknown kind", func(r signet.Revocation) signet.Revocation { r.Kind = "email"; return r }},
		{"no value", func(r signet.Revocation) signet.Revocation { r.Value = ""; return r }},
		{"before on a jti entry", func(r signet.Revocation) signet.Revocation { r.Before = c.Now(); return r }},
		{"sub without before", func(r signet.Revocation) signet.Revocation { r.Kind = signet.RevokeSub; return r }},
		{"no expiry", func(r signet.Revocation) signet.Revocation { r.ExpiresAt = time.Time{}; return r }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddRevocations(t.Context(), good, tt.bad(good))
			wantErr(t, err, signet.ErrInvalid)
			if f := feed(t, s); len(f) != 0 {
				t.Fatalf("refused batch stored %v", f)
			}
		})
	}
}

func testRevocationPurge(t *testing.T, s signet.Store) {
	c := newClock()
	rs, err := s.AddRevocations(t.Context(),
		entry(c, signet.RevokeJTI, "short", time.Minute),
		entry(c, signet.RevokeSID, "medium", 2*time.Minute),
		entry(c, signet.RevokeSub, "long", 3*time.Minute))
	must(t, err)
	at := c.After(90 * time.Second)

	live, latest, err := s.LiveRevocations(t.Context(), at)
	must(t, err)
	wantEqual(t, "live entries", live, rs[1:])
	if latest != rs[2].Cursor {
		t.Fatalf("latest cursor = %d, want %d", latest, rs[2].Cursor)
	}
	// An entry is live until, not at, its expiry.
	live, _, err = s.LiveRevocations(t.Context(), rs[1].ExpiresAt)
	must(t, err)
	wantEqual(t, "live at the medium entry's expiry", live, rs[2:])

	n, err := s.PurgeRevocations(t.Context(), at)
	must(t, err)
	if n != 1 {
		t.Fatalf("purged %d, want 1", n)
	}
	b, err := s.RevocationBounds(t.Context())
	must(t, err)
	wantEqual(t, "bounds after purge", b, signet.RevocationBounds{Oldest: rs[1].Cursor, Latest: rs[2].Cursor})
	if !b.CanResume(rs[0].Cursor) || b.CanResume(rs[0].Cursor-1) {
		t.Fatalf("bounds %+v: a follower at %d resumes, one before it does not", b, rs[0].Cursor)
	}

	// Purge everything: cursors are never reused, and the latest is kept.
	_, err = s.PurgeRevocations(t.Context(), c.After(time.Hour))
	must(t, err)
	b, err = s.RevocationBounds(t.Context())
	must(t, err)
	wantEqual(t, "bounds of an emptied feed", b, signet.RevocationBounds{Oldest: rs[2].Cursor + 1, Latest: rs[2].Cursor})
	more, err := s.AddRevocations(t.Context(), entry(c, signet.RevokeJTI, "after", time.Hour))
	must(t, err)
	if more[0].Cursor <= rs[2].Cursor {
		t.Fatalf("cursor %d reused after a purge (latest was %d)", more[0].Cursor, rs[2].Cursor)
	}
}

func testRevocationBoundsEmpty(t *testing.T, s signet.Store) {
	b, err := s.RevocationBounds(t.Context())
	must(t, err)
	if b.Latest != 0 || b.Oldest != 1 || !b.CanResume(0) {
		t.Fatalf("bounds of a new store = %+v, want {Oldest:1 Latest:0}", b)
	}
	live, latest, err := s.LiveRevocations(t.Context(), epoch)
	must(t, err)
	if len(live) != 0 || latest != 0 {
		t.Fatalf("new store: %d live entries, latest %d", len(live), latest)
	}
}
