package account

// This file is the contract between the account service (the logic of
// signup, login, tokens, sessions and revocation) and its callers: the HTTP
// layer (package httpapi) and the CLI (cmd/signet). Changing a signature here
// changes both sides.

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/jose/verify"
	"github.com/signet-dev/signet/password"
)

// Config is the service's configuration; Defaults fills what is unset, in one
// place.
type Config struct {
	Issuer             string              // iss of every token, e.g. "http://localhost:8080"
	Audiences          []string            // aud of first-party access tokens; default [Issuer]
	FirstPartyClientID string              // client_id of /v1 tokens, aud of their ID tokens; default "signet"
	AccessTTL          time.Duration       // default 15m
	IDTokenTTL         time.Duration       // default 1h
	RefreshIdleTTL     time.Duration       // session idle lifetime; default 14 days
	RefreshAbsoluteTTL time.Duration       // session absolute lifetime; default 30 days
	RefreshGrace       time.Duration       // grace window for concurrent refreshes; default 10s
	DefaultRoles       []string            // roles of a new account; default ["user"]
	RoleScopes         map[string][]string // role → scopes; default {"user": ["openid","profile","email"]}
	Leeway             time.Duration       // clock skew on time claims; default 30s
	Now                func() time.Time    // default time.Now

	// Settings beyond the HTTP contract; zero values are the defaults.
	Policy        password.Policy // vets new passwords; the zero Policy is the recommended one
	Throttle      ThrottleLimits  // failed logins per account and per client address
	MaxNameLength int             // display name bound, in characters; default 100
	PollEvery     time.Duration   // how often Run reads other processes' revocations; default 1s
	Logger        *slog.Logger    // receives the security events; default slog.Default()
}

// Meta is what the HTTP layer knows about the caller of a request.
type Meta struct {
	ClientIP  string // the client address, after the trusted-proxy rule
	UserAgent string
}

// SignupRequest is the body of POST /v1/signup.
type SignupRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// LoginRequest is the body of POST /v1/login. Scope, when set, must be a
// subset of what the user's roles grant.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Scope    string `json:"scope,omitempty"`
}

// TokenResponse is the token response of /v1/login and /v1/refresh (the OAuth
// 2.0 shape, RFC 6749 section 5.1).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"` // "Bearer"
	ExpiresIn    int64  `json:"expires_in"` // seconds
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
	Scope        string `json:"scope"`
}

// Profile is the body of GET /v1/me.
type Profile struct {
	Sub       string    `json:"sub"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Roles     []string  `json:"roles"`
	Scope     string    `json:"scope"`
	SessionID string    `json:"sid"`
	CreatedAt time.Time `json:"created_at"`
}

// SessionView is one element of GET /v1/sessions.
type SessionView struct {
	ID         string    `json:"id"`
	ClientID   string    `json:"client_id"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	UserAgent  string    `json:"user_agent"`
	Current    bool      `json:"current"`
}

// Errors the service returns besides the signet.Error codes of the store
// (signet.ErrInvalid for a bad request with a message a person can act on,
// signet.ErrConflict for a taken email, signet.ErrNotFound). The HTTP layer
// maps each to one documented problem type.
var (
	// ErrInvalidCredentials: wrong email or password; same error, same time.
	ErrInvalidCredentials = errors.New("invalid email or password")
	// ErrInvalidGrant: an unknown, expired, revoked or reused refresh token.
	ErrInvalidGrant = errors.New("invalid refresh token")
	// ErrAccountDisabled is never shown to a client as such on login (that
	// would reveal the account); it is used by admin paths.
	ErrAccountDisabled = errors.New("account disabled")
	// ErrInvalidToken: a bearer token that is not valid (wraps the jose
	// sentinel) or is revoked.
	ErrInvalidToken = errors.New("invalid access token")
	// ErrRevoked wraps ErrInvalidToken for a revoked token.
	ErrRevoked = errors.New("access token revoked")
	// ErrScope: a login asked for scopes the user's roles do not grant.
	ErrScope = errors.New("scope not granted")
	// ErrCursorGone: a revocation cursor older than what the server keeps
	// (HTTP 410; the follower starts again from the full list).
	ErrCursorGone = errors.New("revocation cursor too old")
)

// ThrottledError is returned when a login (or signup) is refused by the
// brute-force throttle; HTTP answers 429 with Retry-After.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string { return "too many attempts; retry later" }

// API is what the HTTP layer and the CLI need from the service. *Service
// implements it.
type API interface {
	Signup(ctx context.Context, r SignupRequest, m Meta) (Profile, error)
	Login(ctx context.Context, r LoginRequest, m Meta) (TokenResponse, error)
	Refresh(ctx context.Context, refreshToken string, m Meta) (TokenResponse, error)
	// Authenticate verifies a bearer access token (signature, claims, aud =
	// the issuer or a configured audience, revocation set) and returns its
	// claims; errors wrap ErrInvalidToken.
	Authenticate(ctx context.Context, bearer string) (*jose.Claims, error)
	Logout(ctx context.Context, c *jose.Claims, all bool) error
	Me(ctx context.Context, c *jose.Claims) (Profile, error)
	Sessions(ctx context.Context, c *jose.Claims) ([]SessionView, error)
	RevokeSession(ctx context.Context, c *jose.Claims, sessionID string) error
	ChangePassword(ctx context.Context, c *jose.Claims, current, next string) error

	// Revocations returns the live revocation entries after cursor ("" for
	// all) and the current cursor; ErrCursorGone when cursor is too old.
	Revocations(ctx context.Context, after string) (entries []verify.Entry, cursor string, err error)
	// WaitRevocations blocks until an entry after cursor exists or ctx ends
	// (used by the SSE stream); it returns the new entries.
	WaitRevocations(ctx context.Context, after string) ([]verify.Entry, string, error)
	// JWKS returns the published public key set document and how long it may
	// be cached.
	JWKS(ctx context.Context) (doc []byte, maxAge time.Duration, err error)
}
