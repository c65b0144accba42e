"""The one definition of the table's shape.

The local stack creates the table from `create_table_request()`; the CDK stack (infra/) builds
its table from the same `TABLE` description, and a test checks the pynamodb models against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Index:
    name: str
    hash_key: str
    range_key: str | None
    purpose: str


@dataclass(frozen=True)
class TableShape:
    hash_key: str
    range_key: str
    indexes: tuple[Index, ...]
    ttl_attribute: str
    stream_view: str


TABLE = TableShape(
    hash_key="pk",
    range_key="sk",
    indexes=(
        Index("gsi1", "gsi1pk", "gsi1sk", "cluster-wide collections: houses, the timeline"),
        Index("gsi2", "gsi2pk", "gsi2sk", "house-wide collections: the house timeline"),
        Index("gsi3", "gsi3pk", "gsi3sk", "staff only: a house's whole programme by start time"),
        Index("lookup", "lookup", None, "public objects by their global id"),
    ),
    ttl_attribute="expires",
    stream_view="NEW_AND_OLD_IMAGES",
)


def create_table_request(table_name: str) -> dict[str, Any]:
    """Arguments for DynamoDB CreateTable: on-demand, streams on, every index projecting all."""
    key_names = [TABLE.hash_key, TABLE.range_key]
    for index in TABLE.indexes:
        key_names.extend(k for k in (index.hash_key, index.range_key) if k)
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in dict.fromkeys(key_names)
        ],
        "KeySchema": _key_schema(TABLE.hash_key, TABLE.range_key),
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.hash_key, index.range_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in TABLE.indexes
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": TABLE.stream_view},
    }


def _key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


# --- queues ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueShape:
    """An SQS queue with its dead-letter queue (named `<name>-dlq`)."""

    visibility_timeout_seconds: int
    max_receive_count: int  # receives before a message moves to the dead-letter queue
    dead_letter_retention_seconds: int


# The waiting room's arrivals. Visibility timeout: six times the consumer Lambda's timeout
# (Chalice's default, 60 s), as AWS advises for SQS event sources; the local stack shortens it
# so that a failed message comes back within seconds.
WAITING_ROOM_QUEUE = QueueShape(
    visibility_timeout_seconds=360,
    max_receive_count=5,
    dead_letter_retention_seconds=14 * 24 * 3600,
)


# A cancelled performance's refunds (chalicelib/programme/cancellation.py): one message per
# completed order, a trigger only (the consumer re-reads the order and the performance). Same
# visibility rule as above; a refund that keeps failing (Stripe down, a bad order) is retried
# 5 times, then waits in the dead-letter queue for a person, 14 days, never dropped.
REFUND_QUEUE = QueueShape(
    visibility_timeout_seconds=360,
    max_receive_count=5,
    dead_letter_retention_seconds=14 * 24 * 3600,
)

# Every queue the app reads, by its settings field: the local stack creates these, and the
# CDK stack (issue #8) builds each with its dead-letter queue from the same shapes.
QUEUES: dict[str, QueueShape] = {
    "waiting_room_queue": WAITING_ROOM_QUEUE,
    "refund_queue": REFUND_QUEUE,
}


def dead_letter_queue_name(queue_name: str) -> str:
    return f"{queue_name}-dlq"


def queue_attributes(
    shape: QueueShape, dead_letter_arn: str, visibility_timeout: int | None = None
) -> dict[str, str]:
    """CreateQueue attributes: visibility timeout and the redrive to the dead-letter queue."""
    import json

    return {
        "VisibilityTimeout": str(visibility_timeout or shape.visibility_timeout_seconds),
        "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": shape.max_receive_count}
        ),
    }
