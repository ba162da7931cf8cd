// Package account is the logic of signet's first-party API: signup, password
// login, refresh-token rotation, logout, sessions, password change and the
// revocation feed, plus the administration the CLI needs. It implements API,
// the contract in api.go that the HTTP layer (package httpapi) and the CLI
// (cmd/signet) are written against.
//
// The package holds no SQL and no HTTP. It decides; the store (signet.Store)
// applies each decision atomically: a session with its first refresh token,
// a rotation with its reuse check, a password change with the end of the
// other sessions, each in one store call.
//
// # Security properties
//
//   - Login does exactly one argon2id computation whether the email is
//     unknown, the password wrong or the account disabled, and answers all
//     three with ErrInvalidCredentials (security rule 9). A brute-force
//     throttle per account and per client address runs before the hash
//     (rule 10).
//   - Refresh tokens rotate on every use; presenting a rotated token again
//     within RefreshGrace yields a sibling pair, after it revokes the whole
//     session (rule 11).
//   - Logout, password change, disabling an account and admin revocation
//     end sessions in the store and write revocation-feed entries in the
//     same transaction; the service's in-memory verify.RevocationSet takes
//     its own entries at once and everyone else's within a poll interval,
//     so a revoked access token is refused by Authenticate (rule 12).
//   - Every security event is one structured log record with an "event"
//     attribute (login.failed, refresh.reuse, …) carrying ids and the client
//     address, never a token, password, hash or key (rule 15).
//
// # Lifecycle
//
// NewService loads the live revocation entries; Run keeps them current and
// does housekeeping until its context ends. The key Manager (package keys)
// has its own Run.
package account
