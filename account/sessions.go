package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// Logout ends the session of the access token c (or, with all, every
// session of its user) and revokes the access tokens they issued: one "sid"
// entry per ended session and, with all, one "sub" entry cutting off every
// token of the user issued up to now. A token without a session has its own "jti" entry.
// Logging out twice is not an error.
func (s *Service) Logout(ctx context.Context, c *jose.Claims, all bool) error {
	now := s.now()
	r := signet.SessionRevocation{SessionID: c.SessionID, At: now, FeedUntil: s.feedUntil(now), BySubject: all}
	if all {
		r.SessionID = ""
	} else if c.SessionID == "" {
		return s.revokeToken(ctx, c, now)
	}
	ended, err := s.store.RevokeSessions(ctx, c.Subject, r)
	if err != nil && !errors.Is(err, signet.ErrNotFound) { // a purged session ended long ago
		return internal("ending the session", err)
	}
	s.remember(revokedEntries(c.Subject, r, ended)...)
	s.event(ctx, slog.LevelInfo, evLogout, "logout", userAttr(c.Subject), sessionAttr(c.SessionID),
		slog.Bool("all", all), slog.Int("sessions_ended", len(ended)))
	return nil
}

// revokeToken revokes one access token by its jti until it expires.
func (s *Service) revokeToken(ctx context.Context, c *jose.Claims, now time.Time) error {
	until := c.ExpiresAt.Time().Add(s.cfg.Leeway)
	stored, err := s.store.AddRevocations(ctx, signet.Revocation{Kind: signet.RevokeJTI, Value: c.ID,
		ExpiresAt: until, CreatedAt: now})
	if err != nil {
		return internal("revoking the token", err)
	}
	for _, r := range stored {
		s.remember(entryOf(r))
	}
	s.event(ctx, slog.LevelInfo, evLogout, "logout", userAttr(c.Subject), slog.String("jti", c.ID))
	return nil
}

// Sessions lists the active sessions of c's user, newest first, marking the
// one c belongs to.
func (s *Service) Sessions(ctx context.Context, c *jose.Claims) ([]SessionView, error) {
	list, err := s.store.ListSessions(ctx, c.Subject, s.now())
	if err != nil {
		return nil, internal("listing sessions", err)
	}
	out := make([]SessionView, 0, len(list))
	for _, sess := range list {
		out = append(out, SessionView{ID: sess.ID, ClientID: sess.ClientID, CreatedAt: sess.CreatedAt,
			LastUsedAt: sess.LastUsedAt, UserAgent: sess.UserAgent, Current: sess.ID == c.SessionID})
	}
	return out, nil
}

// RevokeSession ends one session of c's user and revokes its access tokens.
// A session that does not exist or belongs to someone else returns an error
// matching signet.ErrNotFound (the two are not told apart); revoking an
// ended session again is not an error.
func (s *Service) RevokeSession(ctx context.Context, c *jose.Claims, sessionID string) error {
	now := s.now()
	r := signet.SessionRevocation{SessionID: sessionID, At: now, FeedUntil: s.feedUntil(now)}
	if sessionID == "" {
		return signet.Errorf(signet.ENOTFOUND, "session not found")
	}
	ended, err := s.store.RevokeSessions(ctx, c.Subject, r)
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return signet.Errorf(signet.ENOTFOUND, "session not found")
	case err != nil:
		return internal("ending the session", err)
	}
	s.remember(revokedEntries(c.Subject, r, ended)...)
	s.event(ctx, slog.LevelInfo, evSessionRevoked, "session revoked", userAttr(c.Subject),
		sessionAttr(sessionID), slog.String("by_session_id", c.SessionID))
	return nil
}

// Me returns the profile of c's user, with the scope and session of c. A
// user that no longer exists or is disabled makes the token invalid. The
// profile may come from a cache (see profileCache): it reflects every change
// made before c was issued, and changes made since through another instance
// within PollEvery.
func (s *Service) Me(ctx context.Context, c *jose.Claims) (Profile, error) {
	u, err := s.profileUser(ctx, c)
	switch {
	case errors.Is(err, signet.ErrNotFound):
		return Profile{}, fmt.Errorf("%w: the account no longer exists", ErrInvalidToken)
	case err != nil:
		return Profile{}, internal("reading the account", err)
	case u.Disabled:
		return Profile{}, fmt.Errorf("%w: %w", ErrInvalidToken, ErrAccountDisabled)
	}
	return profileOf(u, c), nil
}

// profileOf is the public view of u; c, when given, adds the token's scope
// and session.
func profileOf(u signet.User, c *jose.Claims) Profile {
	p := Profile{Sub: u.ID, Email: u.Email, Name: u.Name, Roles: slices.Clone(u.Roles), CreatedAt: u.CreatedAt}
	if p.Roles == nil {
		p.Roles = []string{}
	}
	if c != nil {
		p.Scope, p.SessionID = c.Scope, c.SessionID
	}
	return p
}
