// Package httpapi is signet's HTTP layer: the first-party JSON API under /v1,
// the revocation feed and its Server-Sent Events stream, the well-known
// discovery and key-set documents, and the operations endpoints (/healthz,
// /readyz, /metrics), and, when Config.Provider is set, the OpenID
// provider: the JSON endpoints under /oauth2/ (token, introspect, revoke,
// userinfo; RFC 6749 error JSON, oauth_*.go) and the browser's pages
// (authorize, login, consent, logout: embedded html/template files with a
// strict Content-Security-Policy, CSRF tokens and the browser-session
// cookie, pages*.go), all on a standard library http.ServeMux.
//
// It holds no logic of its own: every request is parsed strictly, turned into
// a call of account.API, and the answer (or error) is written back. Errors
// become RFC 9457 problem documents in exactly one place (problemFor), each
// kind with a stable, documented type URI (docs/problems.md); a refused bearer
// token also gets an RFC 6750 WWW-Authenticate challenge.
//
// A Server is built by New and served through Handler; NewHTTPServer returns
// an http.Server with every timeout set. Shutdown ends the event streams so
// that http.Server.Shutdown can finish:
//
//	srv := httpapi.New(cfg, service, store.Ping)
//	hs := httpapi.NewHTTPServer(addr, srv.Handler())
//	hs.RegisterOnShutdown(func() { srv.Shutdown(context.Background()) })
package httpapi
