package password

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// maxPHCLen bounds the stored string before any parsing. The longest hash
// within the limits (64-byte salt and tag, largest numbers) is about 230
// bytes.
const maxPHCLen = 256

// b64 is the PHC string format's base64: the standard alphabet without
// padding, strict so that each value has exactly one encoding.
var b64 = base64.RawStdEncoding.Strict()

// phc is a decoded argon2id PHC string. Its params carry the lengths of
// the salt and tag it holds.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

// encodePHC returns "$argon2id$v=19$m=..,t=..,p=..$salt$key".
func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$%s$%s$%s",
		argon2.Version, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// parsePHC decodes an argon2id PHC string as encodePHC writes it, and
// nothing looser. Errors wrap ErrMalformedHash, or ErrUnsafeParams when the
// string is well formed but its cost is outside this package's limits;
// they never quote the input.
func parsePHC(s string) (phc, error) {
	if len(s) > maxPHCLen {
		return phc{}, malformed("longer than %d bytes", maxPHCLen)
	}
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" {
		return phc{}, malformed("want $argon2id$v=19$m=..,t=..,p=..$salt$hash")
	}
	if f[1] != "argon2id" {
		return phc{}, malformed("algorithm is not argon2id")
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return phc{}, malformed("version is not v=%d", argon2.Version)
	}
	p, err := parseParams(f[3])
	if err != nil {
		return phc{}, err
	}
	salt, ok := decodeB64(f[4])
	if !ok {
		return phc{}, malformed("salt is not unpadded standard base64")
	}
	key, ok := decodeB64(f[5])
	if !ok {
		return phc{}, malformed("hash is not unpadded standard base64")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return phc{}, err
	}
	return phc{params: p, salt: salt, key: key}, nil
}

// parseParams reads "m=<uint>,t=<uint>,p=<uint>" in that order, as the
// argon2 PHC definition fixes it.
func parseParams(s string) (Params, error) {
	kv := strings.Split(s, ",")
	if len(kv) != 3 {
		return Params{}, malformed("want parameters m=..,t=..,p=..")
	}
	var v [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(kv[i], name)
		if !ok {
			return Params{}, malformed("want parameters m=..,t=..,p=.. in that order")
		}
		n, ok := parseDecimal(digits)
		if !ok {
			return Params{}, malformed("parameter %s is not a canonical decimal", strings.TrimSuffix(name, "="))
		}
		v[i] = n
	}
	if v[0] > math.MaxUint32 || v[1] > math.MaxUint32 || v[2] > math.MaxUint8 {
		return Params{}, fmt.Errorf("%w: %s", ErrUnsafeParams, "parameter out of range")
	}
	return Params{Memory: uint32(v[0]), Iterations: uint32(v[1]), Parallelism: uint8(v[2])}, nil
}

// decodeB64 decodes a non-empty PHC base64 field. The length check
// refuses what the decoder would silently skip (CR and LF), so each value
// has exactly one accepted spelling.
func decodeB64(s string) ([]byte, bool) {
	b, err := b64.DecodeString(s)
	if err != nil || len(b) == 0 || b64.EncodedLen(len(b)) != len(s) {
		return nil, false
	}
	return b, true
}

// parseDecimal accepts what the PHC format calls a decimal: ASCII digits,
// no sign, no leading zero (except "0" itself).
func parseDecimal(s string) (uint64, bool) {
	if s == "" || len(s) > 19 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
}
