#!/usr/bin/python3
"""Verify a signet access token in Python through the issuer's JWKS.

    /usr/bin/python3 verify.py JWKS_URL ISSUER AUDIENCE < token.txt

Prints the verified claims as JSON and exits 0, or prints why the token was
refused and exits 1. It needs PyJWT with its crypto extra: Debian's
python3-jwt (apt-get install python3-jwt), or `pip install pyjwt[crypto]`.
PyJWKClient caches the key set and fetches it again for an unknown "kid",
so a signet key rotation needs no restart.
"""
import json
import sys

import jwt

# Asymmetric algorithms only: a public key is never taken as an HMAC secret.
ALGORITHMS = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512",
              "PS256", "PS384", "PS512", "EdDSA"]
ACCESS_TOKEN_TYPES = ("at+jwt", "application/at+jwt")  # RFC 9068


def verify(token, jwks_url, issuer, audience):
    """Returns the claims of token, or raises jwt.PyJWTError."""
    signing_key = jwt.PyJWKClient(jwks_url).get_signing_key_from_jwt(token)
    decoded = jwt.api_jwt.decode_complete(
        token,
        signing_key.key,
        algorithms=ALGORITHMS,
        issuer=issuer,
        audience=audience,
        leeway=30,
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )
    # An ID token is never accepted as an access token.
    if str(decoded["header"].get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
        raise jwt.InvalidTokenError("not an access token (typ is not at+jwt)")
    return decoded["payload"]


def main(argv):
    if len(argv) != 4:
        print("usage: verify.py JWKS_URL ISSUER AUDIENCE < token", file=sys.stderr)
        return 2
    token = sys.stdin.read().strip()
    try:
        claims = verify(token, argv[1], argv[2], argv[3])
    except jwt.PyJWTError as err:
        print(f"refused: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print(json.dumps(claims))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
