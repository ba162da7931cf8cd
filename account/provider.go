package account

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/throttle"
)

// This file is what the OpenID provider (package oauth2) needs of the
// service, so that both speak one set of rules: the same password step and
// throttle as /v1/login, the same refresh rotation and reuse detection as
// /v1/refresh, the same in-memory revocation set as Authenticate.

// Settings returns the service's configuration with its defaults applied.
func (s *Service) Settings() Config { return s.cfg }

// GrantedScopes returns the scopes the roles grant through
// Config.RoleScopes.
func (s *Service) GrantedScopes(roles []string) []string { return s.granted(roles) }

// Revoked reports whether the revocation set refuses a token with claims c
// (its jti, its sid, or its subject cut-off).
func (s *Service) Revoked(c *jose.Claims) bool { return s.revoked.Revoked(c) }

// FeedUntil is when a revocation entry written at now may expire: after the
// last access token issued before it, leeway included.
func (s *Service) FeedUntil(now time.Time) time.Time { return s.feedUntil(now) }

// CheckPassword is the password step of the login page: the brute-force
// throttle, then exactly one argon2id computation, as Login does. Unknown
// email, wrong password and disabled account return ErrInvalidCredentials;
// a throttled attempt *ThrottledError.
func (s *Service) CheckPassword(ctx context.Context, email, pw string, m Meta) (signet.User, error) {
	attempt := throttle.Attempt{Email: email, Address: m.ClientIP}
	u, err := s.passwordStep(ctx, attempt, pw, m)
	if err != nil {
		return signet.User{}, err
	}
	if err := s.limiter.Succeed(ctx, attempt); err != nil {
		s.warn(ctx, "resetting the login throttle failed", err)
	}
	s.event(ctx, slog.LevelInfo, evLoginOK, "login succeeded", userAttr(u.ID), ipAttr(m.ClientIP), slog.String("via", "login page"))
	return u, nil
}

// RotateFor rotates a refresh token of the OAuth client clientID under the
// rules of Refresh (rotation, grace-window siblings, reuse revoking the
// session); a token of another client, like every other refusal, is
// ErrInvalidGrant. The caller issues the new tokens.
func (s *Service) RotateFor(ctx context.Context, clientID, refreshToken string, m Meta) (Rotated, error) {
	return s.rotate(ctx, clientID, refreshToken, m)
}

// SessionsEnded takes into the revocation set at once the entries the store
// wrote, at the given time, for sessions it ended (a replayed authorization
// code, a removed client, a revoked consent), and logs the event.
func (s *Service) SessionsEnded(ctx context.Context, ended []signet.Session, at time.Time, why string) {
	if len(ended) == 0 {
		return
	}
	s.remember(revokedEntries("", signet.SessionRevocation{At: at, FeedUntil: s.feedUntil(at)}, ended)...)
	for _, sess := range ended {
		s.event(ctx, slog.LevelInfo, evSessionRevoked, "session revoked", userAttr(sess.UserID),
			sessionAttr(sess.ID), slog.String("client_id", sess.ClientID), reasonAttr(why))
	}
}

// EndSession ends one session of the user and revokes its access tokens,
// as RevokeSession does for the first-party API. A session that does not
// exist or is not the user's is ignored (RFC 7009 section 2.2).
func (s *Service) EndSession(ctx context.Context, userID, sessionID, why string) error {
	now := s.now()
	ended, err := s.store.RevokeSessions(ctx, userID, signet.SessionRevocation{SessionID: sessionID, At: now, FeedUntil: s.feedUntil(now)})
	if err != nil && !errors.Is(err, signet.ErrNotFound) {
		return internal("ending the session", err)
	}
	s.SessionsEnded(ctx, ended, now, why)
	return nil
}

// RevokeAccessToken revokes one access token by its jti until it expires.
func (s *Service) RevokeAccessToken(ctx context.Context, c *jose.Claims) error {
	return s.revokeToken(ctx, c, s.now())
}

// Remember takes entries the caller has just stored into the revocation set
// at once, as the service does with its own.
func (s *Service) Remember(stored ...signet.Revocation) {
	for _, r := range stored {
		s.remember(entryOf(r))
	}
}
