"""Small shared pieces of the DynamoDB adapters: times as conditions compare them, the store's
connection for transactions, and one way to drop every cached connection."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from chalicelib.core.aws import MAX_CONNECTIONS
from chalicelib.core.config import settings
from chalicelib.store.models import PodiumItem, share_one_connection


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(value: float) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def transact_write(token: str | None = None) -> TransactWrite:
    """A pynamodb transaction (TransactWriteItems) on the store's connection. A cancelled one
    raises TransactWriteError with pynamodb's cancellation reasons, the holder's item included
    where an action asked for ReturnValuesOnConditionCheckFailure."""
    return TransactWrite(connection=connection(), client_request_token=token)


@lru_cache(maxsize=1)
def connection() -> Connection:
    """The store's own connection for what the models do not offer (transactions): pynamodb's
    public Connection, as its documentation builds one for TransactWrite. Its botocore client is
    made on first use, at the endpoint the environment names then (AWS_ENDPOINT_URL_DYNAMODB for
    DynamoDB Local), with the same pool size as the models' connection."""
    return Connection(region=settings().region, max_pool_connections=MAX_CONNECTIONS)


def forget_connections() -> None:
    """Drop the cached connections (the store's and the models' one), so that the next call
    follows the current endpoint: tests and the local stack change it within one process."""
    connection.cache_clear()
    # pynamodb has no public way to drop a model's cached connection (pynamodb/PynamoDB#287,
    # #1275): its class attribute is reset here, the one place that touches it.
    PodiumItem._connection = None
    share_one_connection()
