"""Contention over HTTP: 16 buyers race for 50 seats through the local server (the same
handlers Lambda runs) on AWS's DynamoDB Local. Afterwards no seat may have two owners.

The same harness is run once more against a deliberately broken store (seat conditions
removed, switched on only inside that test) and must see the oversell: proof that this test
can fail."""

from __future__ import annotations

import json
import random
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from app import app
from chalicelib import bootstrap
from chalicelib.inventory import store as inventory_store
from chalicelib.inventory.store import DynamoInventoryStore
from local.server import make_server
from local.stack import free_port
from tests.inventory_fixtures import ROWS, new_performance

pytestmark = pytest.mark.stack

THREADS = 16
ATTEMPTS = 400
SEATS = [f"zaal-{row.lower()}-{number}" for row in ROWS for number in range(1, 11)]


@dataclass
class Outcome:
    holds: dict[str, list[str]] = field(default_factory=dict)  # hold id → seats it got
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def double_owned(self) -> dict[str, int]:
        counts = Counter(seat for seats in self.holds.values() for seat in seats)
        return {seat: n for seat, n in counts.items() if n > 1}


@pytest.fixture
def base_url(dynamodb: None) -> Iterator[str]:
    bootstrap.reset()  # built afresh against this test's DynamoDB Local
    server = make_server(app, "127.0.0.1", free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        bootstrap.reset()


def on_sale_now() -> str:
    now = datetime.now(UTC)
    return new_performance(
        starts_at=now + timedelta(days=30),
        sales_opens_at=now - timedelta(days=1),
        max_seats_per_hold=4,
    )


def race(base_url: str, performance: str, seed: int) -> Outcome:
    outcome = Outcome()
    attempts = iter(range(ATTEMPTS))
    next_lock = threading.Lock()

    def buyer(worker: int) -> None:
        rng = random.Random(seed * 1000 + worker)
        while True:
            with next_lock:
                attempt = next(attempts, None)
            if attempt is None:
                return
            basket = rng.sample(SEATS, rng.randint(1, 4))
            status, body = _post(
                f"{base_url}/v1/performances/{performance}/holds",
                {"seats": basket},
                client_id=f"buyer-{seed}-{attempt:05d}",
            )
            with outcome.lock:
                outcome.statuses[status] += 1
                if status == 201:
                    outcome.holds[body["hold_id"]] = [s["id"] for s in body["seats"]]

    workers = [threading.Thread(target=buyer, args=(n,)) for n in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcome


def _post(url: str, body: dict, client_id: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Client-Id": client_id},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_no_seat_is_held_twice_under_contention(base_url):
    performance = on_sale_now()
    outcome = race(base_url, performance, seed=1)

    assert sum(outcome.statuses.values()) == ATTEMPTS
    assert set(outcome.statuses) <= {201, 409}, outcome.statuses
    assert outcome.statuses[201] > 0 and outcome.statuses[409] > 0  # there was a race
    assert outcome.double_owned() == {}
    # every successful hold really owns its seats in the table
    claims = DynamoInventoryStore().seat_claims(performance, ["zaal"])
    for hold_id, seats in outcome.holds.items():
        assert all(claims[seat].hold == hold_id for seat in seats), hold_id
    assert {s for seats in outcome.holds.values() for s in seats} == set(claims)
    print(f"contention: {dict(outcome.statuses)}, {len(claims)} of {len(SEATS)} seats held")


def test_the_harness_sees_an_oversell_when_the_condition_is_removed(base_url, monkeypatch):
    monkeypatch.setattr(inventory_store, "UNSAFE_UNCONDITIONAL_SEAT_WRITES", True)
    performance = on_sale_now()
    outcome = race(base_url, performance, seed=2)
    oversold = outcome.double_owned()
    assert oversold, "without its condition the store must oversell, and the harness see it"
    claims = DynamoInventoryStore().seat_claims(performance, ["zaal"])
    robbed = [h for h, seats in outcome.holds.items() if any(claims[s].hold != h for s in seats)]
    assert robbed
    print(f"broken store: {len(oversold)} seats sold to several holds, {len(robbed)} holds robbed")
