package password

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"runtime"

	"golang.org/x/crypto/argon2"
)

// Config configures a Hasher. The zero Config is the production setting;
// NewHasher applies every default.
type Config struct {
	// Params are the argon2id costs for new hashes. The zero value means
	// DefaultParams. Params below the OWASP minimum are refused unless
	// UnsafeWeakParams is set.
	Params Params

	// UnsafeWeakParams allows Params below the OWASP minimum. It exists so
	// tests can hash quickly; a server must never set it.
	UnsafeWeakParams bool

	// MaxConcurrent bounds how many argon2id computations run at once, and
	// so the memory they hold (MaxConcurrent x Params.Memory). Callers
	// beyond it wait their turn. Zero means runtime.GOMAXPROCS(0).
	MaxConcurrent int

	// OnHash, if set, is called once for every argon2id computation, just
	// before it starts, possibly from many goroutines at once. Tests use it
	// to count hashes; it must not block.
	OnHash func()

	// Rand supplies salts. Nil means crypto/rand.Reader.
	Rand io.Reader
}

// Hasher hashes and verifies passwords with argon2id. Create one with
// NewHasher; it is safe for concurrent use and holds no secrets.
type Hasher struct {
	params Params
	sem    chan struct{} // one token per running argon2id computation
	onHash func()
	rand   io.Reader
	dummy  string // a PHC string no password matches; see VerifyDummy
}

var errNoHasher = errors.New("password: Hasher not created by NewHasher")

// NewHasher returns a Hasher for c. It returns an error wrapping
// ErrUnsafeParams if c.Params are out of range or weak, or an error from
// c.Rand if it cannot draw the dummy hash.
func NewHasher(c Config) (*Hasher, error) {
	if c.Params == (Params{}) {
		c.Params = DefaultParams
	}
	check := c.Params.checkStrong
	if c.UnsafeWeakParams {
		check = c.Params.check
	}
	if err := check(); err != nil {
		return nil, err
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = runtime.GOMAXPROCS(0)
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	h := &Hasher{params: c.Params, sem: make(chan struct{}, c.MaxConcurrent), onHash: c.OnHash, rand: c.Rand}
	salt, key := make([]byte, c.Params.SaltLen), make([]byte, c.Params.KeyLen)
	if err := h.read(salt, key); err != nil {
		return nil, err
	}
	h.dummy = encodePHC(c.Params, salt, key)
	return h, nil
}

// Params returns the parameters h uses for new hashes.
func (h *Hasher) Params() Params { return h.params }

// Hash returns the PHC string for pw with a fresh random salt and h's
// parameters, e.g. "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>". It does
// one argon2id computation. It fails only if the random source does.
func (h *Hasher) Hash(pw string) (string, error) {
	if h == nil || h.sem == nil {
		return "", errNoHasher
	}
	salt := make([]byte, h.params.SaltLen)
	if err := h.read(salt); err != nil {
		return "", err
	}
	return encodePHC(h.params, salt, h.derive(pw, salt, h.params)), nil
}

// Verify reports whether pw matches the stored PHC string, comparing in
// constant time. needsRehash is true when pw matched but the stored
// parameters differ from h's, so the caller should store a new Hash(pw).
// A stored string that cannot be read yields an error wrapping
// ErrMalformedHash, or ErrUnsafeParams when its costs exceed this package's
// limits; in those cases no hash is computed and ok is false.
func (h *Hasher) Verify(pw, stored string) (ok, needsRehash bool, err error) {
	if h == nil || h.sem == nil {
		return false, false, errNoHasher
	}
	s, err := parsePHC(stored)
	if err != nil {
		return false, false, err
	}
	key := h.derive(pw, s.salt, s.params)
	ok = subtle.ConstantTimeCompare(key, s.key) == 1
	return ok, ok && s.params != h.params, nil
}

// VerifyDummy does exactly the work of a Verify that fails: it parses a
// fixed dummy PHC string made with h's parameters and computes one
// argon2id hash of pw. A login for an unknown account calls it so that it
// takes as long as a wrong password for a known one (security rule 9).
func (h *Hasher) VerifyDummy(pw string) {
	if h == nil || h.sem == nil {
		return
	}
	_, _, _ = h.Verify(pw, h.dummy)
}

// derive is the one place that runs argon2id, so OnHash counts every hash.
func (h *Hasher) derive(pw string, salt []byte, p Params) []byte {
	h.sem <- struct{}{}
	defer func() { <-h.sem }()
	if h.onHash != nil {
		h.onHash()
	}
	return argon2.IDKey([]byte(pw), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
}

// read fills each buffer from h's random source.
func (h *Hasher) read(bufs ...[]byte) error {
	for _, b := range bufs {
		if _, err := io.ReadFull(h.rand, b); err != nil {
			return fmt.Errorf("password: reading random bytes: %w", err)
		}
	}
	return nil
}
