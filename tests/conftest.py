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
    from chalicelib.store.models import PodiumItem
    from local.stack import provision

    with mock_aws():
        PodiumItem._connection = None  # a client bound to a previous mock must not leak in
        provision(settings())
        yield
        PodiumItem._connection = None
