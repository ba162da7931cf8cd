// Package examples holds runnable examples of protecting APIs with signet's
// tokens: posts/ is an HTTP API using the Go verification library
// (github.com/signet-dev/signet/jose/verify); python/ and node/ verify the
// same tokens through the issuer's JWKS with PyJWT and jose. This module
// requires the zero-dependency jose module only.
package examples
