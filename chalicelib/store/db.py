"""Small shared pieces of the DynamoDB adapters: times as conditions compare them, and
transactions on the models' own connection."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from chalicelib.store.models import PodiumItem


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(value: float) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def transact_write(token: str | None = None) -> TransactWrite:
    """A pynamodb transaction on the model's own connection."""
    return TransactWrite(connection=_connection(), client_request_token=token)


def _connection() -> Connection:
    # The model's own connection: one botocore client per process, reset with the model's.
    return PodiumItem._get_connection().connection
