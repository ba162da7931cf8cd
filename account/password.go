package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/throttle"
)

// ChangePassword replaces the password of c's user after checking the
// current one, and ends every other session of the user (their access tokens
// too), keeping the one c belongs to. A wrong current password returns
// ErrInvalidCredentials and counts against the account's throttle, so a
// stolen access token cannot be used to guess the password; a locked
// account gets *ThrottledError. The new password must pass the policy
// (signet.ErrInvalid with a message) and differ from the current one.
func (s *Service) ChangePassword(ctx context.Context, c *jose.Claims, current, next string) error {
	u, err := s.activeUser(ctx, c.Subject)
	if err != nil {
		return err
	}
	attempt := throttle.Attempt{Email: u.Email}
	if err := s.throttled(ctx, attempt, Meta{}, "password change"); err != nil {
		return err
	}
	if ok, _ := s.verifyHash(u, current); !ok {
		if _, err := s.limiter.Fail(ctx, attempt); err != nil {
			s.warn(ctx, "counting a failed password change failed", err)
		}
		s.event(ctx, slog.LevelWarn, evPasswordFailed, "password change refused: wrong current password",
			userAttr(u.ID), sessionAttr(c.SessionID))
		return fmt.Errorf("current password: %w", ErrInvalidCredentials)
	}
	if current == next {
		return invalid(nil, "choose a new password different from the current one")
	}
	if err := s.setPassword(ctx, u, next, &signet.SessionRevocation{KeepSessionID: c.SessionID}); err != nil {
		return err
	}
	if err := s.limiter.Succeed(ctx, attempt); err != nil {
		s.warn(ctx, "resetting the login throttle failed", err)
	}
	s.event(ctx, slog.LevelInfo, evPasswordChanged, "password changed; other sessions ended",
		userAttr(u.ID), sessionAttr(c.SessionID))
	return nil
}

// activeUser reads the user a bearer token names; a missing or disabled
// user makes the token invalid.
func (s *Service) activeUser(ctx context.Context, id string) (signet.User, error) {
	u, err := s.store.User(ctx, id)
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return u, fmt.Errorf("%w: the account no longer exists", ErrInvalidToken)
	case err != nil:
		return u, internal("reading the account", err)
	case u.Disabled:
		return u, fmt.Errorf("%w: %w", ErrInvalidToken, ErrAccountDisabled)
	}
	return u, nil
}

// setPassword vets and hashes pw and stores it for u, ending sessions as
// revoke says (its time and feed expiry are filled in), in one store call.
// It refuses, with signet.ErrConflict, to overwrite a password that changed
// since u was read. The revocation entries the store wrote are read into the
// revocation set before it returns.
func (s *Service) setPassword(ctx context.Context, u signet.User, pw string, revoke *signet.SessionRevocation) error {
	if err := s.checkPassword(pw, u.Email, u.Name); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return internal("hashing the password", err)
	}
	now := s.now()
	revoke.At, revoke.FeedUntil = now, s.feedUntil(now)
	_, err = s.updateUser(ctx, u.ID, func(cur signet.User) (signet.UserUpdate, error) {
		if cur.PasswordHash != u.PasswordHash {
			return signet.UserUpdate{}, signet.Errorf(signet.ECONFLICT, "the password was changed meanwhile; try again")
		}
		cur.PasswordHash, cur.UpdatedAt = hash, now
		return signet.UserUpdate{User: cur, Revoke: revoke}, nil
	})
	switch {
	case errors.Is(err, signet.ErrConflict), errors.Is(err, signet.ErrNotFound):
		return err
	case err != nil:
		return internal("storing the password", err)
	}
	s.syncRevoked(ctx, u.ID, *revoke)
	return nil
}

// syncRevoked brings into the revocation set the entries that a change of
// the user (UpdateUser with a SessionRevocation) just wrote: the "sub" entry
// at once, and the "sid" entries of the sessions it ended, which only the
// store knows, by a Sync (if that fails, Run retries within PollEvery).
func (s *Service) syncRevoked(ctx context.Context, userID string, r signet.SessionRevocation) {
	s.remember(revokedEntries(userID, r, nil)...)
	if err := s.Sync(ctx); err != nil {
		s.warn(ctx, "reading the revocation feed failed", err)
	}
}
