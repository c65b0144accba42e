"""Checkout end to end on the local stack: DynamoDB Local, moto executing the real ASL with
the saga's task run in-process, the Stripe double paying and sending signed webhooks to the
API over HTTP, SES keeping the mail. After every scenario: money taken ⇔ tickets issued (or
the money refunded), and no seat sold to two orders."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from local.stack import LOCAL_SECRETS, LocalStack, free_port
from tests.e2e.faults import SagaSteps, failing
from tests.e2e.http import call, stripe_gateway

pytestmark = pytest.mark.stack


class Shop:
    def __init__(self, base: str, stack: LocalStack, steps: SagaSteps) -> None:
        self.base = base
        self.stack = stack
        self.stripe = stack.stripe
        self.steps = steps  # which saga step runs where: faults are injected by step

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        return call(self.base, method, path, body, **headers)

    def hold(self, performance: str, seats: list[str], client: str = "buyer-0001") -> dict:
        status, body = self.call(
            "POST",
            f"/v1/performances/{performance}/holds",
            {"seats": seats},
            **{"X-Client-Id": client},
        )
        assert status == 201, body
        return body

    def order(self, hold: dict, tariff: str = "standaard", language: str = "nl") -> dict:
        status, body = self.call(
            "POST",
            "/v1/orders",
            {
                "hold_id": hold["hold_id"],
                "hold_token": hold["hold_token"],
                "lines": [{"seat": s["id"], "tariff": tariff} for s in hold["seats"]],
                "customer": {"name": "An Peeters", "email": "an@example.be", "language": language},
                "consents": {"newsletter_house": True},
            },
        )
        assert status == 201, body
        return body

    def order_state(self, order: dict) -> dict:
        status, body = self.call(
            "GET", f"/v1/orders/{order['order_id']}", **{"X-Order-Token": order["access_token"]}
        )
        assert status == 200, body
        return body

    def wait_for(self, order: dict, *final: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.order_state(order)
            if state["status"] in final:
                return state
            time.sleep(0.1)
        raise AssertionError(f"order stuck in {state['status']}")

    def saga_waiting(self, order: dict, timeout: float = 10) -> None:
        """Until the saga waits on its task token: then only a webhook can resume it."""
        deadline = time.monotonic() + timeout
        while bootstrap.container().checkout().orders.task_token(order["order_id"]) is None:
            assert time.monotonic() < deadline, "the saga never started waiting"
            time.sleep(0.05)

    def webhooks_accepted(self) -> None:
        assert self.stripe.drain(10)
        failed = [d for d in self.stripe.deliveries() if d["status"] != 200]
        assert not failed, failed

    def session_of(self, order: dict) -> str:
        return order["payment_url"].rsplit("/", 1)[-1]

    def seat_states(self, performance: str) -> dict[str, str]:
        _, plan = self.call("GET", f"/v1/performances/{performance}/seats")
        return {seat["id"]: seat["state"] for seat in plan["seats"]}


@pytest.fixture(scope="module")
def shop() -> Iterator[Shop]:
    saved = dict(os.environ)
    port = free_port()
    stack = LocalStack(public_url=f"http://127.0.0.1:{port}")
    stack.start()
    from local import stepfunctions

    stepfunctions.set_retry_interval_scale(0.05)  # ASL retry waits of seconds become ms
    from app import app
    from local.server import make_server
    from local.stack import CHECKOUT_FUNCTION, forget_app_clients

    steps = SagaSteps()
    stepfunctions.install_inprocess_lambda_runner({CHECKOUT_FUNCTION: steps.handler})
    forget_app_clients()
    server = make_server(app, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Shop(f"http://127.0.0.1:{port}", stack, steps)
    finally:
        server.shutdown()
        server.server_close()
        stepfunctions.set_retry_interval_scale(1.0)
        stepfunctions.uninstall_inprocess_lambda_runner()
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        forget_app_clients()


@pytest.fixture
def performance(shop: Shop) -> str:
    from tests.inventory_fixtures import new_performance

    now = datetime.now(UTC)
    return new_performance(
        starts_at=now + timedelta(days=20), sales_opens_at=now - timedelta(days=1)
    )


def assert_money_matches_tickets(shop: Shop, order: dict) -> dict:
    """Money taken ⇔ tickets issued, or the money given back."""
    state = shop.order_state(order)
    paid = stripe_gateway().get_checkout(shop.session_of(order)).paid  # Stripe's own word
    if state["status"] == "completed":
        assert (
            paid and len(state["tickets"]) == len(state["lines"]) and state["refunded_cents"] == 0
        )
    elif state["status"] == "refunded":
        assert paid and state["refunded_cents"] == state["total_cents"]
    else:
        assert state["status"] == "cancelled" and not paid and not state["tickets"]
    return state


def test_happy_path_pay_webhook_saga_tickets_pdf_mail(shop, performance):
    from chalicelib.tickets.signing import SeededKeyring, verify

    hold = shop.hold(performance, ["zaal-c-4", "zaal-c-5"])
    order = shop.order(hold)
    assert order["status"] == "awaiting_payment"
    assert order["total_cents"] == 2 * (2200 + 100)  # zone 2, Standaard, €1 fee each
    assert order["payment_url"].startswith(shop.stripe.base_url)

    shop.saga_waiting(order)
    shop.stripe.pay(shop.session_of(order))
    state = shop.wait_for(order, "completed", "refunded", "cancelled")
    assert state["status"] == "completed"
    shop.webhooks_accepted()
    assert len(state["tickets"]) == 2
    keys = SeededKeyring(LOCAL_SECRETS["PODIUM_TICKET_KEY_SECRET"].encode()).public_keys("ntgent")
    claims = [verify(ticket["qr"], keys) for ticket in state["tickets"]]
    assert sorted(c.seat for c in claims) == ["zaal-c-4", "zaal-c-5"]
    assert {c.performance for c in claims} == {performance}
    with urllib.request.urlopen(state["pdf_url"], timeout=10) as pdf:
        assert pdf.read(5) == b"%PDF-"
    states = shop.seat_states(performance)
    assert states["zaal-c-4"] == states["zaal-c-5"] == "unavailable"
    with urllib.request.urlopen(shop.base + "/outbox", timeout=10) as outbox:
        page = outbox.read().decode()
    assert "Je tickets voor" in page and order["order_id"] in page
    assert_money_matches_tickets(shop, order)


def test_the_same_webhook_three_times_and_out_of_order_completes_once(shop, performance):
    hold = shop.hold(performance, ["zaal-d-1"], client="buyer-0002")
    order = shop.order(hold)
    shop.saga_waiting(order)
    shop.stripe.hold_deliveries()
    shop.stripe.pay(shop.session_of(order))
    shop.stripe.release_deliveries("reverse")
    completed = next(
        e
        for e in shop.stripe.events("checkout.session.completed")
        if e["data"]["object"]["id"] == shop.session_of(order)
    )
    for _ in range(3):
        shop.stripe.redeliver(completed["id"])
    state = shop.wait_for(order, "completed")
    shop.webhooks_accepted()
    assert len(state["tickets"]) == 1
    assert_money_matches_tickets(shop, order)


def test_a_declined_then_expired_payment_releases_the_seats(shop, performance):
    hold = shop.hold(performance, ["zaal-e-1", "zaal-e-2"], client="buyer-0003")
    order = shop.order(hold)
    session = shop.session_of(order)
    shop.saga_waiting(order)
    shop.stripe.decline(session)
    assert shop.order_state(order)["status"] == "awaiting_payment"
    shop.stripe.expire(session)
    state = shop.wait_for(order, "cancelled", "completed", "refunded")
    assert state["status"] == "cancelled"
    shop.webhooks_accepted()
    assert shop.seat_states(performance)["zaal-e-1"] == "free"
    assert_money_matches_tickets(shop, order)


def test_a_bad_signature_is_rejected(shop):
    status, body = shop.call(
        "POST",
        "/v1/webhooks/stripe",
        {"id": "evt_x", "type": "checkout.session.completed"},
        **{"Stripe-Signature": "t=1,v1=deadbeef"},
    )
    assert status == 400 and body["errors"][0]["field"] == "Stripe-Signature"


def test_paid_after_the_seats_were_lost_is_refunded_with_an_apology(shop, performance):
    from chalicelib.store import keys
    from chalicelib.store.models import SeatItem

    hold = shop.hold(performance, ["zaal-b-7"], client="buyer-0004")
    order = shop.order(hold)
    # The hold ran out and someone else bought the seat meanwhile.
    seat = SeatItem.get(keys.seats_pk(performance, "zaal"), keys.seat_sk("zaal-b-7"))
    seat.update(actions=[SeatItem.hold.set("h-someone-else"), SeatItem.state.set("sold")])
    shop.stripe.pay(shop.session_of(order))
    state = shop.wait_for(order, "refunded", "completed", "cancelled")
    assert state["status"] == "refunded"
    assert_money_matches_tickets(shop, order)
    assert any(e["type"] == "charge.refunded" for e in shop.stripe.events())


@pytest.mark.parametrize(
    "step",
    [
        "ensure_payment",
        "await_payment",
        "confirm_seats",
        "issue_tickets",
        "send_confirmation",
    ],
)
def test_a_step_failing_once_still_ends_in_a_final_consistent_state(shop, performance, step):
    faults = failing(shop.steps, step, times=1)
    with bootstrap.overridden(**faults):
        hold = shop.hold(performance, ["zaal-a-8"], client=f"buyer-{step}")
        order = shop.order(hold)
        shop.saga_waiting(order, timeout=20)
        shop.stripe.pay(shop.session_of(order))
        state = shop.wait_for(order, "completed", "refunded", "cancelled")
    assert [fault.left for fault in faults.values()] == [0]  # it did fail once
    assert state["status"] == "completed"  # retried, then fine
    assert_money_matches_tickets(shop, order)


def test_the_reconciler_finishes_an_order_whose_saga_was_lost(shop, performance):
    import boto3

    from chalicelib.orders.model import OrderStatus
    from chalicelib.orders.reconciler import finish

    hold = shop.hold(performance, ["zaal-a-9"], client="buyer-0005")
    order = shop.order(hold)
    machine = os.environ["PODIUM_CHECKOUT_STATE_MACHINE"]
    execution = f"{machine.replace(':stateMachine:', ':execution:')}:{order['order_id']}"
    boto3.client("stepfunctions").stop_execution(executionArn=execution)
    shop.stripe.pay(shop.session_of(order))
    assert shop.stripe.drain(10)
    assert shop.order_state(order)["status"] == "awaiting_payment"  # nobody was waiting
    assert finish(order["order_id"], OrderStatus.AWAITING_PAYMENT) == "completed"
    assert_money_matches_tickets(shop, order)


def test_placing_an_order_again_answers_the_same_order(shop, performance):
    hold = shop.hold(performance, ["zaal-d-9"], client="buyer-0006")
    status, body = shop.call("POST", "/v1/orders", {"hold_id": hold["hold_id"]})
    assert status == 400 and body["errors"]
    first = shop.order(hold)
    again = shop.order(hold)  # a retried request: same order, same payment page
    assert again["order_id"] == first["order_id"]
    assert again["payment_url"] == first["payment_url"]
    assert again["access_token"] == first["access_token"]
    status, body = shop.call(
        "POST",
        "/v1/orders",
        {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": "zaal-d-9", "tariff": "standaard"}],
            "customer": {"name": "B", "email": "b@example.be"},
        },
    )
    assert status == 201 and body["order_id"] == first["order_id"]


def test_when_the_wait_runs_out_stripe_is_asked_and_the_order_cancelled(shop, performance):
    from chalicelib.orders.service import PaymentFailed

    hold = shop.hold(performance, ["zaal-b-2"], client="buyer-0007")
    order = shop.order(hold)
    # What the saga's PaymentTimedOut step does when its wait times out without news:
    with pytest.raises(PaymentFailed):
        bootstrap.container().checkout().payment_timed_out(order["order_id"])
    # It expired the session, so nobody can pay any more; the expiry webhook ends the saga.
    state = shop.wait_for(order, "cancelled", "completed", "refunded")
    assert state["status"] == "cancelled"
    assert shop.seat_states(performance)["zaal-b-2"] == "free"
    assert_money_matches_tickets(shop, order)


@pytest.mark.parametrize("succeeded", [True, False])
def test_bancontact_settles_later_either_way(shop, performance, succeeded):
    hold = shop.hold(
        performance, [f"zaal-e-{9 if succeeded else 10}"], client=f"bancontact-{succeeded}"
    )
    order = shop.order(hold)
    shop.saga_waiting(order)
    session = shop.session_of(order)
    shop.stripe.pay(session, method="bancontact")
    assert shop.order_state(order)["status"] == "awaiting_payment"  # not paid yet
    shop.stripe.settle_async(session, succeeded=succeeded)
    state = shop.wait_for(order, "completed", "cancelled", "refunded")
    assert state["status"] == ("completed" if succeeded else "cancelled")
    shop.webhooks_accepted()
    assert_money_matches_tickets(shop, order)


@pytest.mark.parametrize("scenario", ["cancel", "refund"])
def test_a_compensation_failing_once_still_compensates(shop, performance, scenario):
    from chalicelib.store import keys
    from chalicelib.store.models import SeatItem

    seat = "zaal-b-9" if scenario == "cancel" else "zaal-b-10"
    hold = shop.hold(performance, [seat], client=f"compensate-{scenario}")
    order = shop.order(hold)
    shop.saga_waiting(order)
    faults = failing(shop.steps, scenario, times=1)
    with bootstrap.overridden(**faults):
        if scenario == "cancel":
            shop.stripe.expire(shop.session_of(order))
        else:
            item = SeatItem.get(keys.seats_pk(performance, "zaal"), keys.seat_sk(seat))
            item.update(actions=[SeatItem.hold.set("h-someone-else"), SeatItem.state.set("sold")])
            shop.stripe.pay(shop.session_of(order))
        state = shop.wait_for(order, "cancelled", "refunded", "completed")
    assert [fault.left for fault in faults.values()] == [0]  # it did fail once
    assert state["status"] == {"cancel": "cancelled", "refund": "refunded"}[scenario]
    assert_money_matches_tickets(shop, order)


def test_a_refund_made_in_stripe_is_recorded_and_puts_the_seats_back(shop, performance):
    hold = shop.hold(performance, ["zaal-e-5", "zaal-e-6"], client="buyer-dashboard")
    order = shop.order(hold)
    shop.saga_waiting(order)
    shop.stripe.pay(shop.session_of(order))
    state = shop.wait_for(order, "completed")
    intent = stripe_gateway().get_checkout(shop.session_of(order)).payment_intent
    gateway = stripe_gateway()
    gateway.refund(intent, 500, "dashboard-partial")  # as a clerk would in Stripe's dashboard
    shop.webhooks_accepted()
    assert shop.order_state(order)["refunded_cents"] == 500
    assert shop.order_state(order)["status"] == "completed"
    gateway.refund(intent, state["total_cents"] - 500, "dashboard-rest")
    shop.webhooks_accepted()
    state = shop.order_state(order)
    assert state["status"] == "refunded" and state["refunded_cents"] == state["total_cents"]
    assert shop.seat_states(performance)["zaal-e-5"] == "free"


def test_a_stale_signed_webhook_is_rejected(shop):
    import stripe

    payload = json.dumps({"id": "evt_old", "type": "checkout.session.completed", "data": {}})
    old = int(time.time()) - 3600
    signature = stripe.WebhookSignature._compute_signature(
        f"{old}.{payload}", LOCAL_SECRETS["STRIPE_WEBHOOK_SECRET"]
    )
    request = urllib.request.Request(
        shop.base + "/v1/webhooks/stripe",
        data=payload.encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Stripe-Signature": f"t={old},v1={signature}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400


def test_a_compensation_that_keeps_failing_goes_to_the_dead_letter_queue_and_alarms(
    shop, performance, capsys
):
    import boto3

    from local.stack import CHECKOUT_DLQ

    hold = shop.hold(performance, ["zaal-d-10"], client="buyer-hopeless")
    order = shop.order(hold)
    shop.saga_waiting(order)
    # The payment page expires, and cancelling never works.
    with bootstrap.overridden(**failing(shop.steps, "cancel", times=100)):
        shop.stripe.expire(shop.session_of(order))
        sqs = boto3.client("sqs")
        queue = sqs.get_queue_url(QueueName=CHECKOUT_DLQ)["QueueUrl"]
        deadline = time.monotonic() + 30
        messages: list[dict] = []
        while not messages and time.monotonic() < deadline:
            messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
    assert messages, "the failed compensation reached the dead-letter queue"
    body = json.loads(messages[0]["Body"])
    assert body["order_id"] == order["order_id"] and body["error"]["Error"] == "InjectedFault"
    time.sleep(0.5)  # the alarm step follows the queue step
    assert '"CheckoutCompensationFailed"' in capsys.readouterr().out


def fetch_qr(shop: Shop, order_id: str, ticket_id: str, token: str) -> tuple[int, str, Any]:
    """GET a ticket's QR SVG: status, body text and headers (the token in the query)."""
    url = f"{shop.base}/v1/orders/{order_id}/tickets/{ticket_id}/qr.svg?token={token}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def test_each_ticket_qr_code_is_served_as_svg_to_the_token_holder_only(shop, performance):
    import io

    import segno

    hold = shop.hold(performance, ["zaal-c-7", "zaal-c-8"], client="buyer-qr-svg")
    order = shop.order(hold)
    shop.saga_waiting(order)
    shop.stripe.pay(shop.session_of(order))
    state = shop.wait_for(order, "completed", "refunded", "cancelled")
    assert state["status"] == "completed" and len(state["tickets"]) == 2
    for ticket in state["tickets"]:
        status, body, headers = fetch_qr(
            shop, order["order_id"], ticket["id"], order["access_token"]
        )
        assert status == 200, body
        assert headers["Content-Type"] == "image/svg+xml"
        assert headers["Cache-Control"] == "private, max-age=3600"
        assert body.startswith(("<svg", "<?xml"))
        expected = io.BytesIO()
        segno.make(ticket["qr"], error="m", micro=False).save(
            expected, kind="svg", scale=4, border=4, xmldecl=False, dark="#000", light="#fff"
        )
        assert body == expected.getvalue().decode()
    # the header works as well as the query
    request = urllib.request.Request(
        f"{shop.base}/v1/orders/{order['order_id']}/tickets/{state['tickets'][0]['id']}/qr.svg",
        headers={"X-Order-Token": order["access_token"]},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.read().startswith(b"<svg")

    ticket_id = state["tickets"][0]["id"]
    status, body, headers = fetch_qr(shop, order["order_id"], ticket_id, "not-the-token")
    assert status == 404 and headers["Content-Type"].startswith("application/problem+json")

    other_hold = shop.hold(performance, ["zaal-c-9"], client="buyer-qr-other")
    other = shop.order(other_hold)
    shop.saga_waiting(other)
    shop.stripe.pay(shop.session_of(other))
    other_state = shop.wait_for(other, "completed", "refunded", "cancelled")
    assert other_state["status"] == "completed"
    other_ticket = other_state["tickets"][0]["id"]
    status, body, _ = fetch_qr(shop, order["order_id"], other_ticket, order["access_token"])
    assert status == 404, body
    status, body, _ = fetch_qr(shop, "o-unknown", ticket_id, order["access_token"])
    assert status == 404, body


def test_zz_no_seat_was_sold_to_two_orders(shop):
    """After every scenario above: each sold seat belongs to exactly one completed order."""
    import boto3

    from chalicelib.core.config import settings

    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=settings().table_name)
    items = [item for page in pages for item in page["Items"]]
    sold_by: dict[tuple[str, str], list[str]] = {}
    for item in items:
        if item.get("kind", {}).get("S") == "order" and item["status"]["S"] == "completed":
            for line in item["lines"]["L"]:
                key = (item["performance"]["S"], line["M"]["place"]["S"])
                sold_by.setdefault(key, []).append(item["id"]["S"])
    assert sold_by, "the scenarios above completed orders"
    assert {key: ids for key, ids in sold_by.items() if len(ids) > 1} == {}
    sold_seats = {
        (item["performance"]["S"], item["seat"]["S"])
        for item in items
        if item.get("kind", {}).get("S") == "seat" and item["state"]["S"] == "sold"
    }
    assert set(sold_by) <= sold_seats
