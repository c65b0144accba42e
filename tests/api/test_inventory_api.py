"""Seat plans and holds through Chalice's test client, on AWS's DynamoDB Local."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from tests import factories as f
from tests.inventory_fixtures import new_performance

CLIENT = {"X-Client-Id": "browser-0001", "Content-Type": "application/json"}


@pytest.fixture
def client(dynamodb: None) -> Iterator[Client]:
    service = InventoryService(DynamoInventoryStore(), DynamoCatalogueStore(), FixedClock(f.T0))
    with bootstrap.overridden(inventory=service), Client(app) as test_client:
        yield test_client


def post_hold(client: Client, performance: str, body: Any, **headers: str) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.http.post(
        f"/v1/performances/{performance}/holds", body=raw, headers={**CLIENT, **headers}
    )


def seat_states(client: Client, performance: str) -> dict[str, str]:
    response = client.http.get(f"/v1/performances/{performance}/seats")
    assert response.status_code == 200
    return {seat["id"]: seat["state"] for seat in response.json_body["seats"]}


def test_seat_plan_shows_the_map_in_the_language_asked(client):
    p = new_performance(pool_capacity=30)
    response = client.http.get(f"/v1/performances/{p}/seats?lang=en")
    body = response.json_body
    assert response.status_code == 200
    assert len(body["seats"]) == 50
    seat = body["seats"][0]
    assert seat["label"] == "Hall row A seat 1"
    assert seat["attributes"] == ["wheelchair"]
    assert {"x", "y", "zone", "section", "row", "number", "state"} <= set(seat)
    assert [z["id"] for z in body["zones"]] == ["zone-1", "zone-2"]
    assert body["pools"] == [
        {"id": "staan", "name": "Standing", "zone": "zone-2", "capacity": 30, "remaining": 30}
    ]
    assert body["summary"] == {
        "capacity": 80,
        "free_seats": 50,
        "free_places": 30,
        "level": "available",
    }


def test_hold_lifecycle_over_http(client):
    p = new_performance()
    created = post_hold(client, p, {"seats": ["zaal-c-4", "zaal-c-5"]})
    assert created.status_code == 201
    hold = created.json_body
    assert created.headers["Location"] == f"/v1/holds/{hold['hold_id']}"
    assert [s["label"] for s in hold["seats"]] == ["Zaal rij C stoel 4", "Zaal rij C stoel 5"]
    assert hold["expires_at"] == "2026-12-01T09:15:00Z"
    assert hold["hold_token"]
    states = seat_states(client, p)
    assert states["zaal-c-4"] == states["zaal-c-5"] == "unavailable"  # held, not told apart

    path = f"/v1/holds/{hold['hold_id']}"
    assert client.http.get(path).status_code == 404
    assert client.http.get(path, headers={"X-Hold-Token": "guess"}).status_code == 404
    shown = client.http.get(path, headers={"X-Hold-Token": hold["hold_token"]})
    assert shown.status_code == 200 and shown.json_body["state"] == "active"
    assert "hold_token" not in shown.json_body

    assert client.http.delete(path, headers={"X-Hold-Token": "guess"}).status_code == 404
    assert client.http.delete(path, headers={"X-Hold-Token": hold["hold_token"]}).status_code == 204
    assert seat_states(client, p)["zaal-c-4"] == "free"


def test_a_lost_race_is_409_naming_the_taken_seats(client):
    p = new_performance()
    assert post_hold(client, p, {"seats": ["zaal-d-3"]}).status_code == 201
    lost = post_hold(
        client, p, {"seats": ["zaal-d-2", "zaal-d-3"]}, **{"X-Client-Id": "browser-0002"}
    )
    assert lost.status_code == 409
    assert lost.headers["Content-Type"] == "application/problem+json"
    assert lost.json_body["unavailable"] == ["zaal-d-3"]
    assert seat_states(client, p)["zaal-d-2"] == "free"


def test_best_available_and_general_admission(client):
    p = new_performance(pool_capacity=10)
    best = post_hold(client, p, {"quantity": 2, "zone": "zone-1"})
    assert best.status_code == 201 and len(best.json_body["seats"]) == 2
    ga = post_hold(client, p, {"quantity": 3, "pool": "staan"})
    assert ga.status_code == 201
    assert ga.json_body["ga"] == [{"pool": "staan", "name": "Staanplaatsen", "quantity": 3}]
    assert ga.json_body["seats"] == [] and ga.json_body["quantity"] == 3


OTHER_HALL_SEAT = "balkon-a-1"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"seats": ["zaal-z-1"]}, 400, "seats[0]"),
        ({"seats": [OTHER_HALL_SEAT]}, 400, "seats[0]"),
        ({"seats": ["zaal-c-1", "zaal-c-1"]}, 400, "seats[1]"),
        ({"quantity": 0}, 400, "quantity"),
        ({"quantity": 11}, 422, None),
        ({"quantity": 2, "zone": "zone-9"}, 400, "zone"),
        ({"seats": ["zaal-c-1"], "extra": 1}, 400, "extra"),
        (b"{not json", 400, "body"),
        (b"[1, 2]", 400, "body"),
        (b"", 400, "body"),
    ],
)
def test_bad_hold_requests_are_problems_and_write_nothing(client, body, status, field):
    p = new_performance()
    response = post_hold(client, p, body)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    if field:
        assert [e["field"] for e in response.json_body["errors"]] == [field]
    assert set(seat_states(client, p).values()) == {"free"}


def test_a_blocked_seat_cannot_be_held(client):
    p = new_performance()
    bootstrap.container().inventory().block(p, ["zaal-a-5"], "technical")
    assert seat_states(client, p)["zaal-a-5"] == "blocked"
    response = post_hold(client, p, {"seats": ["zaal-a-5", "zaal-a-6"]})
    assert response.status_code == 409 and response.json_body["unavailable"] == ["zaal-a-5"]
    assert seat_states(client, p)["zaal-a-6"] == "free"


def test_the_summary_level_follows_what_is_left(client):
    p = new_performance()  # 50 seats: "limited" from 5 left
    seats = [f"zaal-{row}-{number}" for row in "abcde" for number in range(1, 11)]

    def summary() -> dict[str, Any]:
        return client.http.get(f"/v1/performances/{p}/seats").json_body["summary"]

    bootstrap.container().inventory().block(p, seats[:44], "press")
    assert (summary()["free_seats"], summary()["level"]) == (6, "available")
    assert post_hold(client, p, {"seats": [seats[44]]}).status_code == 201
    assert (summary()["free_seats"], summary()["level"]) == (5, "limited")
    bootstrap.container().inventory().block(p, seats[45:], "press")
    assert summary() == {"capacity": 50, "free_seats": 0, "free_places": 0, "level": "sold_out"}


def test_a_hold_on_another_performance_seat_is_refused(client):
    first, second = new_performance(pool_capacity=5), new_performance()
    response = post_hold(client, second, {"quantity": 1, "pool": "staan"})
    assert response.status_code == 400  # the pool is the other performance's hall's
    assert set(seat_states(client, first).values()) == {"free"}


def test_client_identity_header_is_checked(client):
    p = new_performance()
    response = post_hold(client, p, {"quantity": 1}, **{"X-Client-Id": "no"})
    assert response.status_code == 400
    assert response.json_body["errors"][0]["field"] == "X-Client-Id"


def test_per_client_hold_limit_is_422(client):
    p = new_performance(max_holds_per_client=1)
    assert post_hold(client, p, {"seats": ["zaal-e-1"]}).status_code == 201
    limited = post_hold(client, p, {"seats": ["zaal-e-2"]})
    assert limited.status_code == 422 and limited.json_body["limit"] == "max_holds_per_client"
    other = post_hold(client, p, {"seats": ["zaal-e-2"]}, **{"X-Client-Id": "browser-0003"})
    assert other.status_code == 201


def test_unknown_performance_and_hold_are_404(client):
    assert client.http.get("/v1/performances/nope/seats").status_code == 404
    assert post_hold(client, "nope", {"quantity": 1}).status_code == 404
    assert client.http.get("/v1/holds/h-123").status_code == 404
    assert client.http.delete("/v1/holds/h-123").status_code == 404


@pytest.mark.parametrize("query", ["?lang=de", "?colour=red"])
def test_seat_plans_refuse_parameters_they_do_not_take(client, query):
    p = new_performance()
    response = client.http.get(f"/v1/performances/{p}/seats{query}")
    assert response.status_code == 400
    assert response.json_body["errors"][0]["field"] in ("lang", "colour")
