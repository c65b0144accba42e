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
