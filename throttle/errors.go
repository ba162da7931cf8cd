package throttle

import (
	"errors"
	"time"

	"github.com/signet-dev/signet"
)

// ErrLocked matches every *LockedError with errors.Is.
var ErrLocked = errors.New("throttle: too many failed attempts")

// LockedError reports that an attempt is refused because a counter is
// locked. RetryAfter is how long until the last lock that applies ends, in
// whole seconds rounded up (at least one second), ready for Retry-After.
type LockedError struct {
	Scope      signet.ThrottleScope // the counter whose lock ends last
	RetryAfter time.Duration
}

// Error names the scope; it never names the email or address.
func (e *LockedError) Error() string {
	return "throttle: " + string(e.Scope) + " locked after too many failed attempts"
}

// Is makes errors.Is(err, ErrLocked) hold.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }
