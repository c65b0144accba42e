"""A cancelled performance's buyers, on AWS's DynamoDB Local with the real stores, sales
management's own cancel and a fake payment port: the refunds queued and consumed in batches
(one failing refund comes back alone; the batch delivered again refunds nothing twice), the
door revoking every ticket; a checkout paid after the cancellation refunded by its saga with the
cancellation mail and no tickets, even when the cancellation lands between its confirmation
mail and its completion; and no new order or desk sale on a cancelled performance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalogue.model import CatalogueSet, PerformanceStatus
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.orders.mail import ConfirmationMails
from chalicelib.orders.model import OrderStatus
from chalicelib.orders.schemas import OrderCommand
from chalicelib.orders.service import PerformanceCancelled
from chalicelib.programme.cancellation import CancellationRefunds, handle
from chalicelib.scanning.store import DynamoDoorStore
from tests import factories as f
from tests.integration import test_sales
from tests.integration.test_sales import Desk
from tests.sales_fixtures import performance_of
from tests.unit.test_cancellation import sqs_event

desk = test_sales.desk  # the same fixture: real stores, a fake payment port, an outbox


@pytest.fixture
def show() -> tuple[str, str]:
    """A house of this test's own (the shared table holds other tests' orders of the pilot
    houses, and their searches count them) and an on-sale performance of it."""
    house = f"test-cancel-{uuid.uuid4().hex[:8]}"
    return house, performance_of(house, f.T0 + timedelta(days=10), f.T0 - timedelta(days=1))


@dataclass
class ListQueue:
    sent: list[dict[str, Any]] = field(default_factory=list)

    def send_all(self, messages: Sequence[dict[str, Any]], delay_seconds: int = 0) -> int:
        if not delay_seconds:  # the sweep a minute later: the unit tests follow it
            self.sent.extend(messages)
        return len(messages)


def cancel_performance(house: str, performance_id: str) -> None:
    store = DynamoCatalogueStore()
    detail = store.own_performance({house}, performance_id)
    assert detail is not None
    cancelled = replace(detail.performance, status=PerformanceStatus.CANCELLED)
    store.save_all(CatalogueSet(performances=(cancelled,)))


def placed(desk: Desk, performance: str, seats: list[str]) -> str:
    hold_id, token = desk.hold(performance, seats)
    order, _ = desk.checkout.place(
        parse(
            OrderCommand,
            {
                "hold_id": hold_id,
                "hold_token": token,
                "lines": [{"seat": s, "tariff": "standaard"} for s in seats],
                "customer": {"name": "Lea Laat", "email": "lea@example.be", "language": "fr"},
            },
        )
    )
    return order.id


def test_every_buyer_is_refunded_once_through_the_queue_and_the_door_revokes_them(
    desk: Desk, show: tuple[str, str]
):
    house, perf = show
    paid = [desk.web_order(perf, [f"zaal-c-{n}"]) for n in range(1, 4)]
    hold_id, token = desk.hold(perf, ["zaal-d-1"])
    sale = {
        "hold_id": hold_id,
        "hold_token": token,
        "lines": [{"seat": "zaal-d-1", "tariff": "standaard"}],
        "customer": {"name": "Bea Balie"},
        "payment": "cash",
    }
    at_desk = desk.sales.sell_at_desk(frozenset({house}), sale, "kassa-1").id
    cancel_performance(house, perf)
    queue = ListQueue()
    refunds = CancellationRefunds(desk.sales.orders, queue, desk.sales)
    answer = refunds.refund_buyers(house, perf, "ziekte")
    assert (answer["queued"], answer["to_refund"], answer["done"]) == (4, 4, False)

    desk.payments.failing.add(f"{paid[1]}-staff-cancel")
    response = handle(sqs_event(queue.sent), refunds=refunds)
    failed = [f["itemIdentifier"] for f in response["batchItemFailures"]]
    assert failed == [f"m-{[m['order'] for m in queue.sent].index(paid[1])}"]
    assert refunds.progress(house, perf)["to_refund"] == 1
    handle(sqs_event(queue.sent), refunds=refunds)  # SQS brings it back, the others too
    handle(sqs_event(queue.sent), refunds=refunds)

    totals = {o: desk.sales.orders.get(o).total_cents for o in [*paid, at_desk]}  # type: ignore[union-attr]
    assert desk.payments.refunds == {f"{o}-staff-cancel": totals[o] for o in paid}  # once each
    assert desk.payments.refund_calls == 4  # 3 buyers + the one that failed; none repeated
    done = refunds.progress(house, perf)
    assert done == {
        "to_refund": 0,
        "refunded": 4,
        "refunded_cents": sum(totals.values()),
        "checkouts_paying": 0,
        "done": True,
    }
    for order_id in [*paid, at_desk]:
        order = desk.sales.orders.get(order_id)
        assert order and order.status is OrderStatus.REFUNDED and order.cancelled_at
        assert all(t.voided for t in desk.sales.orders.tickets(order_id))
    cancellations = [m for m in desk.outbox.sent if "geannuleerd" in m[1]]
    assert len(cancellations) == 3  # the web buyers; the desk sale has no e-mail
    tickets = {t.id for o in paid for t in desk.sales.orders.tickets(o)}
    assert tickets <= set(DynamoDoorStore().revoked(house, perf))
    # asked again: nothing left to queue
    assert refunds.refund_buyers(house, perf, "ziekte")["queued"] == 0


def test_a_checkout_paid_after_the_cancellation_is_refunded_by_its_saga(
    desk: Desk, show: tuple[str, str]
):
    house, perf = show
    order_id = placed(desk, perf, ["zaal-e-1", "zaal-e-2"])
    cancel_performance(house, perf)
    refunds = CancellationRefunds(desk.sales.orders, ListQueue(), desk.sales)
    assert refunds.progress(house, perf)["checkouts_paying"] == 1

    with pytest.raises(PerformanceCancelled):
        desk.checkout.confirm_seats(order_id)  # the payment is in (the fake pays at once)
    desk.checkout.refund(order_id, "performancecancelled", desk.outbox, ConfirmationMails())
    desk.checkout.refund(order_id, "performancecancelled", desk.outbox, ConfirmationMails())

    order = desk.sales.orders.get(order_id)
    assert order and order.status is OrderStatus.REFUNDED and order.tickets == ()
    assert desk.payments.refunds == {f"{order_id}-performancecancelled": order.total_cents}
    [(to, subject, _)] = desk.outbox.sent  # one mail: the cancellation, in the buyer's French
    assert to == "lea@example.be" and subject.endswith("est annulée"), subject
    states, _ = desk.checkout.inventory.seat_states(perf, desk.checkout.inventory.context(perf)[1])
    assert "zaal-e-1" not in states or states["zaal-e-1"].value != "sold"
    assert refunds.progress(house, perf) | {"refunded_cents": 0} == {
        "to_refund": 0,
        "refunded": 1,
        "refunded_cents": 0,
        "checkouts_paying": 0,
        "done": True,
    }


def test_a_cancellation_after_the_confirmation_mail_still_refunds_the_checkout(
    desk: Desk, show: tuple[str, str]
):
    house, perf = show
    order_id = placed(desk, perf, ["zaal-a-1"])
    desk.checkout.confirm_seats(order_id)
    desk.checkout.issue_tickets(order_id, desk.sales.issuer, desk.files)
    desk.sales.orders.update(order_id, mailed=True)  # the mail went, the step then crashed
    cancel_performance(house, perf)
    with pytest.raises(PerformanceCancelled):  # its completion is refused: a refund
        desk.checkout.send_confirmation(order_id, desk.outbox, ConfirmationMails())
    desk.checkout.refund(order_id, "performancecancelled", desk.outbox, ConfirmationMails())
    order = desk.sales.orders.get(order_id)
    assert order and order.status is OrderStatus.REFUNDED
    tickets = desk.sales.orders.tickets(order_id)
    assert tickets and all(t.voided for t in tickets)
    assert {t.id for t in tickets} <= set(DynamoDoorStore().revoked(house, perf))
    assert sum(desk.payments.refunds.values()) == order.total_cents


def test_no_order_or_desk_sale_on_a_cancelled_performance(desk: Desk, show: tuple[str, str]):
    house, perf = show
    web_hold, web_token = desk.hold(perf, ["zaal-b-1"])
    desk_hold, desk_token = desk.hold(perf, ["zaal-b-2"])
    cancel_performance(house, perf)
    for attempt in (
        lambda: desk.checkout.place(
            parse(
                OrderCommand,
                {
                    "hold_id": web_hold,
                    "hold_token": web_token,
                    "lines": [{"seat": "zaal-b-1", "tariff": "standaard"}],
                    "customer": {"name": "An", "email": "an@example.be", "language": "nl"},
                },
            )
        ),
        lambda: desk.sales.sell_at_desk(
            frozenset({house}),
            {
                "hold_id": desk_hold,
                "hold_token": desk_token,
                "lines": [{"seat": "zaal-b-2", "tariff": "standaard"}],
                "customer": {"name": "Bea"},
                "payment": "cash",
            },
            "kassa-1",
        ),
    ):
        with pytest.raises(Problem) as refused:
            attempt()
        assert refused.value.code == "not_on_sale"
    assert list(desk.sales.orders.house_orders(house, "0", "~", performance=perf)) == []


@pytest.mark.parametrize("delivery", ["print", "email"])
def test_a_desk_sale_overtaken_by_the_cancellation_is_undone_and_the_desk_told(
    desk: Desk, show: tuple[str, str], monkeypatch: pytest.MonkeyPatch, delivery: str
):
    house, perf = show
    hold_id, token = desk.hold(perf, ["zaal-e-5"])
    # The cancellation lands between the desk's up-front check and the sale's completion.
    monkeypatch.setattr(desk.checkout, "refuse_cancelled", lambda *_: cancel_performance(*_))
    sale = {
        "hold_id": hold_id,
        "hold_token": token,
        "lines": [{"seat": "zaal-e-5", "tariff": "standaard"}],
        "customer": {"name": "Bea", "email": "bea@example.be", "language": "nl"},
        "payment": "cash",
        "delivery": delivery,
    }
    with pytest.raises(Problem) as refused:
        desk.sales.sell_at_desk(frozenset({house}), sale, "kassa-1")
    assert refused.value.code == "not_on_sale"
    [(_, order)] = list(desk.sales.orders.house_orders(house, "0", "~", performance=perf))
    assert order.cancelled_at is not None and order.status is OrderStatus.REFUNDED
    assert order.refunded_cents == order.total_cents  # paid back at the desk, in hand
    assert desk.payments.refund_calls == 0  # cash: nothing through Stripe
    tickets = desk.sales.orders.tickets(order.id)
    assert tickets and all(t.voided for t in tickets)
    assert {t.id for t in tickets} <= set(DynamoDoorStore().revoked(house, perf))
    assert [m for m in desk.outbox.sent if "geannuleerd" in m[1]]  # the cancellation mail
    assert not [m for m in desk.outbox.sent if m[1].startswith("Je tickets")]
