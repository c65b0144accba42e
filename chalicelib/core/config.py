"""Settings read from the environment: the one place the app learns where its resources are and
which secrets it signs with. Read once per process (`settings()`); the composition root
(chalicelib/bootstrap.py) hands the parts to the adapters that need them.

Endpoints are not settings: botocore reads `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`
itself, so the same code talks to AWS or to the embedded local stack.

Every field has a default, because infra/stacks.py derives resource names from the defaults of
the queue fields (`fields(Settings)`). A secret's default is empty: whoever needs it asks
`Settings.secret()`, which refuses an empty one, so a function that signs nothing starts
without it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

# The environment variable of each field (infra/stacks.py and the local stack set these).
ENVIRONMENT: dict[str, str] = {
    "table_name": "PODIUM_TABLE",
    "webshop_bucket": "PODIUM_WEBSHOP_BUCKET",
    "tickets_bucket": "PODIUM_TICKETS_BUCKET",
    "mail_from": "PODIUM_MAIL_FROM",
    "waiting_room_queue": "PODIUM_WAITING_ROOM_QUEUE",
    "refund_queue": "PODIUM_REFUND_QUEUE",
    "public_url": "PODIUM_PUBLIC_URL",
    "checkout_state_machine": "PODIUM_CHECKOUT_STATE_MACHINE",
    "staff_issuer": "PODIUM_STAFF_ISSUER",
    "staff_client_id": "PODIUM_STAFF_CLIENT_ID",
    "staff_jwks_url": "PODIUM_STAFF_JWKS_URL",
    "ticket_key_secret": "PODIUM_TICKET_KEY_SECRET",
    "order_token_secret": "PODIUM_ORDER_TOKEN_SECRET",
    "admission_token_secret": "PODIUM_ADMISSION_TOKEN_SECRET",
    "stripe_api_key": "STRIPE_API_KEY",
    "stripe_api_base": "STRIPE_API_BASE",
    "stripe_webhook_secret": "STRIPE_WEBHOOK_SECRET",
}


@dataclass(frozen=True)
class Settings:
    table_name: str = "podium"
    webshop_bucket: str = "podium-webshop"
    tickets_bucket: str = "podium-tickets"
    mail_from: str = "tickets@podium.example"
    region: str = "eu-west-1"
    # The waiting room's arrivals; its dead-letter queue is this name + "-dlq".
    waiting_room_queue: str = "podium-waiting-room"
    # A cancelled performance's refunds, one message per order; dead letters in "<name>-dlq".
    refund_queue: str = "podium-refunds"
    # Where the webshop and the API answer: links in mails and Stripe's way back.
    public_url: str = "http://127.0.0.1:8000"
    checkout_state_machine: str = ""
    # The staff user pool (Cognito): https://cognito-idp.<region>.amazonaws.com/<pool id>
    staff_issuer: str = ""
    staff_client_id: str = ""
    staff_jwks_url: str = ""  # empty: the issuer's /.well-known/jwks.json
    # Secrets stay out of repr: a settings object in a log line must not leak one.
    ticket_key_secret: str = field(default="", repr=False)
    order_token_secret: str = field(default="", repr=False)
    admission_token_secret: str = field(default="", repr=False)
    stripe_api_key: str = field(default="", repr=False)
    stripe_api_base: str = ""  # empty: Stripe itself; locally the Stripe double
    stripe_webhook_secret: str = field(default="", repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Unset or empty variables keep their defaults."""
        env = os.environ if environ is None else environ
        given = {name: env[var] for name, var in ENVIRONMENT.items() if env.get(var)}
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
        if region:
            given["region"] = region
        return cls(**given)

    def secret(self, name: str) -> bytes:
        """A secret setting, refused when empty: nothing is ever signed with an empty key."""
        value: str = getattr(self, name)
        if not value:
            raise RuntimeError(f"{ENVIRONMENT[name]} is not set")
        return value.encode()

    def required(self, name: str) -> str:
        value: str = getattr(self, name)
        if not value:
            raise RuntimeError(f"{ENVIRONMENT[name]} is not set")
        return value

    @property
    def staff_keys_url(self) -> str:
        return self.staff_jwks_url or f"{self.staff_issuer}/.well-known/jwks.json"


@cache
def settings() -> Settings:
    """This process's settings. chalicelib.bootstrap.reset() forgets them, for the local stack
    and tests that change the environment within one process."""
    return Settings.from_environment()
