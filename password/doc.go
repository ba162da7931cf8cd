// Package password hashes, verifies and vets account passwords for signet.
//
// Hashing follows security rule 8: argon2id (RFC 9106) with a random
// per-user salt, stored as a PHC string
// ("$argon2id$v=19$m=65536,t=3,p=4$salt$hash"). A [Hasher] reports when a
// stored hash was made with parameters other than its current ones, so the
// login flow can upgrade the hash while it holds the plaintext.
//
// Rule 9 asks that a login for an unknown account cost the same as a wrong
// password. [Hasher.VerifyDummy] does exactly the work of [Hasher.Verify]
// against a fixed dummy hash, and [Config.OnHash] lets tests count the
// argon2id computations on each path.
//
// [Policy] checks a new password against NIST SP 800-63B: a minimum and
// maximum length, no composition rules, and refusal of common,
// breached-style and context-derived passwords using a list shipped inside
// the binary.
//
// The package knows nothing of SQL or HTTP; it never logs, and no error it
// returns contains a password or a hash.
package password
