"""Join, position and admission through Chalice's test client, and a gated hold over HTTP."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.onsale import consumer
from chalicelib.onsale.gate import RoomGate
from chalicelib.onsale.model import WaitingRoom
from chalicelib.onsale.schemas import arrival_message
from chalicelib.onsale.service import WaitingRoomService
from chalicelib.onsale.store import DynamoRoomStore, RecentRooms
from chalicelib.onsale.tokens import Signer
from tests import factories as f
from tests.inventory_fixtures import new_performance
from tests.onsale_fakes import FakeQueue, FixedSoldOut

SIGNER = Signer(b"api-test-admission-secret-of-at-least-32-bytes")
OPENS = f.T0 + timedelta(minutes=1)
ALICE = {"X-Client-Id": "browser-alice", "Content-Type": "application/json"}


class Shop:
    def __init__(self, client: Client, service: WaitingRoomService, queue: FakeQueue) -> None:
        self.http = client.http
        self.service = service
        self.queue = queue
        self.clock: FixedClock = service.clock  # type: ignore[assignment]
        self.performance = new_performance()
        self.room = service.configure(
            WaitingRoom(
                id=f"room-{uuid.uuid4().hex[:12]}",
                house="ntgent",
                performances=(self.performance,),
                opens_at=OPENS,
                closes_at=OPENS + timedelta(hours=2),
                admit_per_minute=60,
            )
        )

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        raw = b"" if body is None else json.dumps(body).encode()
        return self.http.post(path, body=raw, headers={**ALICE, **headers})

    def join(self, body: Any = None, **headers: str) -> Any:
        return self.post(f"/v1/waiting-rooms/{self.room.id}/join", body, **headers)

    def consume(self) -> None:
        records = [
            {"messageId": str(n), "receiptHandle": str(n), "body": json.dumps(arrival_message(a))}
            for n, a in enumerate(self.queue.drain())
        ]
        assert consumer.handle({"Records": records}, service=self.service) == {
            "batchItemFailures": []
        }


@pytest.fixture
def shop(dynamodb: None) -> Iterator[Shop]:
    clock = FixedClock(f.T0)
    store = DynamoRoomStore()
    rooms = RecentRooms(store, clock, seconds=0)
    queue = FakeQueue()
    service = WaitingRoomService(
        store, rooms, queue, DynamoCatalogueStore(), FixedSoldOut(), SIGNER, clock, random.Random(3)
    )
    gate = RoomGate(store, rooms, lambda: SIGNER, seconds=0)
    inventory = InventoryService(DynamoInventoryStore(), DynamoCatalogueStore(), clock, gate=gate)
    parts = {"waiting_room": service, "rooms": rooms, "inventory": inventory}
    with bootstrap.overridden(**parts), Client(app) as client:
        yield Shop(client, service, queue)


def test_join_answers_202_with_a_ticket_and_sends_one_message(shop):
    response = shop.join({"email": "an@example.be"})
    assert response.status_code == 202
    body = response.json_body
    assert set(body) == {"ticket", "room", "position_url"}
    assert body["room"] == shop.room.id
    assert body["position_url"].startswith(f"/v1/waiting-rooms/{shop.room.id}/position?ticket=")
    assert response.headers["Location"] == body["position_url"]
    (sent,) = shop.queue.sent
    assert sent.ticket == body["ticket"] and sent.email and "@" not in sent.email


def test_position_before_and_after_the_opening(shop):
    ticket = shop.join().json_body["ticket"]
    url = f"/v1/waiting-rooms/{shop.room.id}/position?ticket={ticket}"
    queued = shop.http.get(url)
    assert queued.status_code == 200
    assert queued.headers["Cache-Control"] == "public, max-age=2"
    assert queued.json_body == {
        "state": "queued",
        "position": None,
        "ahead": None,
        "estimated_wait_seconds": None,
        "admit_at": None,
        "opens_at": "2026-12-01T09:01:00Z",
        "sold_out": False,
        "poll_after_seconds": 2,
    }
    shop.consume()
    early = shop.http.get(url).json_body
    assert (early["state"], early["poll_after_seconds"]) == ("before_opening", 30)
    shop.clock.current = OPENS + timedelta(seconds=10)
    assert shop.service.draw(shop.room.id) is not None
    waiting = shop.http.get(url).json_body
    assert (waiting["state"], waiting["position"], waiting["ahead"]) == ("waiting", 1, 0)
    assert waiting["estimated_wait_seconds"] == 1
    assert waiting["poll_after_seconds"] == 1  # the turn is due within the second
    assert waiting["admit_at"] is not None


def test_admission_then_a_gated_hold_over_http(shop):
    ticket = shop.join().json_body["ticket"]
    shop.consume()
    shop.clock.current = OPENS + timedelta(seconds=10)
    shop.service.draw(shop.room.id)
    admit = f"/v1/waiting-rooms/{shop.room.id}/admission"
    early = shop.post(admit, {"ticket": ticket})
    assert (early.status_code, early.json_body["code"]) == (409, "not_admitted_yet")
    shop.clock.advance(seconds=1)
    granted = shop.post(admit, {"ticket": ticket})
    assert granted.status_code == 200
    body = granted.json_body
    assert body["room"] == shop.room.id and body["performances"] == [shop.performance]
    assert body["expires_at"] == "2026-12-01T09:16:11Z"
    again = shop.post(admit, {"ticket": ticket})
    assert again.json_body["admission_token"] == body["admission_token"]
    other = shop.post(admit, {"ticket": ticket}, **{"X-Client-Id": "browser-mallory"})
    assert (other.status_code, other.json_body["code"]) == (409, "admission_other_client")

    holds = f"/v1/performances/{shop.performance}/holds"
    seats = {"seats": ["zaal-a-5"]}
    missing = shop.post(holds, seats)
    assert (missing.status_code, missing.json_body["code"]) == (401, "admission_required")
    assert missing.headers["Content-Type"] == "application/problem+json"
    assert missing.json_body["waiting_room"] == shop.room.id  # where the webshop sends them
    plan = shop.http.get(f"/v1/performances/{shop.performance}/seats").json_body
    assert plan["waiting_room"] == shop.room.id
    stolen = shop.post(
        holds,
        seats,
        **{"X-Client-Id": "browser-mallory", "X-Admission-Token": body["admission_token"]},
    )
    assert (stolen.status_code, stolen.json_body["code"]) == (403, "admission_invalid")
    held = shop.post(holds, seats, **{"X-Admission-Token": body["admission_token"]})
    assert held.status_code == 201, held.json_body
    shop.clock.advance(minutes=15)
    late = shop.post(
        holds, {"seats": ["zaal-a-6"]}, **{"X-Admission-Token": body["admission_token"]}
    )
    assert (late.status_code, late.json_body["code"]) == (401, "admission_expired")
    assert late.json_body["waiting_room"] == shop.room.id


@pytest.mark.parametrize(
    ("path", "status", "field_or_code"),
    [
        ("/v1/waiting-rooms/no-such-room/position?ticket=x.y", 404, "not_found"),
        ("/v1/waiting-rooms/{room}/position?ticket=made.up", 404, "not_found"),
        ("/v1/waiting-rooms/{room}/position", 400, "ticket"),
        ("/v1/waiting-rooms/{room}/position?ticket=x&colour=red", 400, "colour"),
    ],
)
def test_position_errors(shop, path, status, field_or_code):
    response = shop.http.get(path.format(room=shop.room.id))
    assert response.status_code == status
    body = response.json_body
    assert field_or_code in (body["code"], *(e["field"] for e in body.get("errors", [])))


def test_join_errors_are_problems_naming_the_field(shop):
    bad_email = shop.join({"email": "nope"})
    assert bad_email.status_code == 400 and bad_email.json_body["errors"][0]["field"] == "email"
    bad_client = shop.join(None, **{"X-Client-Id": "x"})
    assert bad_client.json_body["errors"][0]["field"] == "X-Client-Id"
    unknown = shop.post("/v1/waiting-rooms/no-such-room/join")
    assert unknown.status_code == 404
    assert shop.queue.sent == []
    other_room_ticket = SIGNER.new_ticket("another-room")
    response = shop.post(
        f"/v1/waiting-rooms/{shop.room.id}/admission", {"ticket": other_room_ticket}
    )
    assert response.status_code == 404
