package account

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/throttle"
)

// NewUser is an account the CLI creates (`signet user add`).
type NewUser struct {
	Email    string
	Password string
	Name     string
	Roles    []string // nil means Config.DefaultRoles
}

// UserInfo is an account as the CLI shows it. It holds no password hash.
type UserInfo struct {
	ID        string
	Email     string
	Name      string
	Roles     []string
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

func infoOf(u signet.User) UserInfo {
	return UserInfo{ID: u.ID, Email: u.Email, Name: u.Name, Roles: slices.Clone(u.Roles),
		Disabled: u.Disabled, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

// AddUser creates an account with the given roles, under the same rules as
// Signup (email shape, name length, password policy) but without throttling.
// A taken email returns an error matching signet.ErrConflict.
func (s *Service) AddUser(ctx context.Context, nu NewUser) (UserInfo, error) {
	roles := nu.Roles
	if roles == nil {
		roles = s.cfg.DefaultRoles
	}
	u, err := s.createUser(ctx, nu.Email, nu.Password, nu.Name, roles)
	if err != nil {
		return UserInfo{}, err
	}
	s.event(ctx, slog.LevelInfo, evUserAdded, "account added by an administrator", userAttr(u.ID),
		slog.Any("roles", u.Roles))
	return infoOf(u), nil
}

// FindUser returns the account named by ref: an email (anything holding
// "@") or a user id. An unknown one returns an error matching
// signet.ErrNotFound.
func (s *Service) FindUser(ctx context.Context, ref string) (UserInfo, error) {
	var u signet.User
	var err error
	if strings.Contains(ref, "@") {
		u, err = s.store.UserByEmail(ctx, ref)
	} else {
		u, err = s.store.User(ctx, ref)
	}
	if err != nil {
		return UserInfo{}, storeErr("finding the account", err)
	}
	return infoOf(u), nil
}

// ListUsers returns a page of accounts in email order, after afterEmail (""
// for the first page), at most limit (0 for the store's default).
func (s *Service) ListUsers(ctx context.Context, afterEmail string, limit int) ([]UserInfo, error) {
	list, err := s.store.ListUsers(ctx, signet.UserFilter{AfterEmail: signet.NormalizeEmail(afterEmail), Limit: limit})
	if err != nil {
		return nil, internal("listing accounts", err)
	}
	out := make([]UserInfo, 0, len(list))
	for _, u := range list {
		out = append(out, infoOf(u))
	}
	return out, nil
}

// SetDisabled disables or enables an account. Disabling ends every session
// and cuts off every access token of the user (a "sub" revocation entry), in
// the same store call; a disabled account cannot log in or refresh.
func (s *Service) SetDisabled(ctx context.Context, userID string, disabled bool) error {
	now := s.now()
	var revoke *signet.SessionRevocation
	u, err := s.updateUser(ctx, userID, func(cur signet.User) (signet.UserUpdate, error) {
		if disabled && !cur.Disabled {
			revoke = &signet.SessionRevocation{At: now, FeedUntil: s.feedUntil(now), BySubject: true}
		}
		cur.Disabled, cur.UpdatedAt = disabled, now
		return signet.UserUpdate{User: cur, Revoke: revoke}, nil
	})
	if err != nil {
		return storeErr("updating the account", err)
	}
	if revoke != nil {
		s.syncRevoked(ctx, u.ID, *revoke)
	}
	name, msg := evUserEnabled, "account enabled"
	if disabled {
		name, msg = evUserDisabled, "account disabled; every session ended"
	}
	s.event(ctx, slog.LevelInfo, name, msg, userAttr(u.ID))
	return nil
}

// SetRoles replaces the roles of an account. Tokens already issued keep
// their roles until they expire (at most AccessTTL); refreshes take the new
// roles, and the scopes of roles taken away. Use RevokeUser as well to cut
// access at once.
func (s *Service) SetRoles(ctx context.Context, userID string, roles []string) error {
	roles, err := roleList(roles)
	if err != nil {
		return err
	}
	now := s.now()
	_, err = s.updateUser(ctx, userID, func(cur signet.User) (signet.UserUpdate, error) {
		cur.Roles, cur.UpdatedAt = roles, now
		return signet.UserUpdate{User: cur}, nil
	})
	if err != nil {
		return storeErr("updating the account", err)
	}
	s.event(ctx, slog.LevelInfo, evUserRoles, "account roles changed", userAttr(userID), slog.Any("roles", roles))
	return nil
}

// SetPassword sets an account's password (an administrator's reset): the
// policy applies, every session ends, every access token of the user is cut
// off, and the account's login throttle is cleared.
func (s *Service) SetPassword(ctx context.Context, userID, pw string) error {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return storeErr("reading the account", err)
	}
	if err := s.setPassword(ctx, u, pw, &signet.SessionRevocation{BySubject: true}); err != nil {
		return err
	}
	if err := s.limiter.Succeed(ctx, throttle.Attempt{Email: u.Email}); err != nil {
		s.warn(ctx, "resetting the login throttle failed", err)
	}
	s.event(ctx, slog.LevelInfo, evUserPassword, "password set by an administrator; every session ended", userAttr(u.ID))
	return nil
}

// RevokeUser ends every session of an account and cuts off every access
// token issued to it so far, leaving the account usable: its owner logs in
// again.
func (s *Service) RevokeUser(ctx context.Context, userID string) error {
	if _, err := s.store.User(ctx, userID); err != nil {
		return storeErr("reading the account", err)
	}
	now := s.now()
	r := signet.SessionRevocation{At: now, FeedUntil: s.feedUntil(now), BySubject: true}
	ended, err := s.store.RevokeSessions(ctx, userID, r)
	if err != nil {
		return internal("ending the sessions", err)
	}
	s.remember(revokedEntries(userID, r, ended)...)
	s.event(ctx, slog.LevelInfo, evUserRevoked, "every session of the account ended", userAttr(userID),
		slog.Int("sessions_ended", len(ended)))
	return nil
}

// storeErr passes the store's not-found, conflict and invalid errors on (their
// messages are for people) and wraps anything else as internal.
func storeErr(what string, err error) error {
	if errors.Is(err, signet.ErrNotFound) || errors.Is(err, signet.ErrConflict) || errors.Is(err, signet.ErrInvalid) {
		return err
	}
	return internal(what, err)
}
