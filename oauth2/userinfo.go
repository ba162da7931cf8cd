package oauth2

import (
	"context"
	"errors"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
)

// UserInfo is the answer of the userinfo endpoint (OpenID Connect Core
// section 5.3): sub always, the other claims as the token's scopes release
// them.
type UserInfo struct {
	Sub           string `json:"sub"`
	Email         string `json:"email,omitempty"`
	EmailVerified *bool  `json:"email_verified,omitempty"`
	Name          string `json:"name,omitempty"`
}

// UserInfo returns the claims of the user of an access token the account
// service has verified (claims). A token without scope openid is
// ErrInsufficientScope; a user who no longer exists or is disabled makes
// the token ErrInvalidToken.
func (p *Provider) UserInfo(ctx context.Context, c *jose.Claims) (UserInfo, error) {
	if !c.HasScope("openid") {
		return UserInfo{}, oauthErr(ErrInsufficientScope, "userinfo needs a token with scope openid")
	}
	u, err := p.store.User(ctx, c.Subject)
	switch {
	case errors.Is(err, signet.ErrNotFound) || (err == nil && u.Disabled):
		return UserInfo{}, oauthErr(ErrInvalidToken, "the token's user cannot sign in")
	case err != nil:
		return UserInfo{}, internal("reading the user", err)
	}
	info := UserInfo{Sub: u.ID}
	if c.HasScope("email") {
		verified := false
		info.Email, info.EmailVerified = u.Email, &verified
	}
	if c.HasScope("profile") {
		info.Name = u.Name
	}
	return info, nil
}
