"""The public catalogue API through Chalice's test client (the Lambda handler path), on moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.catalogue.model import CatalogueSet, Genre, PerformanceStatus
from chalicelib.catalogue.service import CatalogueService
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from tests import factories as f

DAY = timedelta(days=1)


@pytest.fixture
def client(aws: None) -> Iterator[Client]:
    store = DynamoCatalogueStore()
    store.save_all(
        CatalogueSet(
            clusters=[f.cluster("gent"), f.cluster("zender")],
            houses=[f.house("ntgent", name="NTGent"), f.house("westrand", cluster="zender")],
            venues=[f.venue()],
            halls=[f.hall()],
            productions=[f.production()],
            performances=[
                f.performance(f"gent-{n:02d}", starts_at=f.T0 + n * DAY) for n in range(1, 8)
            ]
            + [
                f.performance("dance-01", starts_at=f.T0 + DAY, genre=Genre.DANCE),
                f.performance(
                    "zender-01", starts_at=f.T0 + 2 * DAY, house="westrand", cluster="zender"
                ),
                f.performance("draft-01", starts_at=f.T0 + DAY, status=PerformanceStatus.DRAFT),
            ],
        )
    )
    catalogue = CatalogueService(store, FixedClock(f.T0))
    with bootstrap.overridden(catalogue=catalogue), Client(app) as test_client:
        yield test_client


def get(client: Client, path: str, **headers: str) -> tuple[int, dict[str, str], Any]:
    response = client.http.get(path, headers=headers)
    return response.status_code, response.headers, json.loads(response.body or b"null")


def all_pages(client: Client, path: str) -> list[str]:
    seen: list[str] = []
    url = path
    while True:
        status, _, body = get(client, url)
        assert status == 200
        seen += [item["id"] for item in body["items"]]
        if body["next"] is None:
            return seen
        url = f"{path}&next={body['next']}"


def test_health(client):
    status, _, body = get(client, "/v1/health")
    assert status == 200
    assert body["status"] == "ok" and body["checks"] == {"dynamodb": "ok"}


def test_clusters_and_their_houses(client):
    status, headers, body = get(client, "/v1/clusters")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert [c["id"] for c in body["items"]] == ["gent", "zender"]
    assert body["next"] is None
    assert {"id", "name"} <= set(body["items"][0])
    _, _, houses = get(client, "/v1/clusters/gent/houses")
    assert [h["id"] for h in houses["items"]] == ["ntgent"]
    assert {"id", "name", "type", "cluster"} <= set(houses["items"][0])
    _, _, house = get(client, "/v1/houses/westrand")
    assert house["cluster"] == "zender" and house["type"] == "kunstenorganisatie"


def test_performance_list_shape_order_and_filters(client):
    status, _, body = get(client, "/v1/performances?cluster=gent&limit=100")
    assert status == 200
    ids = [p["id"] for p in body["items"]]
    assert ids == ["dance-01", "gent-01", *(f"gent-{n:02d}" for n in range(2, 8))]
    first = body["items"][0]
    assert {"id", "title", "house", "starts_at", "status"} <= set(first)
    assert first["title"] == "De Storm"
    assert first["starts_at"] == "2026-12-02T09:00:00Z"
    _, _, dance = get(client, "/v1/performances?genre=dance")
    assert [p["id"] for p in dance["items"]] == ["dance-01"]
    _, _, zender = get(client, "/v1/performances?cluster=zender")
    assert [p["id"] for p in zender["items"]] == ["zender-01"]
    _, _, by_house = get(client, "/v1/performances?house=westrand")
    assert [p["id"] for p in by_house["items"]] == ["zender-01"]
    _, _, window = get(client, "/v1/performances?cluster=gent&from=2026-12-04&to=2026-12-05")
    assert [p["id"] for p in window["items"]] == ["gent-03", "gent-04"]
    _, _, text = get(client, "/v1/performances?q=tempete&lang=fr")
    assert len(text["items"]) == 9 and text["items"][0]["title"] == "La Tempête"
    _, _, none = get(client, "/v1/performances?q=hamlet")
    assert none == {"items": [], "next": None}


def test_cursor_pagination_visits_every_performance_once(client):
    everything = all_pages(client, "/v1/performances?limit=100")
    assert len(everything) == 9 and "draft-01" not in everything
    assert all_pages(client, "/v1/performances?limit=2") == everything
    assert all_pages(client, "/v1/performances?limit=1") == everything


@pytest.mark.parametrize(
    ("query", "header", "title"),
    [
        ("?lang=fr", {}, "La Tempête"),
        ("?lang=en", {}, "The Tempest"),
        ("", {"Accept-Language": "en-GB,en;q=0.9"}, "The Tempest"),
        ("", {"Accept-Language": "de-DE"}, "De Storm"),
        ("?lang=nl", {"Accept-Language": "fr"}, "De Storm"),
    ],
)
def test_content_in_the_language_asked_for(client, query, header, title):
    _, headers, body = get(client, f"/v1/performances/gent-01{query}", **header)
    assert body["title"] == title
    assert body["production"]["title"] == title
    assert headers["Content-Language"] == {"De Storm": "nl", "La Tempête": "fr"}.get(title, "en")


def test_performance_detail(client):
    status, _, body = get(client, "/v1/performances/gent-01?lang=nl")
    assert status == 200
    assert body["production"]["id"] == "ntgent-de-storm"
    assert body["house"]["name"] == "NTGent"
    assert body["house"]["service_fee_cents"] == 100
    assert body["hall"]["capacity"] == 700
    assert [z["id"] for z in body["hall"]["price_zones"]] == ["zone-1", "zone-2"]
    assert body["venue"]["city"] == "Gent"
    tariff = body["tariffs"][0]
    assert tariff["name"] == "Standaard"
    # Babel's nl_BE form, a no-break space between the sign and the amount
    assert tariff["prices"][0] == {"zone": "zone-1", "cents": 2800, "display": "€\u00a028,00"}
    assert body["sales_status"] == "on_sale"
    assert body["availability"] == {"capacity": 700, "level": "available"}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/performances/nothing",
        "/v1/performances/draft-01",
        "/v1/performances/NOT%20AN%20ID",
        "/v1/houses/nobody",
        "/v1/clusters/antwerpen",
        "/v1/clusters/antwerpen/houses",
    ],
)
def test_unknown_ids_are_404_problems(client, path):
    status, headers, body = get(client, path)
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"
    assert body["type"] == "urn:podium:problem:not-found" and body["status"] == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=10000", "limit"),
        ("limit=abc", "limit"),
        ("from=not-a-date", "from"),
        ("from=2026-02-30", "from"),
        ("to=tomorrow", "to"),
        ("from=2026-12-10&to=2026-12-01", "to"),
        ("cluster=antwerpen", "cluster"),
        ("cluster=NOT!VALID", "cluster"),
        ("house=nobody", "house"),
        ("genre=polka", "genre"),
        ("lang=de", "lang"),
        ("q=" + "x" * 101, "q"),
        ("next=garbage", "next"),
        ("color=red", "color"),
    ],
)
def test_bad_filters_are_400_problems_naming_the_field(client, query, field):
    status, headers, body = get(client, f"/v1/performances?{query}", **{"Accept-Language": "en"})
    assert status == 400
    assert headers["Content-Type"] == "application/problem+json"
    assert body["title"] == "Invalid input"
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["errors"][0]["expected"]


@pytest.mark.parametrize(
    "path", ["/v1/clusters?lang=xx", "/v1/houses/ntgent?foo=1", "/v1/performances/gent-01?x=1"]
)
def test_single_object_routes_reject_bad_parameters(client, path):
    status, _, body = get(client, path)
    assert status == 400 and body["errors"]


def test_problem_titles_follow_the_language(client):
    _, _, body = get(client, "/v1/performances?limit=0&lang=fr")
    assert body["title"] == "Données non valides"


def test_unsupported_method_is_a_problem_too(client):
    response = client.http.post("/v1/performances", body=b"{}")
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "GET" in response.headers["Allow"]


class Broken:
    """A catalogue whose every call fails as a lost connection would."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("secret connection string")


def test_an_unexpected_failure_is_a_500_problem_without_internals(client):
    with bootstrap.overridden(catalogue=Broken()):
        status, headers, body = get(client, "/v1/clusters")
    assert status == 500
    assert headers["Content-Type"] == "application/problem+json"
    assert "secret" not in json.dumps(body)
