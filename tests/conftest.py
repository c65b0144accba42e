"""Shared fixtures. Tests never reach AWS: credentials are fake and endpoints are local."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Before anything creates a boto3 client: fake credentials, a fixed region, no endpoints
# inherited from a shell that runs the local stack.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1",
    }
)
for name in list(os.environ):
    if name.startswith("AWS_ENDPOINT_URL") or name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        del os.environ[name]


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in-process with the table and bucket provisioned, fresh for each test."""
    from moto import mock_aws

    from chalicelib.core.config import settings
    from chalicelib.store.models import forget_connections
    from local.stack import provision

    with mock_aws():
        forget_connections()  # a client bound to a previous mock must not leak in
        provision(settings())
        yield
        forget_connections()


@pytest.fixture(scope="session")
def dynamodb_local_endpoint() -> Iterator[str]:
    """One AWS DynamoDB Local for the session: real conditions, transactions and
    cancellation reasons, and safe under concurrency (moto's DynamoDB is neither)."""
    from local.stack import DynamoDBLocal

    server = DynamoDBLocal()
    server.launch()
    try:
        server.wait_ready()
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture
def dynamodb(dynamodb_local_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the app at DynamoDB Local with the table in place. The table lives for the
    session: tests keep apart by using their own performance ids."""
    import boto3

    from chalicelib.core.config import settings
    from chalicelib.inventory.store import _cached_seat_map
    from chalicelib.store.models import forget_connections
    from chalicelib.store.schema import create_table_request

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_local_endpoint)
    forget_connections()
    _cached_seat_map.cache_clear()
    client = boto3.client("dynamodb")
    table = settings().table_name
    if table not in client.list_tables()["TableNames"]:
        client.create_table(**create_table_request(table))
    yield
    forget_connections()
    _cached_seat_map.cache_clear()
