package account_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/keys"
)

func TestKeyRotationKeepsTokensValid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup(t, "alice@example.com")
	before := e.login(t, "alice@example.com")
	oldKID := header(t, before.AccessToken).KeyID
	must(t, e.keys.Rotate(t.Context()))
	e.clock.Advance(time.Minute)
	e.auth(t, before.AccessToken) // the retired key still verifies
	after := e.login(t, "alice@example.com")
	if kid := header(t, after.AccessToken).KeyID; kid == oldKID {
		t.Fatal("still signing with the retired key")
	}
	e.auth(t, after.AccessToken)
	doc, maxAge, err := e.svc.JWKS(t.Context())
	must(t, err)
	if !strings.Contains(string(doc), `"`+oldKID+`"`) || maxAge <= 0 || maxAge > time.Hour {
		t.Fatalf("JWKS %s (max-age %v) lacks the retired key %s", doc, maxAge, oldKID)
	}
	if !strings.Contains(e.logs.String(), `"event":"key.rotated"`) {
		t.Fatal("no key.rotated event")
	}
}

func TestHMACMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{keys: func(c *keys.ManagerConfig) { c.AccessAlgorithm = jose.HS256 }})
	e.signup(t, "alice@example.com")
	r := e.login(t, "alice@example.com")
	if h := header(t, r.AccessToken); h.Algorithm != jose.HS256 || h.Type != jose.TypeAccessToken {
		t.Fatalf("access token header %+v", h)
	}
	e.auth(t, r.AccessToken)
	if h := header(t, r.IDToken); h.Algorithm != jose.RS256 {
		t.Fatalf("ID token signed %s in HS256 mode; a client could not verify it", h.Algorithm)
	}
	verifyIDToken(t, e, r.IDToken)
	doc, _, err := e.svc.JWKS(t.Context())
	must(t, err)
	if strings.Contains(string(doc), `"oct"`) || strings.Contains(string(doc), `"k":`) {
		t.Fatalf("JWKS publishes the HMAC secret: %s", doc)
	}
	// A token signed with an RS256 key from the JWKS is never an access
	// token here: the access key set holds the secrets only.
	rs, err := e.keys.Signer(jose.RS256)
	must(t, err)
	forged, err := jose.NewSigner(rs.Key(), jose.WithType(jose.TypeAccessToken))
	must(t, err)
	tok, err := forged.Sign(e.auth(t, r.AccessToken))
	must(t, err)
	if _, err := e.svc.Authenticate(t.Context(), tok); !errors.Is(err, jose.ErrKeyNotFound) {
		t.Fatalf("RS256 access token accepted in HS256 mode: %v", err)
	}
}

func header(t *testing.T, tok string) jose.Header {
	t.Helper()
	u, err := jose.UnsafeParseWithoutVerification(tok)
	must(t, err)
	return u.Header
}
