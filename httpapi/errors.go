package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/account"
	"github.com/signet-dev/signet/jose"
)

// requestError is an error the HTTP layer itself finds in a request (its
// body, its headers, its route) before or instead of calling the service.
type requestError struct {
	kind   *kind
	detail string
	fields []FieldError
	header [][2]string // response headers: WWW-Authenticate, Allow
	cause  error       // logged for 5xx, never shown
}

func (e *requestError) Error() string {
	if e.cause != nil {
		return e.kind.slug + ": " + e.detail + ": " + e.cause.Error()
	}
	return e.kind.slug + ": " + e.detail
}

func (e *requestError) Unwrap() error { return e.cause }

// Fixed details: the same words for every request of a kind, so that no
// answer tells one failure from another where that would leak (SECURITY.md
// rule 9) and no answer echoes a token.
const (
	detailCredentials = "the email or password is wrong"
	detailGrant       = "the refresh token is unknown, expired, revoked or already used; log in again"
	detailScope       = "the requested scope is not granted to this account"
	detailThrottled   = "too many attempts; wait for the number of seconds in Retry-After"
	detailCursorGone  = "the cursor is older than the revocations this server keeps; fetch the full list again without a cursor"
	detailDisabled    = "the account is disabled"
	detailInternal    = "an internal error occurred; quote the X-Request-Id response header when reporting it"
	detailExpired     = "the access token has expired"
	detailRevoked     = "the access token has been revoked"
	detailBadToken    = "the access token is not valid"
)

// tokenErrors are the jose failures of a bearer token: they are answered as
// invalid_token even when the service returns them without wrapping them in
// account.ErrInvalidToken.
var tokenErrors = []error{
	account.ErrInvalidToken, jose.ErrMalformed, jose.ErrUnsupportedAlgorithm, jose.ErrUnsupportedHeader,
	jose.ErrKeyNotFound, jose.ErrBadSignature, jose.ErrExpired, jose.ErrNotYetValid,
	jose.ErrWrongIssuer, jose.ErrWrongAudience, jose.ErrWrongType, jose.ErrMissingClaim,
}

// problemFor maps err to the problem the client gets. It is the one place
// where errors become statuses; anything it does not know is a 500 whose
// detail says nothing about the cause.
func problemFor(err error) *Problem {
	var re *requestError
	var te *account.ThrottledError
	switch {
	case errors.As(err, &re):
		p := re.kind.problem(re.detail)
		p.Errors = re.fields
		for _, h := range re.header {
			p.set(h[0], h[1])
		}
		return p
	case errors.As(err, &te):
		return kindThrottled.problem(detailThrottled).retryAfter(te.RetryAfter)
	case errors.Is(err, account.ErrInvalidCredentials):
		return kindCredentials.problem(detailCredentials)
	case errors.Is(err, account.ErrInvalidGrant):
		return kindInvalidGrant.problem(detailGrant)
	case errors.Is(err, account.ErrRevoked):
		return invalidToken(detailRevoked)
	case errors.Is(err, jose.ErrExpired):
		return invalidToken(detailExpired)
	case isAny(err, tokenErrors):
		return invalidToken(detailBadToken)
	case errors.Is(err, account.ErrScope):
		return kindInvalidScope.problem(detailScope)
	case errors.Is(err, account.ErrCursorGone):
		return kindCursorGone.problem(detailCursorGone)
	case errors.Is(err, account.ErrAccountDisabled):
		return kindDisabled.problem(detailDisabled)
	case errors.Is(err, signet.ErrInvalid):
		return kindInvalidInput.problem(signet.ErrorMessage(err))
	case errors.Is(err, signet.ErrConflict):
		return kindConflict.problem(signet.ErrorMessage(err))
	case errors.Is(err, signet.ErrNotFound):
		return kindNotFound.problem(signet.ErrorMessage(err))
	default:
		return kindInternal.problem(detailInternal)
	}
}

// invalidToken is the answer to a refused bearer token (RFC 6750 section 3.1).
func invalidToken(detail string) *Problem {
	return kindInvalidToken.problem(detail).set("WWW-Authenticate", bearerChallenge("invalid_token", detail, ""))
}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// fail answers err as a problem, and is the only place that logs errors:
// server-side failures (5xx) with the request id and route, never a body or a
// header. When the response has already begun (an event stream), it only
// logs.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	info := infoFrom(r.Context())
	if p.Status >= 500 {
		level := slog.LevelError
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			level = slog.LevelDebug // the client went away
		}
		s.log.Log(r.Context(), level, "request failed",
			"request_id", info.id, "method", r.Method, "route", info.route, "status", p.Status, "err", err)
	}
	if info.rw.wroteHeader() {
		return
	}
	writeProblem(w, p)
}
