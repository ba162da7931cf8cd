// Verify a signet access token in Node through the issuer's JWKS.
//
//   node verify.mjs JWKS_URL ISSUER AUDIENCE < token.txt
//
// Prints the verified claims as JSON and exits 0, or prints why the token
// was refused and exits 1. createRemoteJWKSet caches the key set, honours
// its freshness and fetches it again (rate-limited) for an unknown "kid", so
// a signet key rotation needs no restart.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [jwksURL, issuer, audience] = process.argv.slice(2);
if (!jwksURL || !issuer || !audience) {
  console.error('usage: node verify.mjs JWKS_URL ISSUER AUDIENCE < token');
  process.exit(2);
}

let token = '';
for await (const chunk of process.stdin) token += chunk;
token = token.trim();

const jwks = createRemoteJWKSet(new URL(jwksURL));
try {
  const { payload } = await jwtVerify(token, jwks, {
    issuer,
    audience,
    typ: 'at+jwt', // an RFC 9068 access token, never an ID token
    // Asymmetric algorithms only: a public key is never an HMAC secret.
    algorithms: ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'],
    requiredClaims: ['exp', 'iat', 'sub'],
    clockTolerance: 30,
  });
  console.log(JSON.stringify(payload));
} catch (err) {
  console.error(`refused: ${err.code ?? 'ERR'}: ${err.message}`);
  process.exit(1);
}
