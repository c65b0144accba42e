"""Seeding the demo: idempotent, tenant-keyed, and publishing the static catalogue."""

import json
from datetime import UTC, datetime

import boto3
import pytest

from chalicelib.core.clock import FixedClock
from chalicelib.core.config import settings
from local.seed import seed

# DynamoDB Local for the table (seeding blocks seats in transactions, which moto copies the
# whole table for), moto for the bucket. The table is shared by the session, so these tests
# compare states and check invariants rather than count items.
pytestmark = pytest.mark.usefixtures("dynamodb", "aws")

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
    assert first["performances"] >= 60


def test_every_item_carries_its_house_and_catalogue_items_live_in_its_partition():
    seed(CLOCK)
    houses_of_performances = {
        item["id"]["S"]: item["house"]["S"]
        for item in scan()
        if item.get("kind", {}).get("S") == "performance"
    }
    for item in scan():
        pk, kind = item["pk"]["S"], item.get("kind", {}).get("S")
        if kind == "cluster":
            assert pk.startswith("CLUSTER#")
            continue
        house = item["house"]["S"]
        if pk.startswith("ROOM#"):  # a waiting room's items: keyed by the room, owned by a house
            assert house, pk
        elif pk.startswith(("ORDER#", "HOLD#")) and item["sk"]["S"] != "HOLD":
            # orders, their tickets, one order per hold: keyed by their own id, owned by a house
            assert house, pk
            if "performance" in item:
                assert houses_of_performances[item["performance"]["S"]] == house
        elif "performance" in item:  # inventory: keyed by performance, owned by its house
            assert pk.startswith(
                ("SEATS#", "GA#", "CLIENT#", "IDENTITY#", "ONSALE#", "HOLD#", "DOOR#")
            ), pk
            assert houses_of_performances[item["performance"]["S"]] == house
        else:
            assert pk == f"HOUSE#{house}", item["sk"]["S"]


def test_every_seeded_performance_is_in_its_own_houses_staff_programme_drafts_only_there():
    seed(CLOCK)
    performances = [item for item in scan() if item.get("kind", {}).get("S") == "performance"]
    for item in performances:
        house, ident, starts_at = (item[k]["S"] for k in ("house", "id", "starts_at"))
        assert item["gsi3pk"]["S"] == f"HOUSE#{house}#PROGRAMME", ident
        assert item["gsi3sk"]["S"] == f"{starts_at}#{ident}"
        public = item["status"]["S"] != "draft"
        assert ("gsi2pk" in item) is public and ("lookup" in item) is public, ident
    assert {item["status"]["S"] for item in performances} >= {"draft", "on_sale"}
    assert all(
        item.get("kind", {}).get("S") == "performance" for item in scan() if "gsi3pk" in item
    )


def test_large_halls_have_their_mixing_desk_seats_blocked():
    counts = seed(CLOCK)
    blocked = [  # other tests' performances in the shared table are named test-...
        item
        for item in scan()
        if item.get("kind", {}).get("S") == "seat"
        and not item["performance"]["S"].startswith("test-")
    ]
    assert len(blocked) == counts["blocked"] > 0
    assert {item["state"]["S"] for item in blocked} == {"blocked"}
    assert {item["reason"]["S"] for item in blocked} == {"technical"}


def test_the_static_catalogue_is_published_per_cluster_and_language():
    seed(CLOCK)
    s3 = boto3.client("s3")
    expected = {
        f"catalogue/{lang}/{name}.json"
        for lang in ("nl", "fr", "en", "availability")
        for name in ("clusters", "gent", "zuidwest", "zender")
    } - {"catalogue/availability/clusters.json"}
    assert set(bucket_files()) == expected
    head = s3.head_object(Bucket=settings().webshop_bucket, Key="catalogue/nl/gent.json")
    assert head["ContentType"].startswith("application/json")
    assert head["CacheControl"] == "public, max-age=60"
    gent = json.loads(bucket_files()["catalogue/nl/gent.json"])
    assert gent["generated_at"] == "2026-11-28T12:00:00Z"
    assert len(gent["performances"]) >= 25
    assert {p["cluster"] for p in gent["performances"]} == {"gent"}
    assert {h["id"] for h in gent["houses"]} >= {"ntgent", "campo", "handelsbeurs"}


def test_the_availability_published_with_the_catalogue_counts_the_blocked_seats():
    counts = seed(CLOCK)
    files = bucket_files()
    performances = {}
    for cluster in ("gent", "zuidwest", "zender"):
        document = json.loads(files[f"catalogue/availability/{cluster}.json"])
        assert document["cluster"] == cluster
        assert document["generated_at"] == "2026-11-28T12:00:00Z"
        performances |= document["performances"]
    on_sale = {
        p["id"]
        for cluster in ("gent", "zuidwest", "zender")
        for p in json.loads(files[f"catalogue/nl/{cluster}.json"])["performances"]
        if p["sales_status"] == "on_sale"
    }
    assert set(performances) == on_sale
    # other tests' performances in the shared table (test-...) have holds of their own
    demo = [p for id, p in performances.items() if not id.startswith("test-")]
    taken = sum(p["capacity"] - p["free"] for p in demo)
    assert 0 < taken <= counts["blocked"]  # nothing sold yet: only the desks are taken
    assert {p["level"] for p in demo} == {"available"}


def test_the_demo_has_one_on_sale_behind_a_waiting_room_outside_gent():
    from datetime import timedelta

    from chalicelib.catalogue.store import DynamoCatalogueStore
    from chalicelib.onsale.store import DynamoRoomStore
    from local.seed import DEMO_ROOM

    counts = seed(CLOCK)
    room = DynamoRoomStore().get_room(DEMO_ROOM)
    assert room is not None and room.performances == (counts["waiting_room"],)
    assert room.opens_at == CLOCK.now() + timedelta(minutes=3)  # a few minutes to look around
    detail = DynamoCatalogueStore().find_performance(counts["waiting_room"])
    assert detail is not None and detail.house.cluster == "zuidwest"  # Gent's stay ungated
    assert detail.performance.house == room.house
    assert [gate[0] for gate in DynamoRoomStore().gates(counts["waiting_room"])] == [DEMO_ROOM]
