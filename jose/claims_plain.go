package jose

import (
	"encoding/binary"
	"unsafe"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

// decodeClaimsPlain reads the claims set of almost every token in one pass:
// a minified object of plain ASCII (strictjson.ScanPlain: no escape, no control
// byte, nothing that needs UTF-8 checks) whose values are strings, plain
// unsigned integers, true, false, null, or arrays of strings and plain
// integers. It is not a second decoder with rules of its own: it accepts a
// subset of what decodeClaims accepts, into the same Claims, and gives up
// (returning false, with c left dirty for the caller to reset) at the first
// byte it does not expect, after which decodeClaims reads the payload from
// the start and decides, errors included. Every byte is checked where it
// stands: it must be exactly the JSON token the grammar allows there with no
// whitespace, and a duplicate name, known or not, makes it give up.
//
// It is faster than decodeClaims because plain input lets it skip what the
// general decoder must do for every input: scanning strings for escapes and
// UTF-8, tracking open containers, and remembering every name in a table
// (a known claim's own bit in c.present finds its duplicates, and only the
// few other names are remembered).
func decodeClaimsPlain(p []byte, c *Claims) bool {
	n := len(p)
	var q strictjson.Quotes
	if n < 2 || p[0] != '{' || !strictjson.ScanPlain(p, &q) {
		return false
	}
	if p[1] == '}' {
		c.raw = p
		return n == 2
	}
	var others [8][]byte // names of the members Claims does not hold
	nOthers := 0
	for i := 1; ; {
		// The name, and the colon after it.
		if p[i] != '"' {
			return false
		}
		e := q.Next(i + 1)
		if e < 0 || e+2 >= n || p[e+1] != ':' {
			return false
		}
		name := p[i+1 : e : e]
		v := e + 2

		// The value: next is the offset just past it.
		var (
			next int
			kind strictjson.Kind
			s    []byte // String: the content between the quotes
			num  int64  // Number: its value, or -1 when it has too many digits
		)
		switch b := p[v]; {
		case b == '"':
			end := q.Next(v + 1)
			if end < 0 {
				return false
			}
			kind, s, next = strictjson.String, p[v+1:end:end], end+1
		case b-'0' <= 9:
			end, x, ok := strictjson.Uint(p, v)
			if !ok {
				return false
			}
			kind, num, next = strictjson.Number, x, end
		case b == '[':
			kind, next = strictjson.Array, v // read below, into its field
		case b == 't' && hasLiteral(p, v, "true"):
			kind, next = strictjson.Bool, v+4
		case b == 'f' && hasLiteral(p, v, "false"):
			kind, next = strictjson.Bool, v+5
		case b == 'n' && hasLiteral(p, v, "null"):
			kind, next = strictjson.Null, v+4
		default:
			return false // an object, a negative number, whitespace, or bad JSON
		}

		// Store the value in its field, checking its kind as member does.
		bit := claimBit(p[i+1 : e])
		if c.present&bit != 0 {
			return false // a duplicate (bit 0 is never present)
		}
		c.present |= bit
		switch bit {
		case 0:
			for _, o := range others[:nOthers] {
				if string(o) == string(name) {
					return false
				}
			}
			if nOthers == len(others) {
				return false
			}
			others[nOthers] = name
			nOthers++
			if kind == strictjson.Array {
				if next = skipPlainArray(p, &q, v); next < 0 {
					return false
				}
			}
		case clAud, clRoles:
			var list []string
			if kind == strictjson.String && bit == clAud {
				list = c.keep([]string{plainString(s)})
			} else if kind != strictjson.Array {
				return false
			} else if list, next = c.plainStrings(p, &q, v); next < 0 {
				return false
			}
			if bit == clAud {
				c.Audience = list
			} else {
				c.Roles = list
			}
		case clExp, clNbf, clIat, clAuthTime:
			if kind != strictjson.Number || uint64(num) > strictjson.MaxNumericDate {
				return false
			}
			*c.dateField(bit) = NumericDate(num)
		case clEmailVerified:
			if kind != strictjson.Bool {
				return false
			}
			c.EmailVerified = p[v] == 't'
		default:
			if kind != strictjson.String {
				return false
			}
			*c.stringField(bit) = plainString(s)
		}

		// A comma and the next member, or the closing brace and the end.
		if next >= n {
			return false
		}
		if p[next] == '}' {
			c.raw = p
			return next+1 == n
		}
		if p[next] != ',' || next+1 >= n {
			return false
		}
		i = next + 1
	}
}

// claimBit is the bit of the claim Claims holds under name, or 0. It
// compares the name's first eight bytes as one integer, so that finding a
// claim costs a few integer comparisons, not string ones; when name's
// capacity reaches eight bytes they are one load, and the bytes past the
// name are masked off. The general path's member switches on the name as
// a string instead: its names come with no room past them, and there the
// compiler's string switch measured faster (a shared claimBit made the
// general decoder 18 % slower).
func claimBit(name []byte) claimSet {
	n := len(name)
	if n < 3 || n > 14 {
		return 0
	}
	var k uint64
	if cap(name) >= 8 {
		k = binary.LittleEndian.Uint64(name[:8])
	} else {
		for j := n - 1; j >= 0; j-- {
			k = k<<8 | uint64(name[j])
		}
	}
	if n < 8 {
		k &= 1<<(8*n) - 1
	}
	switch n {
	case 3:
		switch k {
		case keyIss:
			return clIss
		case keySub:
			return clSub
		case keyAud:
			return clAud
		case keyExp:
			return clExp
		case keyNbf:
			return clNbf
		case keyIat:
			return clIat
		case keyJti:
			return clJti
		case keySid:
			return clSid
		case keyAzp:
			return clAzp
		}
	case 4:
		if k == keyName {
			return clName
		}
	case 5:
		switch k {
		case keyScope:
			return clScope
		case keyRoles:
			return clRoles
		case keyNonce:
			return clNonce
		case keyEmail:
			return clEmail
		}
	case 7:
		if k == keyAtHash {
			return clAtHash
		}
	case 9:
		switch {
		case k == keyClientI && name[8] == 'd':
			return clClientID
		case k == keyAuthTim && name[8] == 'e':
			return clAuthTime
		}
	case 14:
		if k == keyEmailVe && string(name[8:]) == "rified" {
			return clEmailVerified
		}
	}
	return 0
}

// The first eight bytes of each name, the first byte lowest, as claimBit
// compares them.
const (
	keyIss     = 'i' | 's'<<8 | 's'<<16
	keySub     = 's' | 'u'<<8 | 'b'<<16
	keyAud     = 'a' | 'u'<<8 | 'd'<<16
	keyExp     = 'e' | 'x'<<8 | 'p'<<16
	keyNbf     = 'n' | 'b'<<8 | 'f'<<16
	keyIat     = 'i' | 'a'<<8 | 't'<<16
	keyJti     = 'j' | 't'<<8 | 'i'<<16
	keySid     = 's' | 'i'<<8 | 'd'<<16
	keyAzp     = 'a' | 'z'<<8 | 'p'<<16
	keyName    = 'n' | 'a'<<8 | 'm'<<16 | 'e'<<24
	keyScope   = 's' | 'c'<<8 | 'o'<<16 | 'p'<<24 | 'e'<<32
	keyRoles   = 'r' | 'o'<<8 | 'l'<<16 | 'e'<<24 | 's'<<32
	keyNonce   = 'n' | 'o'<<8 | 'n'<<16 | 'c'<<24 | 'e'<<32
	keyEmail   = 'e' | 'm'<<8 | 'a'<<16 | 'i'<<24 | 'l'<<32
	keyAtHash  = 'a' | 't'<<8 | '_'<<16 | 'h'<<24 | 'a'<<32 | 's'<<40 | 'h'<<48
	keyClientI = 'c' | 'l'<<8 | 'i'<<16 | 'e'<<24 | 'n'<<32 | 't'<<40 | '_'<<48 | 'i'<<56
	keyAuthTim = 'a' | 'u'<<8 | 't'<<16 | 'h'<<24 | '_'<<32 | 't'<<40 | 'i'<<48 | 'm'<<56
	keyEmailVe = 'e' | 'm'<<8 | 'a'<<16 | 'i'<<24 | 'l'<<32 | '_'<<40 | 'v'<<48 | 'e'<<56
)

// stringField is the string field of the claim with the given bit.
func (c *Claims) stringField(bit claimSet) *string {
	switch bit {
	case clIss:
		return &c.Issuer
	case clSub:
		return &c.Subject
	case clJti:
		return &c.ID
	case clClientID:
		return &c.ClientID
	case clScope:
		return &c.Scope
	case clSid:
		return &c.SessionID
	case clAzp:
		return &c.AuthorizedParty
	case clNonce:
		return &c.Nonce
	case clAtHash:
		return &c.AccessTokenHash
	case clEmail:
		return &c.Email
	case clName:
		return &c.Name
	}
	panic("jose: no string claim for bit") // unreachable: both callers handle every other bit first
}

// dateField is the NumericDate field of the claim with the given bit.
func (c *Claims) dateField(bit claimSet) *NumericDate {
	switch bit {
	case clExp:
		return &c.ExpiresAt
	case clNbf:
		return &c.NotBefore
	case clIat:
		return &c.IssuedAt
	case clAuthTime:
		return &c.AuthTime
	}
	panic("jose: no date claim for bit") // unreachable, as in stringField
}

// plainString views plain bytes of the payload as a string, as str does.
func plainString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func hasLiteral(p []byte, i int, lit string) bool {
	return len(p)-i >= len(lit) && string(p[i:i+len(lit)]) == lit
}

// plainStrings reads the array of plain strings at p[i] (its '['), as strs
// does, and returns the offset past its ']', or -1 to give up.
func (c *Claims) plainStrings(p []byte, quotes *strictjson.Quotes, i int) ([]string, int) {
	var small [16]string
	out := small[:0]
	i++
	if i < len(p) && p[i] == ']' {
		return c.keep(out), i + 1
	}
	for len(out) < len(small) {
		if i >= len(p) || p[i] != '"' {
			return nil, -1
		}
		q := quotes.Next(i + 1)
		if q < 0 || q+1 >= len(p) {
			return nil, -1
		}
		out = append(out, plainString(p[i+1:q]))
		switch p[q+1] {
		case ']':
			return c.keep(out), q + 2
		case ',':
			i = q + 2
		default:
			return nil, -1
		}
	}
	return nil, -1 // longer than small: decodeClaims reads it
}

// skipPlainArray validates the array of plain strings and plain unsigned
// integers at p[i] (its '[') and returns the offset past its ']', or -1 to
// give up.
func skipPlainArray(p []byte, q *strictjson.Quotes, i int) int {
	i++
	if i < len(p) && p[i] == ']' {
		return i + 1
	}
	for i < len(p) {
		switch b := p[i]; {
		case b == '"':
			if i = q.Next(i + 1); i < 0 {
				return -1
			}
			i++
		case b-'0' <= 9:
			end, _, ok := strictjson.Uint(p, i)
			if !ok {
				return -1
			}
			i = end
		default:
			return -1
		}
		if i >= len(p) {
			return -1
		}
		switch p[i] {
		case ']':
			return i + 1
		case ',':
			i++
		default:
			return -1
		}
	}
	return -1
}
