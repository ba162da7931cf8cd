package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/signet-dev/signet/account"
)

// Server is signet's HTTP API. Build it with New; it is safe for concurrent
// use.
type Server struct {
	cfg     Config
	api     account.API
	ready   func(context.Context) error
	log     *slog.Logger
	metrics *metrics
	mux     *http.ServeMux
	routes  map[string]string // registered pattern → route label
	handler http.Handler

	mu      sync.Mutex     // guards closing and the Add calls of streams
	closing chan struct{}  // closed by Shutdown
	streams sync.WaitGroup // one per open event stream
}

// New returns a Server that answers with api. ready is the readiness check
// behind /readyz (a database ping, say); nil means always ready. cfg's unset
// fields get their defaults; New does not validate cfg (see Config.Validate).
func New(cfg Config, api account.API, ready func(context.Context) error) *Server {
	cfg = cfg.withDefaults()
	if ready == nil {
		ready = func(context.Context) error { return nil }
	}
	s := &Server{
		cfg:     cfg,
		api:     api,
		ready:   ready,
		log:     cfg.Logger,
		metrics: newMetrics(cfg.Now()),
		mux:     http.NewServeMux(),
		routes:  map[string]string{},
		closing: make(chan struct{}),
	}
	for _, m := range []interface{ Mount(*Server) }{
		tokenHandler{s}, accountHandler{s}, revocationHandler{s}, wellKnownHandler{s}, opsHandler{s},
		tokenEndpoints{s}, browserPages{s},
	} {
		m.Mount(s)
	}
	s.handler = http.HandlerFunc(s.serve)
	return s
}

// Handler returns the http.Handler of every route, with the access log,
// metrics, security headers and CORS around them.
func (s *Server) Handler() http.Handler { return s.handler }

// Shutdown ends every open revocation stream, makes /readyz answer 503 and
// refuses new streams, then waits until the stream handlers have returned or
// ctx ends. Call it when http.Server.Shutdown starts (RegisterOnShutdown), as
// that waits for active requests and a stream never finishes on its own.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.streams.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// shuttingDown reports whether Shutdown has been called.
func (s *Server) shuttingDown() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// Timeouts and limits of NewHTTPServer.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 15 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 32 << 10 // an 8 KiB token fits several times over
)

// NewHTTPServer returns an http.Server for h on addr with every timeout set
// and the header size bounded (SECURITY.md rule 16), so a slow or oversized
// client cannot hold a connection or memory. The revocation stream extends
// its own deadlines, so WriteTimeout does not cut it.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
}
