package storetest

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var clientTests = []test{
	{"CreateAndGet", testCreateClient},
	{"CreateRefused", testCreateClientRefused},
	{"List", testListClients},
	{"Update", testUpdateClient},
	{"DeleteEndsSessions", testDeleteClient},
}

// secretHash returns a random value of the size of a client secret hash.
func secretHash() []byte {
	b := make([]byte, signet.ClientSecretHashSize)
	rand.Read(b)
	return b
}

// newClient returns a valid confidential client with the given id.
func newClient(c *clock, id string) signet.Client {
	return signet.Client{ID: id, Name: "App " + id, SecretHash: secretHash(), SecretKeyID: "mk1",
		RedirectURIs:           []string{"https://app.example/callback", "http://127.0.0.1:9999/cb"},
		PostLogoutRedirectURIs: []string{"https://app.example/bye"},
		GrantTypes:             []string{signet.GrantAuthorizationCode, signet.GrantRefreshToken, signet.GrantClientCredentials},
		Scopes:                 []string{"openid", "profile", "email", "posts:read"},
		Audiences:              []string{"https://api.example"}, IDTokenAlg: "RS256",
		CreatedAt: c.Now(), UpdatedAt: c.Now()}
}

func createClient(t *testing.T, s signet.Store, c *clock, id string) signet.Client {
	t.Helper()
	cl := newClient(c, id)
	must(t, s.CreateClient(t.Context(), cl))
	return cl
}

func testCreateClient(t *testing.T, s signet.Store) {
	c := newClock()
	cl := createClient(t, s, c, "web-app")
	got, err := s.Client(t.Context(), "web-app")
	must(t, err)
	wantEqual(t, "Client", got, cl)

	pub := signet.Client{ID: "spa", Name: "SPA", RedirectURIs: []string{"https://spa.example/cb"},
		GrantTypes: []string{signet.GrantAuthorizationCode}, Scopes: []string{"openid"},
		CreatedAt: c.Now(), UpdatedAt: c.Now()}
	must(t, s.CreateClient(t.Context(), pub))
	got, err = s.Client(t.Context(), "spa")
	must(t, err)
	wantEqual(t, "public client", got, pub)
	if !got.Public() || got.SecretHash != nil {
		t.Fatalf("public client read back with a secret: %+v", got)
	}
	_, err = s.Client(t.Context(), "nope")
	wantErr(t, err, signet.ErrNotFound)
}

func testCreateClientRefused(t *testing.T, s signet.Store) {
	c := newClock()
	createClient(t, s, c, "taken")
	tests := []struct {
		name string
		edit func(*signet.Client)
		want error
	}{
		{"id taken", func(cl *signet.Client) { cl.ID = "taken" }, signet.ErrConflict},
		{"bad id", func(cl *signet.Client) { cl.ID = "a b" }, signet.ErrInvalid},
		{"unknown grant", func(cl *signet.Client) { cl.GrantTypes = []string{"password"} }, signet.ErrInvalid},
		{"redirect with fragment", func(cl *signet.Client) { cl.RedirectURIs = []string{"https://a.example/cb#x"} }, signet.ErrInvalid},
		{"relative redirect", func(cl *signet.Client) { cl.RedirectURIs = []string{"/cb"} }, signet.ErrInvalid},
		{"plain http redirect", func(cl *signet.Client) { cl.RedirectURIs = []string{"http://a.example/cb"} }, signet.ErrInvalid},
		{"public client credentials", func(cl *signet.Client) { cl.SecretHash = nil }, signet.ErrInvalid},
		{"short secret hash", func(cl *signet.Client) { cl.SecretHash = cl.SecretHash[:16] }, signet.ErrInvalid},
		{"unknown ID token alg", func(cl *signet.Client) { cl.IDTokenAlg = "HS256" }, signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := newClient(c, "fresh-"+signet.NewID()[:8])
			tt.edit(&cl)
			wantErr(t, s.CreateClient(t.Context(), cl), tt.want)
			if cl.ID != "taken" {
				_, err := s.Client(t.Context(), cl.ID)
				wantErr(t, err, signet.ErrNotFound)
			}
		})
	}
}

