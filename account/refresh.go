package account

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/token"
)

// refusal is why a RotateFunc refused a token, with the ids to log; it rolls
// the transaction back and becomes ErrInvalidGrant.
type refusal struct{ reason, userID, sessionID string }

func (r *refusal) Error() string { return "refresh refused: " + r.reason }

func refuse(reason string, sess signet.Session) *refusal {
	return &refusal{reason: reason, userID: sess.UserID, sessionID: sess.ID}
}

// Refresh rotates a refresh token and returns a new token response (PRODUCT.md
// "Refresh races"): a current token is replaced; a token rotated less than
// RefreshGrace ago yields a sibling in the same session, both staying valid;
// a token rotated before that is reuse, and the whole session is revoked
// (access tokens included, through the revocation feed). Reuse, an unknown
// or expired token, a revoked or expired session and a disabled account all
// return ErrInvalidGrant. Refresh is never throttled: the token is 256
// random bits.
func (s *Service) Refresh(ctx context.Context, refreshToken string, m Meta) (TokenResponse, error) {
	sg, err := s.signers()
	if err != nil {
		return TokenResponse{}, err
	}
	r, err := s.rotate(ctx, s.cfg.FirstPartyClientID, refreshToken, m)
	if err != nil {
		return TokenResponse{}, err
	}
	return s.issue(sg, r.User, r.Session, r.Scope, r.RefreshToken, r.At)
}

// Rotated is a refresh token rotated by RotateFor: the new refresh token,
// the session and user it belongs to, the scope the new tokens carry (the
// session's, narrowed to what the user's roles still grant) and the time of
// the rotation, to issue the new tokens at.
type Rotated struct {
	RefreshToken string
	Session      signet.Session
	User         signet.User
	Scope        string
	At           time.Time
}

// rotate is the rotation of Refresh for the token's client, which must be
// clientID: a current token is replaced, a sibling is issued within the
// grace window, reuse after it revokes the session. Every refusal is
// ErrInvalidGrant.
func (s *Service) rotate(ctx context.Context, clientID, refreshToken string, m Meta) (Rotated, error) {
	if !token.LooksLikeRefreshToken(refreshToken) {
		s.event(ctx, slog.LevelInfo, evRefreshRefused, "refresh refused", ipAttr(m.ClientIP), reasonAttr("malformed"))
		return Rotated{}, ErrInvalidGrant
	}
	next, nextHash := token.NewRefreshToken()
	now := s.now()
	res, err := s.store.RotateRefreshToken(ctx, signet.HashRefreshToken(refreshToken),
		func(tok signet.RefreshToken, sess signet.Session, u signet.User) (signet.Rotation, error) {
			return s.rotation(clientID, tok, sess, u, now, nextHash)
		})
	if err != nil {
		return Rotated{}, s.refreshRefused(ctx, err, m)
	}
	if res.Issued == nil { // reuse: the session was revoked
		s.remember(revokedEntries(res.User.ID, signet.SessionRevocation{At: now, FeedUntil: s.feedUntil(now)}, res.Revoked)...)
		s.event(ctx, slog.LevelWarn, evRefreshReuse, "refresh token reuse: session revoked",
			userAttr(res.User.ID), sessionAttr(res.Session.ID), ipAttr(m.ClientIP))
		return Rotated{}, ErrInvalidGrant
	}
	scope := narrow(res.Session.Scope, s.granted(res.User.Roles))
	return Rotated{RefreshToken: next, Session: res.Session, User: res.User, Scope: scope, At: now}, nil
}

// rotation is the RotateFunc of Refresh: what presenting tok at now means.
// It runs under the store's write lock and only compares.
func (s *Service) rotation(clientID string, tok signet.RefreshToken, sess signet.Session, u signet.User, now time.Time, nextHash []byte) (signet.Rotation, error) {
	switch {
	case tok.ClientID != clientID:
		return signet.Rotation{}, refuse("issued to another client", sess)
	case sess.Revoked():
		return signet.Rotation{}, refuse("session revoked", sess)
	case !sess.Active(now):
		return signet.Rotation{}, refuse("session expired", sess)
	case u.Disabled:
		return signet.Rotation{}, refuse("account disabled", sess)
	case tok.Rotated() && !tok.InGrace(now, s.cfg.RefreshGrace):
		return signet.Rotation{Revoke: &signet.SessionRevocation{SessionID: sess.ID, At: now, FeedUntil: s.feedUntil(now)}}, nil
	case !now.Before(tok.ExpiresAt):
		return signet.Rotation{}, refuse("token expired", sess)
	}
	idle := s.idleExpiry(now, sess.ExpiresAt)
	issue := &signet.RefreshToken{Hash: nextHash, CreatedAt: now, ExpiresAt: idle}
	return signet.Rotation{At: now, Issue: issue, IdleExpiresAt: idle}, nil
}

// refreshRefused logs a refused refresh and returns the error for the
// client: ErrInvalidGrant, or an internal error when the store failed.
func (s *Service) refreshRefused(ctx context.Context, err error, m Meta) error {
	var r *refusal
	switch {
	case errors.As(err, &r):
		s.event(ctx, slog.LevelInfo, evRefreshRefused, "refresh refused", userAttr(r.userID),
			sessionAttr(r.sessionID), ipAttr(m.ClientIP), reasonAttr(r.reason))
	case errors.Is(err, signet.ErrNotFound):
		s.event(ctx, slog.LevelInfo, evRefreshRefused, "refresh refused", ipAttr(m.ClientIP), reasonAttr("unknown token"))
	default:
		return internal("rotating the refresh token", err)
	}
	return ErrInvalidGrant
}
