package oauth2

import "errors"

// Error is an OAuth 2.0 error (RFC 6749 sections 4.1.2.1 and 5.2, RFC 6750
// section 3.1, OpenID Connect Core section 3.1.2.6): a registered code and a
// description a developer can act on. Descriptions never hold a token, a
// secret or a password.
type Error struct {
	Code        string
	Description string
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

// Is makes every *Error of a code match that code's sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is, one per code this package returns.
var (
	ErrInvalidRequest          = &Error{Code: "invalid_request"}
	ErrInvalidClient           = &Error{Code: "invalid_client"}
	ErrInvalidGrant            = &Error{Code: "invalid_grant"}
	ErrUnauthorizedClient      = &Error{Code: "unauthorized_client"}
	ErrUnsupportedGrantType    = &Error{Code: "unsupported_grant_type"}
	ErrUnsupportedResponseType = &Error{Code: "unsupported_response_type"}
	ErrInvalidScope            = &Error{Code: "invalid_scope"}
	ErrAccessDenied            = &Error{Code: "access_denied"}
	ErrLoginRequired           = &Error{Code: "login_required"}
	ErrConsentRequired         = &Error{Code: "consent_required"}
	ErrRequestNotSupported     = &Error{Code: "request_not_supported"}
	ErrRequestURINotSupported  = &Error{Code: "request_uri_not_supported"}
	ErrInvalidToken            = &Error{Code: "invalid_token"}
	ErrInsufficientScope       = &Error{Code: "insufficient_scope"}
	ErrServerError             = &Error{Code: "server_error"}
)

// oauthErr returns an *Error of sentinel's code with a description.
func oauthErr(sentinel *Error, description string) *Error {
	return &Error{Code: sentinel.Code, Description: description}
}

// ErrNoBrowserSession is returned when a browser cookie names no live
// session: none was sent, it expired, it was signed out, or its user can no
// longer log in.
var ErrNoBrowserSession = errors.New("oauth2: no browser session")

// errConfig reports an inconsistent Config.
var errConfig = errors.New("oauth2: invalid configuration")
