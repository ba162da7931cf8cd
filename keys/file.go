package keys

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
)

// maxKeyFileLen bounds how much of a master key file is read; the key
// itself is 44 characters.
const maxKeyFileLen = 1024

// LoadOrCreateMasterKeyFile returns the master key stored in the file at
// path, creating the file with a new random key if it does not exist. It is
// meant for development; production passes SIGNET_MASTER_KEY.
//
// A new file is created with O_EXCL and mode 0600 and holds the key in the
// ParseMasterKey format followed by a newline; created reports whether this
// call made it. An existing file must be a regular file that only its owner
// can read: otherwise the error wraps ErrInsecureKeyFile and says to run
// chmod 600 (on Windows, where modes mean little, this check is skipped).
// Content that is not a valid key yields an error wrapping
// ErrInvalidMasterKey. Other errors come from the file system. No error
// includes the file's content.
//
// Two processes creating the same file at the same moment are not
// supported: the loser may read the file before the winner has written it.
func LoadOrCreateMasterKeyFile(path string) (key MasterKey, created bool, err error) {
	key, err = loadMasterKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	key, err = createMasterKeyFile(path)
	if errors.Is(err, fs.ErrExist) { // made by someone else since we looked
		key, err = loadMasterKeyFile(path)
		return key, false, err
	}
	if err != nil {
		return MasterKey{}, false, err
	}
	return key, true, nil
}

func loadMasterKeyFile(path string) (MasterKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return MasterKey{}, fmt.Errorf("keys: master key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return MasterKey{}, fmt.Errorf("keys: master key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return MasterKey{}, fmt.Errorf("%w: %s is not a regular file", ErrInsecureKeyFile, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return MasterKey{}, fmt.Errorf("%w: %s has mode %04o, readable by others; run: chmod 600 %s",
			ErrInsecureKeyFile, path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFileLen))
	if err != nil {
		return MasterKey{}, fmt.Errorf("keys: master key file: %w", err)
	}
	key, err := ParseMasterKey(string(b))
	if err != nil {
		return MasterKey{}, fmt.Errorf("master key file %s: %w", path, err)
	}
	return key, nil
}

// createMasterKeyFile writes a new key to path, which must not exist. If
// writing fails, it removes the partial file so the next start does not
// find a broken key.
func createMasterKeyFile(path string) (MasterKey, error) {
	key, enc, err := GenerateMasterKey()
	if err != nil {
		return MasterKey{}, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return MasterKey{}, fmt.Errorf("keys: creating master key file: %w", err)
	}
	_, werr := io.WriteString(f, enc+"\n")
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return MasterKey{}, fmt.Errorf("keys: writing master key file: %w", err)
	}
	return key, nil
}
