"""The DynamoDB adapter against moto (small, single-threaded: moto is fine here)."""

from dataclasses import replace
from datetime import timedelta

import boto3
import pytest

from chalicelib.catalogue.model import (
    CatalogueSet,
    Image,
    PerformanceDetail,
    PerformanceStatus,
    Timeline,
)
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.config import settings
from chalicelib.store import keys
from chalicelib.store.models import PodiumItem
from chalicelib.store.schema import TABLE, create_table_request
from tests import factories as f

pytestmark = pytest.mark.usefixtures("aws")

DAY = timedelta(days=1)


@pytest.fixture
def store() -> DynamoCatalogueStore:
    store = DynamoCatalogueStore()
    store.save_all(
        CatalogueSet(
            clusters=[f.cluster("gent"), f.cluster("zender")],
            houses=[
                f.house("ntgent", name="NTGent"),
                f.house("campo", name="CAMPO"),
                f.house("westrand", cluster="zender"),
            ],
            venues=[f.venue()],
            halls=[f.hall()],
            productions=[f.production()],
            performances=[
                f.performance("p1", starts_at=f.T0 + DAY),
                f.performance("p2", starts_at=f.T0 + 2 * DAY),
                f.performance("p3", starts_at=f.T0 + 2 * DAY),
                f.performance("p4-draft", starts_at=f.T0 + 3 * DAY, status=PerformanceStatus.DRAFT),
            ],
        )
    )
    return store


def test_table_definition_and_models_agree():
    """The models pynamodb reads with and the table the stacks create are one shape."""
    request = create_table_request("t")
    models = PodiumItem._get_schema()
    assert models["key_schema"] == request["KeySchema"]
    assert models["key_schema"][0]["AttributeName"] == TABLE.hash_key
    model_indexes = {
        index["index_name"]: (index["key_schema"], index["projection"])
        for index in models["global_secondary_indexes"]
    }
    table_indexes = {
        index["IndexName"]: (index["KeySchema"], index["Projection"])
        for index in request["GlobalSecondaryIndexes"]
    }
    assert model_indexes == table_indexes
    assert set(table_indexes) == {index.name for index in TABLE.indexes}
    described = boto3.client("dynamodb").describe_table(TableName=settings().table_name)["Table"]
    assert described["StreamSpecification"]["StreamEnabled"] is True
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_clusters_and_houses(store):
    assert [c.id for c in store.list_clusters()] == ["gent", "zender"]
    assert store.get_cluster("gent") == f.cluster("gent")
    assert store.get_cluster("antwerpen") is None
    assert [h.id for h in store.list_houses("gent")] == ["campo", "ntgent"]  # by name
    assert store.get_house("ntgent") == f.house("ntgent", name="NTGent")
    assert store.get_house("nobody") is None


def test_performance_round_trips_with_its_page_context(store):
    detail = store.find_performance("p1")
    assert detail == PerformanceDetail(
        performance=f.performance("p1", starts_at=f.T0 + DAY),
        production=f.production(),
        house=f.house("ntgent", name="NTGent"),
        venue=f.venue(),
        hall=f.hall(),
    )


def test_a_performance_keeps_its_listing_image(store):
    image = Image(url="/img/storm.jpg", alt={"nl": "Storm op zee", "fr": "Tempête en mer"})
    store.save_all(CatalogueSet(performances=[f.performance("p5", image=image)]))
    assert store.find_performance("p5").performance.image == image
    assert store.find_performance("p1").performance.image is None


def test_drafts_are_invisible_to_public_reads_but_kept_under_their_house(store):
    assert store.find_performance("p4-draft") is None
    everything = [p.id for p in store.timeline(Timeline("cluster", "gent"), "", "~")]
    assert "p4-draft" not in everything
    item = PodiumItem.get(keys.house_pk("ntgent"), keys.performance_sk("p4-draft"))
    assert item.gsi1pk is None and item.gsi2pk is None and item.lookup is None
    # Only in the staff programme, which no public read queries.
    assert (item.gsi3pk, item.gsi3sk) == (
        keys.house_programme("ntgent"),
        keys.timeline_sk(to_utc_iso(f.T0 + 3 * DAY), "p4-draft"),
    )


def test_timeline_is_sorted_and_bounded_with_an_exclusive_lower_key(store):
    cluster = Timeline("cluster", "gent")
    assert [p.id for p in store.timeline(cluster, "", "~")] == ["p1", "p2", "p3"]
    p2_key = keys.timeline_sk(to_utc_iso(f.T0 + 2 * DAY), "p2")
    assert [p.id for p in store.timeline(cluster, p2_key, "~")] == ["p3"]
    until = to_utc_iso(f.T0 + DAY) + "~"
    assert [p.id for p in store.timeline(cluster, "", until)] == ["p1"]
    assert [p.id for p in store.timeline(Timeline("house", "ntgent"), "", "~")] == [
        "p1",
        "p2",
        "p3",
    ]
    assert list(store.timeline(Timeline("house", "campo"), "", "~")) == []


def test_saving_again_replaces_instead_of_duplicating(store):
    before = _scan()
    moved = f.performance("p1", starts_at=f.T0 + 9 * DAY)
    store.save_all(CatalogueSet(performances=(moved,)))
    after = _scan()
    assert len(after) == len(before)
    assert store.find_performance("p1").performance == moved
    assert [p.id for p in store.timeline(Timeline("cluster", "gent"), "", "~")] == [
        "p2",
        "p3",
        "p1",
    ]
    # and cancelling keeps it public (buyers must see the cancellation)
    store.save_all(CatalogueSet(performances=(replace(moved, status=PerformanceStatus.CANCELLED),)))
    assert store.find_performance("p1").performance.status is PerformanceStatus.CANCELLED


def _scan() -> list[dict]:
    client = boto3.client("dynamodb")
    return client.scan(TableName=settings().table_name)["Items"]
