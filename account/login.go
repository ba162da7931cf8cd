package account

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/throttle"
	"github.com/signet-dev/signet/token"
)

// Why a login failed; logged, never told to the client.
const (
	reasonUnknownEmail = "unknown_email"
	reasonBadPassword  = "bad_password"
	reasonDisabled     = "disabled"
	reasonScope        = "scope"
)

// Login checks an email and password and opens a session. Unknown email,
// wrong password and disabled account all return ErrInvalidCredentials after
// exactly one argon2id computation (SECURITY.md rule 9). A throttled attempt
// returns *ThrottledError before any hash. A scope the user's roles do not
// grant returns ErrScope. On success the response carries an access token, an
// ID token and the session's first refresh token.
func (s *Service) Login(ctx context.Context, r LoginRequest, m Meta) (TokenResponse, error) {
	attempt := throttle.Attempt{Email: r.Email, Address: m.ClientIP}
	u, err := s.passwordStep(ctx, attempt, r.Password, m)
	if err != nil {
		return TokenResponse{}, err
	}
	scope, err := chooseScope(r.Scope, s.granted(u.Roles))
	if err != nil {
		s.event(ctx, slog.LevelInfo, evLoginFailed, "login refused", userAttr(u.ID), ipAttr(m.ClientIP), reasonAttr(reasonScope))
		return TokenResponse{}, err
	}
	resp, sess, err := s.openSession(ctx, u, scope, m)
	if err != nil {
		return TokenResponse{}, err
	}
	if err := s.limiter.Succeed(ctx, attempt); err != nil {
		s.warn(ctx, "resetting the login throttle failed", err)
	}
	s.event(ctx, slog.LevelInfo, evLoginOK, "login succeeded", userAttr(u.ID), sessionAttr(sess.ID), ipAttr(m.ClientIP))
	return resp, nil
}

// passwordStep is the password step of every login (the first-party API
// and the login page): the throttle, then exactly one argon2id computation;
// a failure is counted and logged, and returned as ErrInvalidCredentials.
func (s *Service) passwordStep(ctx context.Context, attempt throttle.Attempt, pw string, m Meta) (signet.User, error) {
	if err := s.throttled(ctx, attempt, m, "login"); err != nil {
		return signet.User{}, err
	}
	u, reason, err := s.authenticatePassword(ctx, signet.NormalizeEmail(attempt.Email), pw)
	if err != nil {
		return signet.User{}, err
	}
	if reason != "" {
		s.loginFailed(ctx, attempt, m, u.ID, reason)
		return signet.User{}, ErrInvalidCredentials
	}
	return u, nil
}

// throttled returns *ThrottledError if the attempt is locked out, logging
// the event; what names the flow ("login", "signup").
func (s *Service) throttled(ctx context.Context, a throttle.Attempt, m Meta, what string) error {
	err := s.limiter.Check(ctx, a)
	var locked *throttle.LockedError
	if errors.As(err, &locked) {
		s.event(ctx, slog.LevelWarn, evThrottled, what+" throttled", ipAttr(m.ClientIP),
			slog.String("scope", string(locked.Scope)), slog.Duration("retry_after", locked.RetryAfter))
		return &ThrottledError{RetryAfter: locked.RetryAfter}
	}
	if err != nil {
		return internal("login throttle", err)
	}
	return nil
}

// loginFailed counts the failure and logs it.
func (s *Service) loginFailed(ctx context.Context, a throttle.Attempt, m Meta, userID, reason string) {
	lock, err := s.limiter.Fail(ctx, a)
	if err != nil {
		s.warn(ctx, "counting a failed login failed", err)
	}
	attrs := []slog.Attr{ipAttr(m.ClientIP), reasonAttr(reason)}
	if userID != "" {
		attrs = append(attrs, userAttr(userID))
	}
	if lock > 0 {
		attrs = append(attrs, slog.Duration("locked_for", lock))
	}
	s.event(ctx, slog.LevelWarn, evLoginFailed, "login failed", attrs...)
}

