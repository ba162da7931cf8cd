package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// checkURL applies the transport rule of every fetch: https, or http to a
// loopback address, or any http when allowHTTP. URLs come from
// configuration and the issuer's discovery document, never from tokens.
func checkURL(raw string, allowHTTP bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%w: %q is not an absolute URL", ErrInsecureURL, raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: %s carries credentials; give them another way", ErrInsecureURL, u.Redacted())
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && (allowHTTP || isLoopbackHost(u.Hostname())):
	default:
		return nil, fmt.Errorf("%w: %s is not https (plain http is allowed for loopback addresses, or with UnsafeAllowHTTP)", ErrInsecureURL, raw)
	}
	return u, nil
}

func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsLoopback()
}

// maxRedirects bounds the redirects a fetch follows.
const maxRedirects = 5

// safeClient returns a copy of hc (or a fresh client) whose redirects obey
// checkURL too, so an https key set cannot be redirected to plain http.
func safeClient(hc *http.Client, allowHTTP bool) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	inner := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errors.New("too many redirects")
		}
		if _, err := checkURL(req.URL.String(), allowHTTP); err != nil {
			return err
		}
		if inner != nil {
			return inner(req, via)
		}
		return nil
	}
	return c
}

// response is what fetch returns: the status, headers and a bounded body.
type response struct {
	status int
	header http.Header
	body   []byte
}

// fetch GETs u with the given headers within the config's timeout and reads
// at most limit bytes of the body; a longer body is an error, never
// truncated.
func (c *config) fetch(ctx context.Context, u string, hdr http.Header, limit int64) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFetch, err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: GET %s: %v", ErrFetch, redact(u), netErr(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: GET %s: reading the body: %v", ErrFetch, redact(u), netErr(err))
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: GET %s: the body exceeds %d bytes", ErrFetch, redact(u), limit)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// redact drops the query of a URL for messages: it is the only part that
// could carry something a log should not hold.
func redact(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// netErr shortens a *url.Error to its cause (the URL is already named).
func netErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errors.New("timed out")
	}
	return err
}
