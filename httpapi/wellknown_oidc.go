package httpapi

import "github.com/signet-dev/signet/oauth2"

// providerDoc is the part of the discovery document that describes the
// OpenID provider, when there is one: each member names exactly what the
// /oauth2/ endpoints do, no more.
type providerDoc struct {
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	UserinfoEndpoint      string   `json:"userinfo_endpoint"`
	IntrospectionEndpoint string   `json:"introspection_endpoint"`
	RevocationEndpoint    string   `json:"revocation_endpoint"`
	EndSessionEndpoint    string   `json:"end_session_endpoint"`
	ScopesSupported       []string `json:"scopes_supported"`
	ResponseModes         []string `json:"response_modes_supported"`
	GrantTypes            []string `json:"grant_types_supported"`
	TokenAuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
	IntrospectAuthMethods []string `json:"introspection_endpoint_auth_methods_supported"`
	RevokeAuthMethods     []string `json:"revocation_endpoint_auth_methods_supported"`
	CodeChallengeMethods  []string `json:"code_challenge_methods_supported"`
	PromptValues          []string `json:"prompt_values_supported"`
	ClaimsSupported       []string `json:"claims_supported"`
	IssParameter          bool     `json:"authorization_response_iss_parameter_supported"`
	RequestParameter      bool     `json:"request_parameter_supported"`
	RequestURIParameter   bool     `json:"request_uri_parameter_supported"`
	ClaimsParameter       bool     `json:"claims_parameter_supported"`
}

func newProviderDoc(iss string) *providerDoc {
	return &providerDoc{
		AuthorizationEndpoint: iss + "/oauth2/authorize",
		TokenEndpoint:         iss + "/oauth2/token",
		UserinfoEndpoint:      iss + "/oauth2/userinfo",
		IntrospectionEndpoint: iss + "/oauth2/introspect",
		RevocationEndpoint:    iss + "/oauth2/revoke",
		EndSessionEndpoint:    iss + "/oauth2/logout",
		ScopesSupported:       []string{"openid", "profile", "email"},
		ResponseModes:         []string{"query"},
		GrantTypes:            []string{"authorization_code", "refresh_token", "client_credentials"},
		TokenAuthMethods:      []string{oauth2.AuthBasic, oauth2.AuthPost, oauth2.AuthNone},
		IntrospectAuthMethods: []string{oauth2.AuthBasic, oauth2.AuthPost},
		RevokeAuthMethods:     []string{oauth2.AuthBasic, oauth2.AuthPost, oauth2.AuthNone},
		CodeChallengeMethods:  []string{"S256"},
		PromptValues:          []string{"none", "login", "consent"},
		ClaimsSupported:       []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "email", "email_verified", "name"},
		IssParameter:          true,
	}
}
