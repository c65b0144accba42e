"""Seeding the demo: idempotent, tenant-keyed, and publishing the static catalogue."""

import json
from datetime import UTC, datetime

import boto3
import pytest

from chalicelib.core.clock import FixedClock
from chalicelib.core.config import settings
from local.seed import seed

pytestmark = pytest.mark.usefixtures("aws")

CLOCK = FixedClock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))


def scan() -> list[dict]:
    client = boto3.client("dynamodb")
    pages = client.get_paginator("scan").paginate(TableName=settings().table_name)
    items = [item for page in pages for item in page["Items"]]
    return sorted(items, key=lambda item: (item["pk"]["S"], item["sk"]["S"]))


def bucket_files() -> dict[str, bytes]:
    s3 = boto3.client("s3")
    bucket = settings().webshop_bucket
    listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listing}


def test_seeding_twice_leaves_the_same_data():
    first = seed(CLOCK)
    items, files = scan(), bucket_files()
    second = seed(CLOCK)
    assert first == second
    assert scan() == items
    assert bucket_files() == files
    assert len(items) == first["items"]
    assert first["performances"] >= 60


def test_every_house_owned_item_lives_in_its_house_partition():
    seed(CLOCK)
    for item in scan():
        pk = item["pk"]["S"]
        assert pk.startswith(("CLUSTER#", "HOUSE#"))
        if "house" in item:
            assert pk == f"HOUSE#{item['house']['S']}", item["sk"]["S"]


def test_the_static_catalogue_is_published_per_cluster_and_language():
    seed(CLOCK)
    s3 = boto3.client("s3")
    expected = {
        f"catalogue/{lang}/{name}.json"
        for lang in ("nl", "fr", "en")
        for name in ("clusters", "gent", "zuidwest", "zender")
    }
    assert set(bucket_files()) == expected
    head = s3.head_object(Bucket=settings().webshop_bucket, Key="catalogue/nl/gent.json")
    assert head["ContentType"].startswith("application/json")
    assert head["CacheControl"] == "public, max-age=60"
    gent = json.loads(bucket_files()["catalogue/nl/gent.json"])
    assert gent["generated_at"] == "2026-11-28T12:00:00Z"
    assert len(gent["performances"]) >= 25
    assert {p["cluster"] for p in gent["performances"]} == {"gent"}
    assert {h["id"] for h in gent["houses"]} >= {"ntgent", "campo", "handelsbeurs"}