// authenticatePassword finds the account of email and checks pw, doing
// exactly one argon2id computation whatever the outcome. reason is empty on
// success; otherwise the user (zero for an unknown email) did not pass.
func (s *Service) authenticatePassword(ctx context.Context, email, pw string) (signet.User, string, error) {
	u, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, signet.ErrNotFound) || (err == nil && email == "") {
		s.hasher.VerifyDummy(pw)
		return signet.User{}, reasonUnknownEmail, nil
	}
	if err != nil {
		return signet.User{}, "", internal("finding the account", err)
	}
	ok, rehash := s.verifyHash(u, pw)
	switch {
	case !ok:
		return u, reasonBadPassword, nil
	case u.Disabled:
		return u, reasonDisabled, nil
	case rehash:
		s.rehash(ctx, u, pw)
	}
	return u, "", nil
}

// verifyHash checks pw against u's stored hash with one argon2id
// computation; an account without a usable hash gets the dummy computation
// and never matches.
func (s *Service) verifyHash(u signet.User, pw string) (ok, rehash bool) {
	if u.PasswordHash == "" {
		s.hasher.VerifyDummy(pw)
		return false, false
	}
	ok, rehash, err := s.hasher.Verify(pw, u.PasswordHash)
	if err != nil { // a malformed stored hash: no argon2id ran yet
		s.hasher.VerifyDummy(pw)
		return false, false
	}
	return ok, rehash
}

// rehash stores a hash of pw under the current parameters, unless the
// password changed meanwhile. A failure is logged: the login goes on.
func (s *Service) rehash(ctx context.Context, u signet.User, pw string) {
	h, err := s.hasher.Hash(pw)
	if err == nil {
		_, err = s.updateUser(ctx, u.ID, func(cur signet.User) (signet.UserUpdate, error) {
			if cur.PasswordHash == u.PasswordHash {
				cur.PasswordHash, cur.UpdatedAt = h, s.now()
			}
			return signet.UserUpdate{User: cur}, nil
		})
	}
	if err != nil {
		s.warn(ctx, "upgrading a password hash failed", err)
		return
	}
	s.event(ctx, slog.LevelInfo, evPasswordRehash, "password hash upgraded", userAttr(u.ID))
}

// openSession creates a first-party session for u with its first refresh
// token, in one store call, and signs the token response.
func (s *Service) openSession(ctx context.Context, u signet.User, scope string, m Meta) (TokenResponse, signet.Session, error) {
	sg, err := s.signers()
	if err != nil {
		return TokenResponse{}, signet.Session{}, err
	}
	now := s.now()
	sess := signet.Session{ID: signet.NewID(), UserID: u.ID, ClientID: s.cfg.FirstPartyClientID, Scope: scope,
		UserAgent: userAgent(m.UserAgent), CreatedAt: now, LastUsedAt: now, AuthTime: now,
		ExpiresAt: now.Add(s.cfg.RefreshAbsoluteTTL)}
	sess.IdleExpiresAt = s.idleExpiry(now, sess.ExpiresAt)
	refresh, hash := token.NewRefreshToken()
	first := signet.RefreshToken{Hash: hash, CreatedAt: now, ExpiresAt: sess.IdleExpiresAt}
	if err := s.store.CreateSession(ctx, sess, first); err != nil {
		return TokenResponse{}, signet.Session{}, internal("creating the session", err)
	}
	resp, err := s.issue(sg, u, sess, scope, refresh, now)
	return resp, sess, err
}

// idleExpiry is a session's idle expiry after use at now: RefreshIdleTTL
// later, never past the absolute expiry.
func (s *Service) idleExpiry(now, absolute time.Time) time.Time {
	if idle := now.Add(s.cfg.RefreshIdleTTL); idle.Before(absolute) {
		return idle
	}
	return absolute
}
