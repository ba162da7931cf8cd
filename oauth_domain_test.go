package signet_test

import (
	"testing"

	"github.com/signet-dev/signet"
)

func TestValidRedirectURI(t *testing.T) {
	tests := []struct {
		uri string
		ok  bool
	}{
		{"https://app.example/callback", true},
		{"https://app.example/cb?tenant=1", true},
		{"http://127.0.0.1:8080/cb", true},
		{"http://localhost/cb", true},
		{"http://[::1]:9/cb", true},
		{"com.example.app:/oauth2redirect", true},
		{"http://app.example/cb", false}, // plain http off loopback
		{"https://app.example/cb#frag", false},
		{"https://user@app.example/cb", false},
		{"/relative", false},
		{"javascript:alert(1)", false}, // a scheme without a dot
		{"https:///no-host", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := signet.ValidRedirectURI(tt.uri); (err == nil) != tt.ok {
			t.Errorf("ValidRedirectURI(%q) = %v, want ok %v", tt.uri, err, tt.ok)
		}
	}
}

func TestValidClientIDAndScope(t *testing.T) {
	for id, ok := range map[string]bool{"web": true, "my-app_2.prod": true, "": false, "a b": false, "é": false,
		"x/y": false, string(make([]byte, 65)): false} {
		if signet.ValidClientID(id) != ok {
			t.Errorf("ValidClientID(%q) != %v", id, ok)
		}
	}
	for s, ok := range map[string]bool{"openid": true, "posts:read": true, "a\"b": false, "a b": false, "": false, "a\\b": false, "\x7f": false} {
		if signet.ValidScopeToken(s) != ok {
			t.Errorf("ValidScopeToken(%q) != %v", s, ok)
		}
	}
	c := signet.Consent{Scopes: []string{"openid", "email"}}
	if !c.Covers(nil) || !c.Covers([]string{"email"}) || c.Covers([]string{"email", "profile"}) {
		t.Error("Consent.Covers")
	}
}
