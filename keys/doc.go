// Package keys looks after signet's signing keys: a Manager that generates,
// stores, rotates and serves them, and the part that protects them at rest
// (security rule 14): a master key and a Keyring that seals each private key
// with AES-256-GCM.
//
// The Manager keeps, for each algorithm in use (the access-token algorithm,
// ES256 by default, and RS256 for ID tokens), a current key that signs and a
// next key already published in the JWKS; a rotation (on a schedule, or by
// `signet keys rotate`) retires the current key, promotes the next one and
// makes a new next key in one store transaction. Retired public keys stay in
// the JWKS until every token they signed has expired. Private parts are
// stored sealed as JWKs; HMAC secrets (HS* mode) are never published.
//
// Every sealed key is stored with two labels: its own key id (kid), which
// is bound into the ciphertext as associated data so a row cannot be
// swapped for another key's, and the id of the master key that sealed it,
// so the master key can be rotated: a Keyring opens with its current key
// and any older ones, and always seals with the current key.
//
// The master key comes from SIGNET_MASTER_KEY (32 random bytes in standard
// base64; see ParseMasterKey), or in development from a file made by
// LoadOrCreateMasterKeyFile. No error, String or GoString from this
// package ever contains key material or plaintext.
package keys
