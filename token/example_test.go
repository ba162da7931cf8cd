package token_test

import (
	"fmt"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/jose"
	"github.com/signet-dev/signet/token"
)

func ExampleNewRefreshToken() {
	tok, hash := token.NewRefreshToken()
	// Hand tok to the client once; store only hash.
	fmt.Println(len(tok), token.LooksLikeRefreshToken(tok), string(hash) == string(signet.HashRefreshToken(tok)))
	// Output: 43 true true
}

func ExampleAccessTokenHash() {
	// The example of OpenID Connect Core, appendix A.3.
	h, _ := token.AccessTokenHash(jose.RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")
	fmt.Println(h)
	// Output: 77QmUPtjPfzWtF2AnpK9RQ
}
