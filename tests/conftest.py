"""Shared fixtures. Tests never reach AWS: credentials are fake and endpoints are local."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).parent
# Packages whose tests share one package-scoped stack (tests/browser/: the seeded site).
ONE_WORKER_PACKAGES = {TESTS / "browser"}

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


def pytest_configure(config: pytest.Config) -> None:
    from local.stack import share_dynamodb_local

    # Most modules under e2e/ and browser/ start a stack: they take turns on one warm
    # DynamoDB Local per process instead of starting a JVM each.
    share_dynamodb_local()


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`make test` runs two xdist workers with `--dist loadfile`: a module runs whole in one
    worker (its module-scoped stack, and the state its tests build on, stay in one process).
    Here a package of ONE_WORKER_PACKAGES counts as one module too: spread over both workers,
    the browser package's seeded stack was started 6 times in a run instead of once.
    (`--dist loadgroup` would do this with marks, but xdist 3.8 cannot rename pytest 9's
    node ids, so every test became a group of its own.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    packages = [f"{p.relative_to(TESTS.parent).as_posix()}/" for p in ONE_WORKER_PACKAGES]

    class ModuleOrPackageScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return next((p for p in packages if module.startswith(p)), module)

    return ModuleOrPackageScheduling(config, log)


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in-process with the table and bucket provisioned, fresh for each test."""
    from moto import mock_aws

    from chalicelib import bootstrap
    from chalicelib.core.config import settings
    from local.stack import provision

    with mock_aws():
        bootstrap.reset()  # a client bound to a previous mock must not leak in
        provision(settings())
        yield
        bootstrap.reset()


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

    from chalicelib import bootstrap
    from chalicelib.core.config import settings
    from chalicelib.inventory.store import _cached_seat_map
    from chalicelib.store.schema import create_table_request

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_local_endpoint)
    bootstrap.reset()  # the container's clients follow the endpoint
    _cached_seat_map.cache_clear()
    client = boto3.client("dynamodb")
    table = settings().table_name
    if table not in client.list_tables()["TableNames"]:
        client.create_table(**create_table_request(table))
    yield
    bootstrap.reset()
    _cached_seat_map.cache_clear()
