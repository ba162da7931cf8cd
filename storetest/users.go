package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/signet-dev/signet"
)

var userTests = []test{
	{"CreateAndGet", testCreateUser},
	{"Duplicates", testUserDuplicates},
	{"NotFound", testUserNotFound},
	{"Invalid", testUserInvalid},
	{"Update", testUpdateUser},
	{"UpdateRefused", testUpdateUserRefused},
	{"UpdateRevokesSessions", testUpdateUserRevokes},
	{"List", testListUsers},
}

func testCreateUser(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "alice@example.com", "admin", "editor")

	got, err := s.User(t.Context(), u.ID)
	must(t, err)
	wantEqual(t, "User", got, u)

	// The email is found whatever its case and surrounding space.
	got, err = s.UserByEmail(t.Context(), "  Alice@EXAMPLE.com ")
	must(t, err)
	wantEqual(t, "UserByEmail", got, u)

	// CreateUser normalizes the email itself.
	raw := signet.User{ID: signet.NewID(), Email: " Bob@Example.COM", CreatedAt: c.Now(), UpdatedAt: c.Now()}
	must(t, s.CreateUser(t.Context(), raw))
	got, err = s.User(t.Context(), raw.ID)
	must(t, err)
	if got.Email != "bob@example.com" {
		t.Fatalf("stored email = %q, want it normalized", got.Email)
	}
}

func testUserDuplicates(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "carol@example.com")
	tests := []struct {
		name, id, email string
	}{
		{"same email", signet.NewID(), "carol@example.com"},
		{"email in another case", signet.NewID(), "CAROL@Example.Com"},
		{"email with spaces", signet.NewID(), "  carol@example.com\t"},
		{"same id", u.ID, "other@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dup := signet.User{ID: tt.id, Email: tt.email, CreatedAt: c.Now(), UpdatedAt: c.Now()}
			wantErr(t, s.CreateUser(t.Context(), dup), signet.ErrConflict)
		})
	}
	got, err := s.User(t.Context(), u.ID)
	must(t, err)
	wantEqual(t, "user after refused duplicates", got, u)
}

func testUserNotFound(t *testing.T, s signet.Store) {
	createUser(t, s, newClock(), "dave@example.com")
	_, err := s.User(t.Context(), signet.NewID())
	wantErr(t, err, signet.ErrNotFound)
	_, err = s.UserByEmail(t.Context(), "nobody@example.com")
	wantErr(t, err, signet.ErrNotFound)
	called := false
	_, err = s.UpdateUser(t.Context(), signet.NewID(), func(u signet.User) (signet.UserUpdate, error) {
		called = true
		return signet.UserUpdate{User: u}, nil
	})
	wantErr(t, err, signet.ErrNotFound)
	if called {
		t.Fatal("UpdateUser called fn for an unknown user")
	}
}

func testUserInvalid(t *testing.T, s signet.Store) {
	c := newClock()
	tests := []struct {
		name string
		u    signet.User
	}{
		{"no id", signet.User{Email: "x@example.com", CreatedAt: c.Now(), UpdatedAt: c.Now()}},
		{"no email", signet.User{ID: signet.NewID(), CreatedAt: c.Now(), UpdatedAt: c.Now()}},
		{"blank email", signet.User{ID: signet.NewID(), Email: "  ", CreatedAt: c.Now(), UpdatedAt: c.Now()}},
		{"no times", signet.User{ID: signet.NewID(), Email: "y@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, s.CreateUser(t.Context(), tt.u), signet.ErrInvalid)
		})
	}
	list, err := s.ListUsers(t.Context(), signet.UserFilter{})
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("invalid users were stored: %+v", list)
	}
}

func testUpdateUser(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "erin@example.com", "user")
	c.Advance(time.Second)
	later := c.Now()

	got, err := s.UpdateUser(t.Context(), u.ID, func(old signet.User) (signet.UserUpdate, error) {
		wantEqual(t, "fn's user", old, u)
		old.ID, old.CreatedAt = "ignored", later // immutable: must be kept
		old.Email = " Erin.New@Example.com "
		old.Name, old.Roles, old.Disabled = "Erin N.", []string{"user", "editor"}, true
		old.PasswordHash, old.UpdatedAt = "$argon2id$v=19$m=65536,t=3,p=4$bmV3$bmV3", later
		return signet.UserUpdate{User: old}, nil
	})
	must(t, err)

	want := u
	want.Email, want.Name, want.Roles, want.Disabled = "erin.new@example.com", "Erin N.", []string{"user", "editor"}, true
	want.PasswordHash, want.UpdatedAt = "$argon2id$v=19$m=65536,t=3,p=4$bmV3$bmV3", later
	wantEqual(t, "UpdateUser result", got, want)
	stored, err := s.UserByEmail(t.Context(), "erin.new@example.com")
	must(t, err)
	wantEqual(t, "stored user", stored, want)
	_, err = s.UserByEmail(t.Context(), "erin@example.com")
	wantErr(t, err, signet.ErrNotFound)
}

