package signet

import (
	"errors"
	"fmt"
)

// Error codes name the kind of failure, so that the HTTP layer can map an
// error to a status and a problem type in one place. They are stable strings.
const (
	ECONFLICT = "conflict"  // the change clashes with existing state (a taken email, a duplicate id)
	EINTERNAL = "internal"  // a failure the caller cannot fix (I/O, a driver fault)
	EINVALID  = "invalid"   // the input is malformed or breaks a domain rule
	ENOTFOUND = "not_found" // the record does not exist
)

// Sentinel errors for errors.Is. Every *Error with the same Code matches its
// sentinel, whatever its message: errors.Is(err, ErrNotFound) holds for
// Errorf(ENOTFOUND, "session not found").
var (
	ErrConflict = &Error{Code: ECONFLICT, Message: "conflict"}
	ErrInvalid  = &Error{Code: EINVALID, Message: "invalid input"}
	ErrNotFound = &Error{Code: ENOTFOUND, Message: "not found"}
)

// Error is a domain error: a Code from the list above and a Message a person
// can act on. Messages never carry secrets, tokens, password hashes or key
// material (SECURITY.md rule 15), so the HTTP layer may show them to clients.
type Error struct {
	Code    string
	Message string
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error returns the message prefixed with the code.
func (e *Error) Error() string {
	return e.Code + ": " + e.Message
}

// Is reports whether target is an *Error of the same code, which makes every
// error of a code match that code's sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message of the first *Error in err's chain, and a
// generic message for any other error, whose text may hold internal details
// that must not reach a client.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}
