package password

import "fmt"

// Params are the argon2id cost parameters of RFC 9106 section 3.1.
type Params struct {
	Memory      uint32 // memory size m, in KiB
	Iterations  uint32 // number of passes t
	Parallelism uint8  // lanes p
	SaltLen     uint32 // salt length in bytes
	KeyLen      uint32 // tag (hash output) length in bytes
}

// DefaultParams is RFC 9106's second recommended option (section 4): 64 MiB,
// three passes, four lanes, with a 128-bit salt and a 256-bit tag.
//
// Why not OWASP's smaller floor (m=19456 KiB, t=2, p=1)? On signet's
// reference machine (2 cores) one OWASP hash takes about 27 ms of one core,
// so roughly 70 logins per second; these parameters take about 85 ms of
// wall time using both cores, roughly 12 logins per second. An attacker
// with a stolen database pays about five times more memory-time per guess
// (64 MiB x 3 passes against 19 MiB x 2). Logins are rare events for an
// authentication server, since clients renew access with refresh tokens,
// and a dozen per second on the smallest machine is plenty for
// self-hosting, so the offline attacker's cost wins. Four lanes cost
// nothing on two cores (the work is the same) and halve latency on four.
// Memory use is bounded by Config.MaxConcurrent hashes at a time.
var DefaultParams = Params{
	Memory:      64 * 1024,
	Iterations:  3,
	Parallelism: 4,
	SaltLen:     16,
	KeyLen:      32,
}

// Limits on parameters read from a stored hash. A hash outside them is
// refused before any memory is allocated, so a poisoned row cannot make one
// login allocate gigabytes or run for minutes.
const (
	maxMemory      = 256 * 1024 // KiB: four times DefaultParams
	maxIterations  = 16
	maxParallelism = 16
	minSaltLen     = 8 // RFC 9106 section 3.1 minimum
	maxSaltLen     = 64
	minKeyLen      = 16
	maxKeyLen      = 64
)

// The OWASP Password Storage Cheat Sheet floor, which a Hasher's configured
// parameters must reach unless Config.UnsafeWeakParams is set. Its table of
// equivalent settings trades memory for passes (m=47104 t=1 ... m=7168 t=5),
// so the floor is on memory and on memory times passes.
const (
	owaspMinMemory     = 7168
	owaspMinMemoryTime = 7168 * 5
	owaspMinSaltLen    = 16
)

// check reports whether p is a valid argon2id setting within this package's
// limits. The error wraps ErrUnsafeParams.
func (p Params) check() error {
	switch {
	case p.Parallelism < 1 || p.Parallelism > maxParallelism:
		return fmt.Errorf("%w: parallelism %d outside 1..%d", ErrUnsafeParams, p.Parallelism, maxParallelism)
	case p.Iterations < 1 || p.Iterations > maxIterations:
		return fmt.Errorf("%w: iterations %d outside 1..%d", ErrUnsafeParams, p.Iterations, maxIterations)
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemory:
		return fmt.Errorf("%w: memory %d KiB outside %d..%d", ErrUnsafeParams, p.Memory, 8*uint32(p.Parallelism), maxMemory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("%w: salt length %d outside %d..%d", ErrUnsafeParams, p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("%w: key length %d outside %d..%d", ErrUnsafeParams, p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// checkStrong reports whether p also meets the OWASP floor.
func (p Params) checkStrong() error {
	if err := p.check(); err != nil {
		return err
	}
	if p.Memory < owaspMinMemory || uint64(p.Memory)*uint64(p.Iterations) < owaspMinMemoryTime ||
		p.SaltLen < owaspMinSaltLen {
		return fmt.Errorf("%w: below the OWASP minimum (m=19456 KiB, t=2, p=1, 16-byte salt)", ErrUnsafeParams)
	}
	return nil
}

// String returns p in the PHC parameter form, "m=65536,t=3,p=4".
func (p Params) String() string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Iterations, p.Parallelism)
}
