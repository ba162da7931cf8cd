package storetest

import (
	"crypto/rand"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

// epoch is the fake clock's start: whole seconds, so no store rounds it.
var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is a fake clock a test moves by hand.
type clock struct{ now time.Time }

func newClock() *clock                           { return &clock{now: epoch} }
func (c *clock) Now() time.Time                  { return c.now }
func (c *clock) Advance(d time.Duration)         { c.now = c.now.Add(d) }
func (c *clock) After(d time.Duration) time.Time { return c.now.Add(d) }

// wantErr fails unless errors.Is(err, target).
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// must fails on any error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantEqual compares values after normalising the forms a store may choose
// freely: empty slices versus nil, the location of a time.
func wantEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	g, w := normalize(reflect.ValueOf(&got).Elem()), normalize(reflect.ValueOf(&want).Elem())
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

var timeType = reflect.TypeFor[time.Time]()

// normalize returns a comparable rendering of v: times as microseconds
// (zero stays distinct), empty slices as nil.
func normalize(v reflect.Value) any {
	switch {
	case v.Type() == timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return "zero"
		}
		return signet.Truncate(t).UnixMicro()
	case v.Kind() == reflect.Struct:
		out := make([]any, v.NumField())
		for i := range out {
			out[i] = normalize(v.Field(i))
		}
		return out
	case v.Kind() == reflect.Slice:
		out := make([]any, v.Len()) // nil and empty both become an empty []any
		for i := range out {
			out[i] = normalize(v.Index(i))
		}
		return out
	case v.Kind() == reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return []any{normalize(v.Elem())}
	}
	return v.Interface()
}

// newToken returns a fresh opaque refresh token and its hash.
func newToken() (string, []byte) {
	tok := rand.Text() + rand.Text()
	return tok, signet.HashRefreshToken(tok)
}

// createUser stores a user with the given email.
func createUser(t *testing.T, s signet.Store, c *clock, email string, roles ...string) signet.User {
	t.Helper()
	u := signet.User{ID: signet.NewID(), Email: signet.NormalizeEmail(email), Name: "Name of " + email,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", Roles: roles,
		CreatedAt: c.Now(), UpdatedAt: c.Now()}
	must(t, s.CreateUser(t.Context(), u))
	return u
}

// Session lifetimes used throughout the suite.
const (
	idleTTL     = 24 * time.Hour
	absoluteTTL = 30 * 24 * time.Hour
	accessTTL   = 15*time.Minute + 30*time.Second // access token lifetime plus leeway
)

// createSession stores a session of u with its first refresh token, and
// returns the session and the token's hash.
func createSession(t testing.TB, s signet.Store, c *clock, u signet.User) (signet.Session, []byte) {
	t.Helper()
	now := c.Now()
	sess := signet.Session{ID: signet.NewID(), UserID: u.ID, ClientID: "signet", Scope: "openid posts:read",
		UserAgent: "storetest/1.0", CreatedAt: now, LastUsedAt: now, IdleExpiresAt: now.Add(idleTTL),
		ExpiresAt: now.Add(absoluteTTL), AuthTime: now}
	_, hash := newToken()
	first := signet.RefreshToken{Hash: hash, CreatedAt: now, ExpiresAt: now.Add(idleTTL)}
	must(t, s.CreateSession(t.Context(), sess, first))
	return sess, hash
}

// ids returns the ids of sessions, sorted.
func ids(ss []signet.Session) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.ID)
	}
	slices.Sort(out)
	return out
}

// sorted returns the strings sorted.
func sorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// feed returns every stored revocation entry as "kind:value" strings.
func feed(t *testing.T, s signet.Store) []string {
	t.Helper()
	rs, err := s.RevocationsAfter(t.Context(), 0, signet.MaxListLimit)
	must(t, err)
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s:%s", r.Kind, r.Value))
	}
	return out
}
