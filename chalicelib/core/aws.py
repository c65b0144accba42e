"""One way to make an AWS client. Lambda serves one request at a time per process, where
botocore's pool of 10 connections is ample; the local stack serves many requests on threads of
one process, and a full pool drops connections, each replaced by a new TCP connection that moto
must accept (an on-sale run left ~90 connections waiting in moto's accept queue)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:  # the boto3 stubs of the dev extra; nothing of them is deployed
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_ses import SESClient
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_stepfunctions import SFNClient

MAX_CONNECTIONS = 50

Service = Literal["cognito-idp", "s3", "ses", "sqs", "stepfunctions"]


@overload
def client(service: Literal["cognito-idp"]) -> CognitoIdentityProviderClient: ...
@overload
def client(service: Literal["s3"]) -> S3Client: ...
@overload
def client(service: Literal["ses"]) -> SESClient: ...
@overload
def client(service: Literal["sqs"]) -> SQSClient: ...
@overload
def client(service: Literal["stepfunctions"]) -> SFNClient: ...


def client(service: Service) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(service, config=Config(max_pool_connections=MAX_CONNECTIONS))
