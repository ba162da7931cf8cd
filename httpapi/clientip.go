package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/signet-dev/signet/account"
)

// clientIP returns the client's address (SECURITY.md rule 10): the peer's,
// unless the peer is a trusted proxy; then, walking the proxy header from the
// right, the first address that is not a trusted proxy. A hop that cannot be
// read ("unknown", an obfuscated name, garbage) stops the walk at the last
// trusted hop, so that whatever a client writes to the left of its own
// address is never believed.
func (s *Server) clientIP(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		if r.RemoteAddr == "" {
			return "unknown"
		}
		return r.RemoteAddr
	}
	client := peer
	if s.trusted(peer) {
		hops := forwardedHops(r.Header, s.cfg.ProxyHeader)
		for i := len(hops) - 1; i >= 0 && s.trusted(client); i-- {
			if !hops[i].IsValid() {
				break
			}
			client = hops[i]
		}
	}
	return client.String()
}

// trusted reports whether a is in Config.TrustedProxies.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peerAddr parses a RemoteAddr ("ip:port"), or returns the zero Addr.
func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// forwardedHops returns the addresses of the proxy header, left to right,
// every line of it in order; a hop that is not an address is the zero Addr.
func forwardedHops(h http.Header, name string) []netip.Addr {
	var hops []netip.Addr
	for _, line := range h.Values(name) {
		for elem := range strings.SplitSeq(line, ",") {
			if name == HeaderForwarded {
				elem = forwardedFor(elem)
			}
			hops = append(hops, hopAddr(elem))
		}
	}
	return hops
}

// forwardedFor returns the for= parameter of one Forwarded element
// (RFC 7239 section 4), unquoted, or "" if it has none.
func forwardedFor(elem string) string {
	for pair := range strings.SplitSeq(elem, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(pair), "=")
		if strings.EqualFold(k, "for") {
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = strings.ReplaceAll(v[1:len(v)-1], `\`, "")
			}
			return v
		}
	}
	return ""
}

// hopAddr parses "ip", "ip:port", "[ipv6]" or "[ipv6]:port".
func hopAddr(s string) netip.Addr {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap()
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		a, _ := netip.ParseAddr(s[1 : len(s)-1])
		return a.Unmap()
	}
	return netip.Addr{}
}

// maxUserAgent bounds the User-Agent kept with a session.
const maxUserAgent = 512

// meta returns what the service learns about the caller.
func (s *Server) meta(r *http.Request) account.Meta {
	ua := strings.ToValidUTF8(r.UserAgent(), "\uFFFD")
	if len(ua) > maxUserAgent {
		cut := maxUserAgent
		for cut > 0 && !utf8.RuneStart(ua[cut]) {
			cut--
		}
		ua = ua[:cut]
	}
	return account.Meta{ClientIP: infoFrom(r.Context()).clientIP, UserAgent: ua}
}
