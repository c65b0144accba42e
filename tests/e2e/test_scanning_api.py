"""Door scanning over HTTP on the local stack, with real staff tokens from moto's user pool and
real tickets: an order paid on the Stripe double, issued by the saga. The door accepts a ticket
once, tells the second scan when, refuses it after Stripe refunded the order (and lists it for
the scanners), recognises an offline upload sent twice, and a scanner of another house learns
nothing of this house's performance."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local.stack import LOCAL_SECRETS, LocalStack
from tests.e2e.http import call, served_stack

pytestmark = pytest.mark.stack


class Door:
    def __init__(self, base: str, stack: LocalStack) -> None:
        self.base, self.stack = base, stack

    def call(self, method: str, path: str, body: Any = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return call(self.base, method, path, body, **headers)

    def token(self, role: str, house: str = "ntgent") -> str:
        status, body = call(
            self.base,
            "POST",
            "/_local/staff-tokens",
            {"memberships": [{"role": role, "house": house}]},
        )
        assert status == 200, body
        return str(body["access_token"])


@pytest.fixture(scope="module")
def door() -> Iterator[Door]:
    from local import stepfunctions

    with served_stack() as (base, stack):
        stepfunctions.set_retry_interval_scale(0.05)
        try:
            yield Door(base, stack)
        finally:
            stepfunctions.set_retry_interval_scale(1.0)
            stepfunctions.uninstall_inprocess_lambda_runner()


@pytest.fixture(scope="module")
def paid(door: Door) -> dict[str, Any]:
    """A performance of ntgent and a completed order of two tickets for it, paid by card."""
    from chalicelib.bootstrap import container
    from tests.inventory_fixtures import new_performance

    now = datetime.now(UTC)
    performance = new_performance(
        starts_at=now + timedelta(days=20), sales_opens_at=now - timedelta(days=1)
    )
    status, hold = call(
        door.base,
        "POST",
        f"/v1/performances/{performance}/holds",
        {"seats": ["zaal-c-4", "zaal-c-5"]},
        **{"X-Client-Id": "buyer-door-0001"},
    )
    assert status == 201, hold
    status, order = call(
        door.base,
        "POST",
        "/v1/orders",
        {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": s["id"], "tariff": "standaard"} for s in hold["seats"]],
            "customer": {"name": "An Peeters", "email": "an@example.be", "language": "nl"},
        },
    )
    assert status == 201, order
    deadline = time.monotonic() + 15
    while container().checkout().orders.task_token(order["order_id"]) is None:
        assert time.monotonic() < deadline, "the saga never started waiting"
        time.sleep(0.05)
    door.stack.stripe.pay(order["payment_url"].rsplit("/", 1)[-1])
    while True:
        _, state = call(
            door.base,
            "GET",
            f"/v1/orders/{order['order_id']}",
            **{"X-Order-Token": order["access_token"]},
        )
        if state["status"] == "completed":
            break
        assert state["status"] == "paid" or state["status"] == "awaiting_payment", state
        assert time.monotonic() < deadline, f"order stuck in {state['status']}"
        time.sleep(0.1)
    tickets = sorted(state["tickets"], key=lambda t: t["qr"])
    return {"performance": performance, "order": order["order_id"], "tickets": tickets}


def scan(paid: dict[str, Any], n: int, **changes: Any) -> dict[str, Any]:
    return {
        "performance": paid["performance"],
        "payload": paid["tickets"][n]["qr"],
        "scanner": "deur-1",
        **changes,
    }


def test_the_keys_verify_the_tickets_a_scanner_holds_offline(door, paid):
    from chalicelib.tickets.signing import SeededKeyring, public_key_document

    token = door.token("scanner")
    status, keys = door.call("GET", f"/v1/scan/keys?performance={paid['performance']}", token=token)
    assert status == 200, keys
    assert (keys["performance"], keys["house"], keys["revoked"]) == (
        paid["performance"],
        "ntgent",
        [],
    )
    secret = LOCAL_SECRETS["PODIUM_TICKET_KEY_SECRET"].encode()
    assert keys["keys"] == public_key_document(SeededKeyring(secret), "ntgent")["keys"]
    status, bad = door.call("GET", "/v1/scan/keys", token=token)
    assert (status, bad["errors"][0]["field"]) == (400, "performance")
    status, bad = door.call("GET", "/v1/scan/keys?performance=x&colour=red", token=token)
    assert (status, bad["errors"][0]["field"]) == (400, "colour")


def test_accepted_once_then_already_used_then_revoked_after_a_refund(door, paid):
    scanner = door.token("scanner")
    status, first = door.call("POST", "/v1/scan/checkins", scan(paid, 0), scanner)
    assert status == 200, first
    assert first["verdict"] == "accepted" and first["ticket"] == paid["tickets"][0]["id"]
    assert first["seat_label"].startswith("Zaal rij C stoel")
    box_office = door.token("box_office")  # box office may scan too
    status, again = door.call(
        "POST", "/v1/scan/checkins", scan(paid, 0, scanner="deur-2"), box_office
    )
    assert (status, again["verdict"], again["first_scanner"]) == (200, "already_used", "deur-1")
    assert again["first_scanned_at"] == first["first_scanned_at"]
    tampered = scan(paid, 1)
    tampered["payload"] = tampered["payload"].replace("zaal-c-", "zaal-a-")
    status, forged = door.call("POST", "/v1/scan/checkins", tampered, scanner)
    assert (status, forged["verdict"]) == (200, "forged")
    status, bad = door.call("POST", "/v1/scan/checkins", {"payload": 1}, scanner)
    assert status == 400
    assert {e["field"] for e in bad["errors"]} == {"performance", "payload", "scanner"}

    # Refunded in full at Stripe (the dashboard): the webhook voids the tickets.
    from chalicelib.bootstrap import container
    from tests.e2e.http import stripe_gateway

    order = container().checkout().orders.get(paid["order"])
    assert order is not None and order.payment_intent
    stripe_gateway().refund(order.payment_intent, order.total_cents, f"{order.id}-door-test")
    assert door.stack.stripe.drain(10)
    revoked: list[str] = []
    deadline = time.monotonic() + 10
    while len(revoked) < 2 and time.monotonic() < deadline:
        _, keys = door.call(
            "GET", f"/v1/scan/keys?performance={paid['performance']}", token=scanner
        )
        revoked = keys["revoked"]
        time.sleep(0.1)
    assert revoked == sorted(t["id"] for t in paid["tickets"])
    for n in (0, 1):
        status, refused = door.call("POST", "/v1/scan/checkins", scan(paid, n), scanner)
        assert (status, refused["verdict"], refused["reason"]) == (200, "revoked", "refunded")


def test_an_offline_upload_sent_twice_answers_the_same_and_writes_nothing(door, paid):
    scanner = door.token("scanner")
    earlier = (datetime.now(UTC) - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    batch = {
        "scans": [
            scan(paid, 1, nonce="offline-e2e-0001", scanned_at=earlier),
            scan(paid, 1, nonce="offline-e2e-0002", scanned_at=earlier, payload="PD1.junk"),
        ]
    }
    status, first = door.call("POST", "/v1/scan/checkins/batch", batch, scanner)
    assert status == 200, first
    assert [r["nonce"] for r in first["results"]] == ["offline-e2e-0001", "offline-e2e-0002"]
    status, again = door.call("POST", "/v1/scan/checkins/batch", batch, scanner)
    assert status == 200
    assert [r.pop("replay") for r in again["results"]] == [True, True]
    assert again["results"] == first["results"]
    reused = {"scans": [scan(paid, 0, nonce="offline-e2e-0001", scanned_at=earlier)]}
    status, conflict = door.call("POST", "/v1/scan/checkins/batch", reused, scanner)
    assert (status, conflict["code"], conflict["errors"][0]["field"]) == (
        409,
        "nonce_reused",
        "scans[0].nonce",
    )


def test_a_scanner_of_another_house_learns_nothing_of_this_performance(door, paid):
    performance = paid["performance"]
    ticket = paid["tickets"][0]
    secrets_of_a = {"ntgent", ticket["id"], ticket["qr"].split(".")[-1]}
    campo = door.token("scanner", house="campo")
    tries = [
        ("GET", f"/v1/scan/keys?performance={performance}", None),
        ("POST", "/v1/scan/checkins", scan(paid, 0, scanner="campo-1")),
        ("POST", "/v1/scan/checkins/batch", {"scans": [scan(paid, 0, nonce="campo-nonce-1")]}),
    ]
    for method, path, body in tries:
        status, answer = door.call(method, path, body, campo)
        assert status == 404, (path, answer)
        unknown_path = path.replace(performance, "no-such-performance")
        unknown_body = json.loads(json.dumps(body).replace(performance, "no-such-performance"))
        unknown = door.call(method, unknown_path, unknown_body if body else None, campo)
        echoed = json.loads(json.dumps(answer).replace(performance, "no-such-performance"))
        assert (status, echoed) == unknown  # cannot tell it from one that does not exist
        assert not {s for s in secrets_of_a if s in json.dumps(answer)}
    # Roles that do not scan, and no token at all.
    status, answer = door.call("POST", "/v1/scan/checkins", scan(paid, 0), door.token("marketing"))
    assert (status, answer["code"]) == (403, "role_required")
    status, answer = door.call("GET", f"/v1/scan/keys?performance={performance}")
    assert (status, answer["code"]) == (401, "staff_token_missing")
    # Nothing of house A changed: the ticket's first check-in is still the one.
    status, again = door.call("POST", "/v1/scan/checkins", scan(paid, 0), door.token("scanner"))
    assert again["verdict"] in ("already_used", "revoked")
