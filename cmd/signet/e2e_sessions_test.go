package main

import (
	"testing"
)

// POST /v1/password ends every other session at once and keeps this one;
// DELETE /v1/sessions/{id} ends one session.
func TestPasswordChangeAndSessionRevoke(t *testing.T) {
	ts := startServer(t)
	ts.signup(t, "hana@example.com", pw)
	phone := ts.login(t, "hana@example.com", pw)
	laptop := ts.login(t, "hana@example.com", pw)
	tablet := ts.login(t, "hana@example.com", pw)

	var list struct {
		Sessions []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"sessions"`
	}
	if r := ts.call(t, "GET", "/v1/sessions", tablet.AccessToken, nil, &list); r.StatusCode != 200 || len(list.Sessions) != 3 {
		t.Fatalf("sessions: %d %+v", r.StatusCode, list)
	}
	var tabletID string
	for _, s := range list.Sessions {
		if s.Current {
			tabletID = s.ID
		}
	}
	if r := ts.call(t, "DELETE", "/v1/sessions/"+tabletID, laptop.AccessToken, nil, nil); r.StatusCode != 204 {
		t.Fatalf("revoke session: %d", r.StatusCode)
	}
	if r := ts.call(t, "GET", "/v1/me", tablet.AccessToken, nil, nil); r.StatusCode != 401 {
		t.Fatalf("revoked session's token: %d", r.StatusCode)
	}

	const newPW = "a brand new passphrase"
	if r := ts.call(t, "POST", "/v1/password", laptop.AccessToken, map[string]string{"current_password": "not it at all", "new_password": newPW}, nil); r.StatusCode < 400 {
		t.Fatalf("password change with a wrong current password: %d", r.StatusCode)
	}
	if r := ts.call(t, "POST", "/v1/password", laptop.AccessToken, map[string]string{"current_password": pw, "new_password": newPW}, nil); r.StatusCode != 204 {
		t.Fatalf("password change: %d", r.StatusCode)
	}
	if r := ts.call(t, "GET", "/v1/me", phone.AccessToken, nil, nil); r.StatusCode != 401 {
		t.Fatalf("other session survived the password change: %d", r.StatusCode)
	}
	if _, r := ts.refresh(t, phone.RefreshToken); r.StatusCode != 400 && r.StatusCode != 401 {
		t.Fatalf("other session's refresh token survived: %d", r.StatusCode)
	}
	if r := ts.call(t, "GET", "/v1/me", laptop.AccessToken, nil, nil); r.StatusCode != 200 {
		t.Fatalf("the session that changed the password was ended: %d", r.StatusCode)
	}
	if r := ts.call(t, "POST", "/v1/login", "", map[string]string{"email": "hana@example.com", "password": pw}, nil); r.StatusCode != 401 {
		t.Fatalf("old password still logs in: %d", r.StatusCode)
	}
	ts.login(t, "hana@example.com", newPW)
	// Logout of every session.
	if r := ts.call(t, "POST", "/v1/logout", laptop.AccessToken, map[string]bool{"all": true}, nil); r.StatusCode != 204 {
		t.Fatalf("logout all: %d", r.StatusCode)
	}
	if _, r := ts.refresh(t, laptop.RefreshToken); r.StatusCode != 400 && r.StatusCode != 401 {
		t.Fatalf("refresh after logout-all: %d", r.StatusCode)
	}
}
