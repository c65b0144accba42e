"""The waiting room end to end on the local stack, over HTTP: buyers join before the opening
(SQS on moto), the consumer loop places them, the draw ranks them, they poll, are admitted
in turn, claim their admission and hold seats with it. Also: the queue has its dead-letter
queue, and a hold without admission is refused."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local.stack import LocalStack, free_port
from tests.e2e.http import call

pytestmark = pytest.mark.stack


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        return call(self.base, method, path, body, **headers)


@pytest.fixture(scope="module")
def http() -> Iterator[Http]:
    saved = dict(os.environ)
    port = free_port()
    stack = LocalStack(public_url=f"http://127.0.0.1:{port}")
    stack.start()
    from app import app
    from local.consumers import start_waiting_room_consumer, start_waiting_room_draws
    from local.server import make_server
    from local.stack import forget_app_clients

    forget_app_clients()
    server = make_server(app, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    loops = [start_waiting_room_consumer(), start_waiting_room_draws(0.5)]
    try:
        yield Http(f"http://127.0.0.1:{port}")
    finally:
        for loop in loops:
            loop.stop()
        server.shutdown()
        server.server_close()
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        forget_app_clients()


def configure_room(performance: str, opens_in: float, rate: int) -> str:
    """Straight through the service (the admin route is tested in tests/e2e/test_admin_api.py)."""
    from chalicelib.bootstrap import container
    from chalicelib.onsale.model import WaitingRoom

    now = datetime.now(UTC)
    room = WaitingRoom(
        id=f"room-{uuid.uuid4().hex[:12]}",
        house="ntgent",
        performances=(performance,),
        opens_at=now + timedelta(seconds=opens_in),
        closes_at=now + timedelta(hours=1),
        admit_per_minute=rate,
    )
    return container().waiting_room().configure(room).id


def until(check: Any, timeout: float = 30.0, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError("timed out")


def test_join_poll_admit_hold_over_http(http):
    from tests.inventory_fixtures import new_performance

    performance = new_performance()
    room = configure_room(performance, opens_in=3, rate=600)  # one admitted every 0.1 s
    buyers = [f"buyer-{n:04d}" for n in range(6)]
    tickets = {}
    for buyer in buyers:
        status, body = http.call(
            "POST", f"/v1/waiting-rooms/{room}/join", {}, **{"X-Client-Id": buyer}
        )
        assert status == 202, body
        tickets[buyer] = body["ticket"]
        status, position = http.call("GET", body["position_url"])
        assert status == 200 and position["state"] in ("queued", "before_opening")

    status, refused = http.call(
        "POST",
        f"/v1/performances/{performance}/holds",
        {"seats": ["zaal-a-3"]},
        **{"X-Client-Id": buyers[0]},
    )
    assert (status, refused["code"]) == (401, "admission_required")

    def position(buyer: str) -> dict:
        path = f"/v1/waiting-rooms/{room}/position?ticket={tickets[buyer]}"
        return http.call("GET", path)[1]

    # Opening at +3 s, draw after the 5 s settle: everyone gets a position 1..6.
    positions = until(
        lambda: (
            [p["position"] for p in map(position, buyers)]
            if all(position(b)["position"] for b in buyers)
            else None
        ),
        timeout=40,
    )
    assert sorted(positions) == list(range(1, 7))
    for index, buyer in enumerate(buyers):
        until(lambda buyer=buyer: position(buyer)["state"] == "admitted")
        status, admission = http.call(
            "POST",
            f"/v1/waiting-rooms/{room}/admission",
            {"ticket": tickets[buyer]},
            **{"X-Client-Id": buyer},
        )
        assert status == 200, admission
        status, hold = http.call(
            "POST",
            f"/v1/performances/{performance}/holds",
            {"seats": [f"zaal-b-{index + 1}"]},
            **{"X-Client-Id": buyer, "X-Admission-Token": admission["admission_token"]},
        )
        assert status == 201, hold


def test_the_queue_has_a_dead_letter_queue_after_five_receives(http):
    import boto3

    from chalicelib.core.config import settings

    sqs = boto3.client("sqs")
    name = settings().waiting_room_queue
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    policy = json.loads(attributes["Attributes"]["RedrivePolicy"])
    assert policy["maxReceiveCount"] == 5
    assert policy["deadLetterTargetArn"].endswith(f":{name}-dlq")
