"""The availability snapshot on AWS's DynamoDB Local, composed as the schedule composes it
(eventually consistent reads): what it counts, what it leaves out, where it is written."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.catalogue.model import CatalogueSet, PerformanceStatus
from chalicelib.catalogue.publisher import AvailabilityPublisher
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.config import settings
from chalicelib.inventory.availability import publish_availability
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from tests import factories as f
from tests.fakes import MemorySink
from tests.inventory_fixtures import new_performance

pytestmark = pytest.mark.usefixtures("dynamodb")

SEATS = [f"zaal-{row}-{number}" for row in "abcde" for number in range(1, 11)]  # the studio


@pytest.fixture
def cluster() -> str:
    """A cluster of the test's own: the table is shared by the session, and a snapshot reads
    every performance of its cluster."""
    cluster_id = f"c-{uuid.uuid4().hex[:10]}"
    DynamoCatalogueStore().save_all(CatalogueSet(clusters=(f.cluster(cluster_id),)))
    return cluster_id


@pytest.fixture
def inventory(clock: FixedClock) -> InventoryService:
    """Holds and sales, strongly consistent as the API makes them."""
    return InventoryService(DynamoInventoryStore(), DynamoCatalogueStore(), clock)


@pytest.fixture
def publisher(clock: FixedClock) -> AvailabilityPublisher:
    return Container(overrides={"clock": clock, "webshop": MemorySink()}).availability()


def snapshot(publisher: AvailabilityPublisher, cluster: str) -> dict[str, Any]:
    document, _ = publisher.sink.files[publisher.publish(cluster)]  # type: ignore[attr-defined]
    return document["performances"]


def test_held_sold_and_standing_places_taken_are_not_free(inventory, publisher, cluster):
    p = new_performance(pool_capacity=10, cluster=cluster)  # 50 seats + 10 standing
    inventory.hold(p, HoldCommand(seats=SEATS[:3]), "alice")
    sold, _, _ = inventory.hold(p, HoldCommand(seats=SEATS[3:5]), "bob")
    inventory.sell(sold.id)
    inventory.hold(p, HoldCommand(quantity=4, pool="staan"), "carol")
    assert snapshot(publisher, cluster) == {
        p: {"level": "available", "free": 50 - 5 + 10 - 4, "capacity": 60}
    }


def test_seats_and_places_of_an_expired_hold_count_free_again(inventory, publisher, cluster, clock):
    p = new_performance(pool_capacity=10, cluster=cluster, hold_minutes=15)
    inventory.hold(p, HoldCommand(seats=SEATS[:10]), "alice")
    inventory.hold(p, HoldCommand(quantity=6, pool="staan"), "alice")
    sold, _, _ = inventory.hold(p, HoldCommand(seats=SEATS[10:12]), "bob")
    inventory.sell(sold.id)
    assert snapshot(publisher, cluster)[p]["free"] == 60 - 10 - 6 - 2
    clock.advance(minutes=15)
    assert snapshot(publisher, cluster)[p]["free"] == 60 - 2  # sold seats stay taken


def test_the_last_tenth_is_limited_and_a_fully_taken_hall_sold_out(inventory, publisher, cluster):
    p = new_performance(cluster=cluster, max_holds_per_client=5)
    holds = [
        inventory.hold(p, HoldCommand(seats=SEATS[i : i + 10]), "alice")[0] for i in (0, 10, 20)
    ]
    inventory.sell(holds[0].id)
    inventory.hold(p, HoldCommand(seats=SEATS[30:40]), "bob")
    inventory.hold(p, HoldCommand(seats=SEATS[40:45]), "bob")
    assert snapshot(publisher, cluster)[p] == {"level": "limited", "free": 5, "capacity": 50}
    inventory.hold(p, HoldCommand(seats=SEATS[45:]), "carol")
    assert snapshot(publisher, cluster)[p] == {"level": "sold_out", "free": 0, "capacity": 50}


def test_only_performances_on_sale_now_are_in_it(publisher, cluster, clock):
    on_sale = new_performance(cluster=cluster)
    new_performance(cluster=cluster, sales_opens_at=clock.now() + timedelta(days=1))
    new_performance(cluster=cluster, status=PerformanceStatus.CANCELLED)
    new_performance(cluster=cluster, status=PerformanceStatus.SOLD_OUT)  # staff said so
    assert set(snapshot(publisher, cluster)) == {on_sale}


def test_it_is_written_per_cluster_for_30_seconds(publisher, cluster):
    p = new_performance(cluster=cluster)
    key = publisher.publish(cluster)
    document, max_age = publisher.sink.files[key]  # type: ignore[attr-defined]
    assert key == f"catalogue/availability/{cluster}.json"
    assert max_age == 30
    assert document == {
        "generated_at": "2026-12-01T09:00:00Z",
        "cluster": cluster,
        "performances": {p: {"level": "available", "free": 50, "capacity": 50}},
    }


@pytest.mark.usefixtures("aws")  # moto for the bucket; the table stays on DynamoDB Local
def test_the_scheduled_run_writes_to_the_webshop_bucket_and_survives_a_bad_cluster(cluster):
    with pytest.raises(RuntimeError, match="no-such-cluster"):
        publish_availability(["no-such-cluster", cluster])
    s3 = boto3.client("s3")
    stored = s3.get_object(
        Bucket=settings().webshop_bucket, Key=f"catalogue/availability/{cluster}.json"
    )
    assert stored["CacheControl"] == "public, max-age=30"
    assert stored["ContentType"].startswith("application/json")
    assert json.loads(stored["Body"].read())["cluster"] == cluster
