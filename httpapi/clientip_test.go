package httpapi

import (
	"fmt"
	"net/http"
	"net/netip"
	"testing"
	"unicode/utf8"
)

// TestClientIP checks the trusted-proxy rule (SECURITY.md rule 10).
func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	cases := []struct {
		name    string
		remote  string
		trusted []netip.Prefix
		proxyH  string
		header  map[string][]string
		want    string
	}{
		{name: "no proxy configured", remote: "203.0.113.5:4000", header: map[string][]string{"X-Forwarded-For": {"198.51.100.1"}}, want: "203.0.113.5"},
		{name: "untrusted peer's header ignored", remote: "203.0.113.5:4000", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"198.51.100.1"}}, want: "203.0.113.5"},
		{name: "trusted peer, one hop", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"198.51.100.1"}}, want: "198.51.100.1"},
		{name: "client-written hops left of the real one are ignored", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"1.1.1.1, 2.2.2.2, 198.51.100.1"}}, want: "198.51.100.1"},
		{name: "chain of trusted proxies", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"1.1.1.1, 198.51.100.1, 10.9.9.9, 10.0.0.7"}}, want: "198.51.100.1"},
		{name: "several header lines", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"1.1.1.1", "198.51.100.1, 10.0.0.7"}}, want: "198.51.100.1"},
		{name: "hop with a port", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"198.51.100.1:5555"}}, want: "198.51.100.1"},
		{name: "every hop trusted", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"10.1.1.1, 10.0.0.7"}}, want: "10.1.1.1"},
		{name: "garbage hop stops at the last trusted one", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"198.51.100.1, garbage, 10.0.0.7"}}, want: "10.0.0.7"},
		{name: "trusted peer without the header", remote: "10.0.0.2:80", trusted: proxies, want: "10.0.0.2"},
		{name: "IPv6 peer and hop", remote: "[2001:db8:ffff::1]:443", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"2001:db8::7"}}, want: "2001:db8::7"},
		{name: "IPv4-mapped peer", remote: "[::ffff:10.0.0.2]:80", trusted: proxies,
			header: map[string][]string{"X-Forwarded-For": {"198.51.100.1"}}, want: "198.51.100.1"},
		{name: "Forwarded ignored when X-Forwarded-For is the proxy header", remote: "10.0.0.2:80", trusted: proxies,
			header: map[string][]string{"Forwarded": {"for=6.6.6.6"}, "X-Forwarded-For": {"198.51.100.1"}}, want: "198.51.100.1"},
		{name: "Forwarded", remote: "10.0.0.2:80", trusted: proxies, proxyH: "Forwarded",
			header: map[string][]string{"Forwarded": {`for=1.1.1.1, for=198.51.100.1;proto=https, for="10.0.0.9:8080"`}, "X-Forwarded-For": {"6.6.6.6"}}, want: "198.51.100.1"},
		{name: "Forwarded IPv6", remote: "10.0.0.2:80", trusted: proxies, proxyH: "forwarded",
			header: map[string][]string{"Forwarded": {`For="[2001:db8:cafe::17]:4711"`}}, want: "2001:db8:cafe::17"},
		{name: "Forwarded unknown", remote: "10.0.0.2:80", trusted: proxies, proxyH: "Forwarded",
			header: map[string][]string{"Forwarded": {"for=198.51.100.1, for=unknown"}}, want: "10.0.0.2"},
		{name: "unparsable peer", remote: "@", want: "@"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{TrustedProxies: tc.trusted, ProxyHeader: tc.proxyH}, newFakeAPI(), nil)
			r := &http.Request{RemoteAddr: tc.remote, Header: http.Header(tc.header)}
			if got := s.clientIP(r); got != tc.want {
				t.Errorf("clientIP = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRotatingForwardedForChangesNothing sends login attempts with a new
// X-Forwarded-For each time from an untrusted peer: the service must see
// one address throughout, so a per-address throttle holds.
func TestRotatingForwardedForChangesNothing(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprintf("trusted=%v", trusted), func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				if trusted {
					c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
				}
			})
			seen := map[string]bool{}
			for i := range 5 {
				xff := fmt.Sprintf("198.51.100.%d", i+1)
				e.do(t, req{method: "POST", path: "/v1/login", body: `{"email":"a@b.c","password":"pw"}`,
					header: map[string]string{"X-Forwarded-For": xff, "Forwarded": "for=" + xff, "User-Agent": "probe"}})
				m := e.api.lastMeta()
				seen[m.ClientIP] = true
				if m.UserAgent != "probe" {
					t.Errorf("UserAgent = %q", m.UserAgent)
				}
			}
			switch {
			case !trusted && (len(seen) != 1 || !seen["127.0.0.1"]):
				t.Errorf("untrusted peer: service saw %v, want only 127.0.0.1", seen)
			case trusted && len(seen) != 5:
				t.Errorf("trusted proxy: service saw %v, want the 5 forwarded addresses", seen)
			}
		})
	}
}

func TestUserAgentBounded(t *testing.T) {
	s := New(Config{}, newFakeAPI(), nil)
	long := string(make([]byte, 600)) + "é"
	for _, ua := range []string{long, "a\xffb", "é" + string(make([]byte, 510)) + "éé"} {
		r := &http.Request{Header: http.Header{"User-Agent": {ua}}}
		got := s.meta(r).UserAgent
		if len(got) > maxUserAgent || !utf8.ValidString(got) {
			t.Errorf("meta kept %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
		}
	}
}
