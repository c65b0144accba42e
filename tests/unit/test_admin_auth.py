"""Staff roles from Cognito groups, and staff tokens verified against the pool's keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.admin.model import Action, Membership, Role, Staff, parse_group
from chalicelib.admin.tokens import StaffPool, StaffTokens
from chalicelib.core.errors import Problem
from tests.factories import T0

POOL = StaffPool(
    issuer="https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_podium",
    client_id="podium-admin-client",
    jwks_url="https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_podium/.well-known/jwks.json",
)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class _SigningKey:
    key: Any


class PoolKeys:
    """PyJWKClient's one method, answering the pool's public key for its kid."""

    def get_signing_key_from_jwt(self, token: str) -> _SigningKey:
        if jwt.get_unverified_header(token).get("kid") != "pool-key-1":
            raise jwt.PyJWKClientError("Unable to find a signing key that matches")
        return _SigningKey(KEY.public_key())


def token(key: Any = KEY, kid: str = "pool-key-1", **claims: Any) -> str:
    base = {
        "iss": POOL.issuer,
        "sub": "5fff1adb-0baf",
        "client_id": POOL.client_id,
        "token_use": "access",
        "username": "an",
        "iat": int(T0.timestamp()),
        "exp": int((T0 + timedelta(hours=1)).timestamp()),
        "cognito:groups": ["house:ntgent:box_office", "house:campo:marketing"],
    }
    payload = {k: v for k, v in {**base, **claims}.items() if v is not None}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def tokens() -> StaffTokens:
    return StaffTokens(POOL, keys=PoolKeys())


def refused(tokens: StaffTokens, raw: str, at=T0) -> str | None:
    with pytest.raises(Problem) as raised:
        tokens.staff(raw, at)
    assert raised.value.status == 401
    return raised.value.code


def test_groups_become_memberships_and_unknown_groups_are_ignored():
    assert parse_group("house:ntgent:box_office") == Membership(Role.BOX_OFFICE, house="ntgent")
    assert parse_group("cluster:gent:cluster_admin") == Membership(
        Role.CLUSTER_ADMIN, cluster="gent"
    )
    for foreign in (
        "admins",
        "house:ntgent",
        "house:ntgent:owner",
        "cluster:gent:box_office",
        "house:ntgent:cluster_admin",
        "house::box_office",
    ):
        assert parse_group(foreign) is None, foreign


def test_what_each_role_may_do_and_for_which_houses():
    staff = Staff.from_groups(
        "s",
        "an",
        ["house:ntgent:box_office", "house:campo:marketing", "cluster:zuidwest:cluster_admin"],
    )
    clusters = {"zuidwest": ["budascoop", "cc-wevelgem"]}
    assert staff.houses_for(Action.SALES, clusters) == {"ntgent", "budascoop", "cc-wevelgem"}
    assert staff.houses_for(Action.AUDIENCE, clusters) == {"campo", "budascoop", "cc-wevelgem"}
    assert staff.houses_for(Action.PROGRAMME, clusters) == {"budascoop", "cc-wevelgem"}
    scanner = Staff.from_groups("s", "door", ["house:ntgent:scanner"])
    assert scanner.houses_for(Action.SCAN, {}) == {"ntgent"}
    assert scanner.houses_for(Action.SALES, {}) == frozenset()


def test_a_valid_access_token_names_the_staff_member(tokens):
    staff = tokens.staff(token(), T0 + timedelta(minutes=59))
    assert staff.username == "an" and staff.subject == "5fff1adb-0baf"
    assert staff.memberships == (
        Membership(Role.MARKETING, house="campo"),
        Membership(Role.BOX_OFFICE, house="ntgent"),
    )


def test_forged_foreign_expired_and_wrong_kinds_of_tokens_are_refused(tokens):
    assert refused(tokens, token(key=OTHER_KEY)) == "staff_token_invalid"  # not the pool's key
    assert refused(tokens, token(kid="someone-else")) == "staff_token_invalid"
    assert refused(tokens, token(iss="https://cognito-idp.eu-west-1.amazonaws.com/other")) == (
        "staff_token_invalid"
    )
    assert refused(tokens, token(client_id="another-app")) == "staff_token_invalid"
    assert refused(tokens, token(token_use="id")) == "staff_token_invalid"
    assert refused(tokens, token(exp=None)) == "staff_token_invalid"
    assert refused(tokens, token(), T0 + timedelta(hours=1, seconds=30)) == "staff_token_expired"
    assert refused(tokens, "not.a.token") == "staff_token_invalid"
    # The classic confusions: no signature at all, or HS256 keyed with the public key.
    unsigned = jwt.encode(jwt.decode(token(), options={"verify_signature": False}), None, "none")
    assert refused(tokens, unsigned) == "staff_token_invalid"
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _, payload, _ = token().split(".")
    confused_header = _b64(b'{"alg":"HS256","kid":"pool-key-1","typ":"JWT"}')
    signing_input = f"{confused_header}.{payload}".encode()
    mac = _b64(hmac.new(public_pem, signing_input, hashlib.sha256).digest())
    assert refused(tokens, f"{confused_header}.{payload}.{mac}") == "staff_token_invalid"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
