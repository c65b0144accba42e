"""Staff sign-in on the local stack: a user pool and app client in moto's Cognito (the same
token shape as AWS: RS256 access tokens with `cognito:groups`, the JWKS served by moto), and
`staff_token()`, which makes a staff user with their memberships and signs them in.

Used by `podium token` (through the local front door's /_local/staff-tokens), by tests, and by
a person trying the admin API with curl. Never deployed: in AWS, staff sign in to Cognito.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.admin.model import Membership
from chalicelib.core import aws

POOL_NAME = "podium-staff"
CLIENT_NAME = "podium-admin"


@dataclass(frozen=True)
class LocalPool:
    pool_id: str
    client_id: str
    region: str

    @property
    def issuer(self) -> str:  # what moto's Cognito writes in `iss`, as AWS does
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    def env(self, moto_url: str) -> dict[str, str]:
        return {
            "PODIUM_STAFF_POOL_ID": self.pool_id,
            "PODIUM_STAFF_ISSUER": self.issuer,
            "PODIUM_STAFF_CLIENT_ID": self.client_id,
            "PODIUM_STAFF_JWKS_URL": f"{moto_url}/{self.pool_id}/.well-known/jwks.json",
        }


def provision_staff_pool(region: str) -> LocalPool:
    cognito = aws.client("cognito-idp")
    pool_id = cognito.create_user_pool(
        PoolName=POOL_NAME,
        Policies={"PasswordPolicy": {"MinimumLength": 12}},
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=CLIENT_NAME,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return LocalPool(pool_id, client_id, region)


def staff_token(
    pool_id: str, client_id: str, memberships: Iterable[Membership], username: str | None = None
) -> str:
    """A staff user in these groups (created, or brought up to date), signed in: the access
    token. Without a username, one is made from the memberships."""
    cognito = aws.client("cognito-idp")
    wanted = sorted({m.group for m in memberships})
    name = username or "-".join(g.replace(":", ".") for g in wanted) or "nobody"
    existing = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    for group in wanted:
        if group not in existing:
            cognito.create_group(UserPoolId=pool_id, GroupName=group)
    with contextlib.suppress(cognito.exceptions.UsernameExistsException):
        cognito.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    current = {
        g["GroupName"]
        for g in cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=name)["Groups"]
    }
    for group in current - set(wanted):
        cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username=name, GroupName=group)
    for group in set(wanted) - current:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName=group)
    password = f"Local-{secrets.token_urlsafe(18)}-1a"
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=name, Password=password, Permanent=True
    )
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": password},
    )
    return str(signed_in["AuthenticationResult"]["AccessToken"])
