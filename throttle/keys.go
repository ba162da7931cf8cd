package throttle

import (
	"crypto/sha256"
	"encoding/base64"
	"net/netip"

	"github.com/signet-dev/signet"
)

// Attempt names what a password check is counted against. Empty members are
// not counted: signup has no account yet, a request without a known client
// address has no address.
type Attempt struct {
	Email   string // as typed; normalized here
	Address string // the client IP, after the trusted-proxy rule
}

// keyed pairs a counter's store key with its limits.
type keyed struct {
	key    signet.ThrottleKey
	limits Limits
}

// keys returns the counters a applies to.
func (l *Limiter) keys(a Attempt) []keyed {
	var out []keyed
	if email := signet.NormalizeEmail(a.Email); email != "" && !l.cfg.Account.off() {
		out = append(out, keyed{signet.ThrottleKey{Scope: signet.ThrottleAccount, Key: accountKey(email)}, l.cfg.Account})
	}
	if a.Address != "" && !l.cfg.Address.off() {
		out = append(out, keyed{signet.ThrottleKey{Scope: signet.ThrottleAddress, Key: addressKey(a.Address)}, l.cfg.Address})
	}
	return out
}

// accountKey is a digest of the normalized email, not the email itself:
// people type passwords into the email field, and the throttle table must
// not keep them. The digest also bounds the key's length.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte("signet throttle account\x00" + email))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// addressKey groups IPv6 addresses by their /64 prefix, which one customer
// (and so one attacker) usually holds whole; IPv4 and IPv4-mapped addresses
// count one by one. Anything that is not an IP address is digested.
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	switch {
	case err != nil:
		sum := sha256.Sum256([]byte(addr))
		return "x:" + base64.RawURLEncoding.EncodeToString(sum[:16])
	case ip.Is4In6():
		return ip.Unmap().String()
	case ip.Is6():
		p, _ := ip.WithZone("").Prefix(64)
		return p.String()
	}
	return ip.String()
}
