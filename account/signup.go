package account

import (
	"context"
	"errors"
	"log/slog"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/throttle"
)

// Signup creates an account with Config.DefaultRoles. A malformed email, a
// name that is too long or a password the policy refuses return an error
// matching signet.ErrInvalid with a message for the person signing up; a
// taken email returns one matching signet.ErrConflict (the one disclosure
// the flow needs, SECURITY.md rule 9), counted by the per-address throttle
// like a failed login, and a throttled address gets *ThrottledError.
func (s *Service) Signup(ctx context.Context, r SignupRequest, m Meta) (Profile, error) {
	attempt := throttle.Attempt{Address: m.ClientIP}
	if err := s.throttled(ctx, attempt, m, "signup"); err != nil {
		return Profile{}, err
	}
	u, err := s.createUser(ctx, r.Email, r.Password, r.Name, s.cfg.DefaultRoles)
	if errors.Is(err, signet.ErrConflict) {
		if _, ferr := s.limiter.Fail(ctx, attempt); ferr != nil {
			s.warn(ctx, "counting a refused signup failed", ferr)
		}
		s.event(ctx, slog.LevelInfo, evSignupRefused, "signup refused: email taken", ipAttr(m.ClientIP))
	}
	if err != nil {
		return Profile{}, err
	}
	s.event(ctx, slog.LevelInfo, evSignup, "account created", userAttr(u.ID), ipAttr(m.ClientIP))
	return profileOf(u, nil), nil
}

// createUser validates and stores a new account. It hashes the password
// before looking at the store, so a taken email costs as much as a new one.
func (s *Service) createUser(ctx context.Context, rawEmail, pw, rawName string, roles []string) (signet.User, error) {
	email, err := emailAddress(rawEmail)
	if err != nil {
		return signet.User{}, err
	}
	name, err := displayName(rawName, s.cfg.MaxNameLength)
	if err != nil {
		return signet.User{}, err
	}
	if roles, err = roleList(roles); err != nil {
		return signet.User{}, err
	}
	if err := s.checkPassword(pw, email, name); err != nil {
		return signet.User{}, err
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return signet.User{}, internal("hashing the password", err)
	}
	now := s.now()
	u := signet.User{ID: signet.NewID(), Email: email, Name: name, PasswordHash: hash, Roles: roles,
		CreatedAt: now, UpdatedAt: now}
	err = s.store.CreateUser(ctx, u)
	switch {
	case errors.Is(err, signet.ErrConflict):
		return signet.User{}, signet.Errorf(signet.ECONFLICT, "an account with this email address already exists")
	case err != nil:
		return signet.User{}, internal("creating the account", err)
	}
	return u, nil
}
