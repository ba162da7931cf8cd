// Package throttle slows down password guessing (security rule 10). It keeps
// one counter per account (the normalized email tried, whether or not an
// account has it) and one per client address, so neither rotating accounts
// from one address nor rotating addresses against one account escapes it.
//
// A counter counts failures inside a window (by default 5 per account, 50 per
// address, in 15 minutes). Reaching the limit locks the counter: attempts are
// refused, before any password is hashed, until the lock ends. Each lock in a
// row lasts twice as long as the one before (1 minute, 2, 4, … up to 1 hour
// by default); a day without failures forgets the back-off. A successful login
// resets the account's counter, never the address's: owning one account must
// not buy an attacker more guesses against others.
//
// State lives in a signet.ThrottleStore, so every instance behind a load
// balancer shares it, and every change is a read-decide-write in one store
// transaction, so concurrent failures all count.
//
// The package returns its own *LockedError (matching ErrLocked); callers
// translate it into their own errors (account.ThrottledError, HTTP 429).
// Throttling applies to password checks only, never to bearer tokens.
package throttle
