"""One way to make an AWS client. Lambda serves one request at a time per process, where
botocore's pool of 10 connections is ample; the local stack serves many requests on threads of
one process, and a full pool drops connections, each replaced by a new TCP connection that moto
must accept (an on-sale run left ~90 connections waiting in moto's accept queue)."""

from __future__ import annotations

from typing import Any

MAX_CONNECTIONS = 50


def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(service, config=Config(max_pool_connections=MAX_CONNECTIONS))
