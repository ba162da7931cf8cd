package account

import (
	"errors"
	"fmt"

	"github.com/signet-dev/signet"
)

// The sentinels of this package are declared with the contract, in api.go.
// The helpers below build the errors the service returns from them.

// invalid returns an error matching signet.ErrInvalid whose message is shown
// to the client, and wrapping cause (a password.Err… sentinel, say) for
// errors.Is.
func invalid(cause error, format string, args ...any) error {
	e := signet.Errorf(signet.EINVALID, format, args...)
	if cause == nil {
		return e
	}
	return fmt.Errorf("%w: %w", e, cause)
}

// errConfig reports an inconsistent Config.
var errConfig = errors.New("account: invalid configuration")

// internal wraps a failure the client cannot fix; the HTTP layer logs it and
// answers 500 without its text.
func internal(what string, err error) error {
	return fmt.Errorf("account: %s: %w", what, err)
}
