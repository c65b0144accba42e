"""Staff access tokens from a Cognito user pool, verified in code against the pool's JWKS with
PyJWT: RS256 signature by a key of the pool (by `kid`), issuer, expiry, `token_use` = access and
`client_id` = our app client. Locally the same tokens come from moto's Cognito (local/staff.py),
with the JWKS served by moto; nothing here knows which.

Configuration: the staff_* settings (chalicelib/core/config.py); chalicelib/bootstrap.py
makes the pool from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt

from chalicelib.admin.model import Staff
from chalicelib.admin.problems import staff_token_expired, staff_token_invalid

ALGORITHMS = ["RS256"]  # Cognito signs with RS256 only; never accept "none" or HS256
LEEWAY_SECONDS = 30  # clock skew between Cognito and Lambda


@dataclass(frozen=True)
class StaffPool:
    issuer: str
    client_id: str
    jwks_url: str


class StaffTokens:
    def __init__(self, pool: StaffPool, keys: Any | None = None) -> None:
        self.pool = pool
        # PyJWKClient caches the pool's keys; a new kid (key rotation) is fetched once.
        self.keys = keys or jwt.PyJWKClient(pool.jwks_url, cache_keys=True, lifespan=3600)

    def staff(self, token: str, now: datetime) -> Staff:
        claims = self._claims(token, now)
        if claims.get("token_use") != "access" or claims.get("client_id") != self.pool.client_id:
            raise staff_token_invalid()  # an id token, or a token of another app client
        groups = claims.get("cognito:groups") or []
        if not isinstance(groups, list):
            raise staff_token_invalid()
        username = str(claims.get("username") or claims["sub"])
        return Staff.from_groups(str(claims["sub"]), username, (str(g) for g in groups))

    def _claims(self, token: str, now: datetime) -> dict[str, Any]:
        try:
            key = self.keys.get_signing_key_from_jwt(token).key
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self.pool.issuer,
                # expiry against our own clock below, so that tests can move time
                options={"verify_exp": False, "verify_aud": False, "require": ["exp", "sub"]},
            )
        except jwt.PyJWKClientConnectionError:
            raise  # the pool's keys could not be fetched: our fault, not the caller's (500)
        except jwt.PyJWKClientError as error:
            raise staff_token_invalid() from error  # no such key in the pool
        except jwt.PyJWTError as error:
            raise staff_token_invalid() from error
        if int(claims["exp"]) + LEEWAY_SECONDS <= now.timestamp():
            raise staff_token_expired()
        return claims
