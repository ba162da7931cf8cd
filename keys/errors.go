package keys

import "errors"

// Errors returned by this package, found with errors.Is. Wrapped errors add
// ids and paths, never key material or plaintext.
var (
	// ErrInvalidMasterKey means a master key is not 32 bytes of standard
	// base64, is all zeros, or a Keyring was given a zero or repeated key.
	ErrInvalidMasterKey = errors.New("keys: invalid master key")

	// ErrUnknownMasterKey means a ciphertext names a master key id that the
	// Keyring does not hold; configure the older key to open it.
	ErrUnknownMasterKey = errors.New("keys: unknown master key")

	// ErrDecrypt means a ciphertext failed to open: it was tampered with,
	// sealed for another kid, or sealed under another key with this id.
	ErrDecrypt = errors.New("keys: cannot decrypt sealed key")

	// ErrInvalidKID means a key id is empty or longer than MaxKIDLen bytes.
	ErrInvalidKID = errors.New("keys: invalid key id")

	// ErrInsecureKeyFile means a master key file can be read by users other
	// than its owner, or is not a regular file.
	ErrInsecureKeyFile = errors.New("keys: insecure master key file")
)