func testListClients(t *testing.T, s signet.Store) {
	c := newClock()
	list, err := s.ListClients(t.Context())
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("a new store lists %d clients", len(list))
	}
	b := createClient(t, s, c, "bravo")
	a := createClient(t, s, c, "alpha")
	list, err = s.ListClients(t.Context())
	must(t, err)
	wantEqual(t, "ListClients", list, []signet.Client{a, b})
}

func testUpdateClient(t *testing.T, s signet.Store) {
	c := newClock()
	cl := createClient(t, s, c, "app")
	c.Advance(time.Minute)
	newHash := secretHash()
	got, err := s.UpdateClient(t.Context(), "app", func(old signet.Client) (signet.Client, error) {
		wantEqual(t, "client given to fn", old, cl)
		old.SecretHash, old.UpdatedAt, old.ID, old.CreatedAt = newHash, c.Now(), "renamed", c.Now()
		return old, nil
	})
	must(t, err)
	want := cl
	want.SecretHash, want.UpdatedAt = newHash, c.Now()
	wantEqual(t, "updated client", got, want)
	stored, err := s.Client(t.Context(), "app")
	must(t, err)
	wantEqual(t, "stored client", stored, want)

	_, err = s.UpdateClient(t.Context(), "app", func(old signet.Client) (signet.Client, error) {
		old.GrantTypes = []string{"implicit"}
		return old, nil
	})
	wantErr(t, err, signet.ErrInvalid)
	_, err = s.UpdateClient(t.Context(), "nope", func(old signet.Client) (signet.Client, error) { return old, nil })
	wantErr(t, err, signet.ErrNotFound)
	stored, _ = s.Client(t.Context(), "app")
	wantEqual(t, "client after refused updates", stored, want)
}

// testDeleteClient: removing a client ends its sessions (with feed
// entries) and removes its codes and consents; other clients' sessions stay.
func testDeleteClient(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "alice@example.com")
	createClient(t, s, c, "gone")
	createClient(t, s, c, "kept")
	mine := redeemNew(t, s, c, u, "gone")
	other := redeemNew(t, s, c, u, "kept")
	firstParty, _ := createSession(t, s, c, u)
	must(t, s.PutConsent(t.Context(), signet.Consent{UserID: u.ID, ClientID: "gone", Scopes: []string{"openid"},
		CreatedAt: c.Now(), UpdatedAt: c.Now()}))
	codeHash := createCode(t, s, c, u, "gone")

	c.Advance(time.Minute)
	ended, err := s.DeleteClient(t.Context(), "gone", signet.SessionRevocation{At: c.Now(), FeedUntil: c.After(accessTTL)})
	must(t, err)
	wantEqual(t, "ended sessions", ids(ended), []string{mine.ID})
	wantEqual(t, "feed", feed(t, s), []string{"sid:" + mine.ID})
	for id, live := range map[string]bool{mine.ID: false, other.ID: true, firstParty.ID: true} {
		got, err := s.Session(t.Context(), id)
		must(t, err)
		if got.Revoked() == live {
			t.Errorf("session %s revoked = %v, want %v", id, got.Revoked(), !live)
		}
	}
	_, err = s.Client(t.Context(), "gone")
	wantErr(t, err, signet.ErrNotFound)
	_, err = s.Consent(t.Context(), u.ID, "gone")
	wantErr(t, err, signet.ErrNotFound)
	_, err = s.RedeemAuthCode(t.Context(), codeHash, func(signet.AuthCode, signet.User) (signet.Redemption, error) {
		return signet.Redemption{}, nil
	})
	wantErr(t, err, signet.ErrNotFound)
	_, err = s.DeleteClient(t.Context(), "gone", signet.SessionRevocation{At: c.Now()})
	wantErr(t, err, signet.ErrNotFound)
	_, err = s.DeleteClient(t.Context(), "kept", signet.SessionRevocation{At: c.Now(), BySubject: true})
	wantErr(t, err, signet.ErrInvalid)
}
