package account

import (
	"context"
	"log/slog"
)

// Security events. Each is logged once, as one record whose "event"
// attribute is its name, with ids and the client address: never a token,
// password, hash, secret or key (SECURITY.md rule 15), nor an email, which
// may hold a password typed into the wrong field.
const (
	evSignup          = "signup"
	evSignupRefused   = "signup.refused"
	evLoginOK         = "login.succeeded"
	evLoginFailed     = "login.failed"
	evThrottled       = "login.throttled"
	evRefreshReuse    = "refresh.reuse"
	evRefreshRefused  = "refresh.refused"
	evLogout          = "logout"
	evSessionRevoked  = "session.revoked"
	evPasswordChanged = "password.changed"
	evPasswordFailed  = "password.change_failed"
	evPasswordRehash  = "password.rehashed"
	evUserAdded       = "user.added"
	evUserDisabled    = "user.disabled"
	evUserEnabled     = "user.enabled"
	evUserRoles       = "user.roles_changed"
	evUserPassword    = "user.password_set"
	evUserRevoked     = "user.revoked"
)

// event logs one security event.
func (s *Service) event(ctx context.Context, level slog.Level, name, msg string, attrs ...slog.Attr) {
	s.log.LogAttrs(ctx, level, msg, append([]slog.Attr{slog.String("event", name)}, attrs...)...)
}

func userAttr(id string) slog.Attr    { return slog.String("user_id", id) }
func sessionAttr(id string) slog.Attr { return slog.String("session_id", id) }
func ipAttr(ip string) slog.Attr      { return slog.String("client_ip", ip) }
func reasonAttr(r string) slog.Attr   { return slog.String("reason", r) }

// warn logs a failure of a step that does not change the answer (a
// throttle reset, a background poll); it carries no secret either.
func (s *Service) warn(ctx context.Context, msg string, err error) {
	s.log.LogAttrs(ctx, slog.LevelWarn, msg, slog.String("error", err.Error()))
}