func testUpdateUserRefused(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "frank@example.com")
	createUser(t, s, c, "grace@example.com")
	errMine := errors.New("refused by the caller")
	tests := []struct {
		name   string
		change func(*signet.User)
		fnErr  error
		want   error
	}{
		{"fn error returned as is", func(u *signet.User) { u.Name = "changed" }, errMine, errMine},
		{"email taken", func(u *signet.User) { u.Email = "GRACE@example.com" }, nil, signet.ErrConflict},
		{"email emptied", func(u *signet.User) { u.Email = "" }, nil, signet.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.UpdateUser(t.Context(), u.ID, func(old signet.User) (signet.UserUpdate, error) {
				tt.change(&old)
				return signet.UserUpdate{User: old}, tt.fnErr
			})
			wantErr(t, err, tt.want)
			got, err := s.User(t.Context(), u.ID)
			must(t, err)
			wantEqual(t, "user after a refused update", got, u)
		})
	}
}

// testUpdateUserRevokes: a password change ends the other sessions and a
// disabled account ends them all, with their feed entries, in the update's
// transaction.
func testUpdateUserRevokes(t *testing.T, s signet.Store) {
	c := newClock()
	u := createUser(t, s, c, "heidi@example.com")
	keep, _ := createSession(t, s, c, u)
	other1, _ := createSession(t, s, c, u)
	other2, _ := createSession(t, s, c, u)

	_, err := s.UpdateUser(t.Context(), u.ID, func(old signet.User) (signet.UserUpdate, error) {
		old.PasswordHash = "$argon2id$v=19$m=65536,t=3,p=4$c2Fsdg$bmV3"
		return signet.UserUpdate{User: old, Revoke: &signet.SessionRevocation{
			KeepSessionID: keep.ID, At: c.Now(), FeedUntil: c.After(accessTTL)}}, nil
	})
	must(t, err)
	live, err := s.ListSessions(t.Context(), u.ID, c.Now())
	must(t, err)
	wantEqual(t, "live sessions after password change", ids(live), []string{keep.ID})
	wantEqual(t, "feed after password change", sorted(feed(t, s)...), sorted("sid:"+other1.ID, "sid:"+other2.ID))

	c.Advance(time.Second)
	_, err = s.UpdateUser(t.Context(), u.ID, func(old signet.User) (signet.UserUpdate, error) {
		old.Disabled = true
		return signet.UserUpdate{User: old, Revoke: &signet.SessionRevocation{
			At: c.Now(), FeedUntil: c.After(accessTTL), BySubject: true}}, nil
	})
	must(t, err)
	live, err = s.ListSessions(t.Context(), u.ID, c.Now())
	must(t, err)
	if len(live) != 0 {
		t.Fatalf("sessions still live after disabling: %v", ids(live))
	}
	wantEqual(t, "feed after disabling", sorted(feed(t, s)...),
		sorted("sid:"+other1.ID, "sid:"+other2.ID, "sid:"+keep.ID, "sub:"+u.ID))
}

func testListUsers(t *testing.T, s signet.Store) {
	c := newClock()
	emails := []string{"mallory@example.com", "ivan@example.com", "judy@example.com", "kim@example.com", "leo@example.com"}
	byEmail := map[string]signet.User{}
	for _, e := range emails {
		byEmail[e] = createUser(t, s, c, e)
	}
	var got []string
	after := ""
	for page := 0; page < 10; page++ {
		list, err := s.ListUsers(t.Context(), signet.UserFilter{AfterEmail: after, Limit: 2})
		must(t, err)
		if len(list) > 2 {
			t.Fatalf("page of %d users, limit 2", len(list))
		}
		if len(list) == 0 {
			break
		}
		for _, u := range list {
			wantEqual(t, "listed user", u, byEmail[u.Email])
			got = append(got, u.Email)
		}
		after = list[len(list)-1].Email
	}
	wantEqual(t, "emails over every page", got, sorted(emails...))
}
