"""A cancelled performance's refunds with fakes, no AWS: which orders are still to refund, the
progress counted from the orders, one message queued per buyer (again only for those still not
refunded), and the consumer's batches: a failing refund is reported alone and comes back, a
redelivered message refunds nothing twice, a message about another house's order or a
performance not cancelled refunds nothing and fails (to the dead-letter queue), and the sweep a
minute later queues an order the cancellation's listing could not see yet."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from chalicelib.orders.model import Consents, Customer, Order, OrderLine, OrderStatus
from chalicelib.programme.cancellation import (
    CANCELLED_BY,
    CancellationRefunds,
    RefundRequest,
    handle,
    parse_refund_message,
    progress,
    still_to_refund,
)
from chalicelib.sales.schemas import OrderCancelCommand
from tests import factories as f

HOUSE, PERFORMANCE = "ntgent", "pf-storm"


def order(ident: str, status: OrderStatus = OrderStatus.COMPLETED, **changes: Any) -> Order:
    line = OrderLine("zaal-a-1", "Zaal rij A stoel 1", "zaal", "standaard", "Standaard", 2400, 100)
    return replace(
        Order(
            id=ident,
            house=HOUSE,
            performance=PERFORMANCE,
            hold=f"h-{ident}",
            lines=(line,),
            customer=Customer("An", "an@example.be", "nl"),
            consents=Consents(),
            status=status,
            created_at=f.T0,
            pay_before=f.T0,
            token_digest="x",
        ),
        **changes,
    )


@dataclass
class FakeOrders:
    orders: dict[str, Order] = field(default_factory=dict)
    cancelled: set[tuple[str, str]] = field(default_factory=set)

    def get(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def house_orders(
        self, house: str, lower: str, upper: str, *, performance: str | None = None
    ) -> Iterator[tuple[str, Order]]:
        for o in self.orders.values():
            if o.house == house and (performance is None or o.performance == performance):
                yield o.id, o

    def performance_cancelled(self, house: str, performance_id: str) -> bool:
        return (house, performance_id) in self.cancelled


@dataclass
class FakeQueue:
    sent: list[dict[str, Any]] = field(default_factory=list)
    delayed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def send_all(self, messages: Sequence[dict[str, Any]], delay_seconds: int = 0) -> int:
        if delay_seconds:
            self.delayed.extend((delay_seconds, m) for m in messages)
        else:
            self.sent.extend(messages)
        return len(messages)


@dataclass
class FakeSales:
    """The staff cancel as sales management does it: refund once per order (the gateway
    keeps refunds by idempotency key), close the order, mail once."""

    orders: FakeOrders
    failing: set[str] = field(default_factory=set)  # fails once for these orders
    refunds: dict[str, int] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    mails: list[str] = field(default_factory=list)

    def cancel(
        self, houses: frozenset[str], order_id: str, request: OrderCancelCommand, staff: str
    ) -> Order:
        self.calls.append(order_id)
        found = self.orders.orders[order_id]
        assert found.house in houses and request == OrderCancelCommand.full_refund("ziek")
        assert staff == CANCELLED_BY
        if order_id in self.failing:
            self.failing.discard(order_id)
            raise ConnectionError("Stripe is down")
        self.refunds.setdefault(f"{order_id}-staff-cancel", found.total_cents)
        if found.cancelled_at is None:
            self.mails.append(order_id)
        closed = replace(
            found,
            status=OrderStatus.REFUNDED,
            cancelled_at=f.T0,
            refunded_cents=found.total_cents,
        )
        self.orders.orders[order_id] = closed
        return closed


def world(*orders: Order) -> tuple[CancellationRefunds, FakeOrders, FakeQueue, FakeSales]:
    store = FakeOrders({o.id: o for o in orders}, {(HOUSE, PERFORMANCE)})
    queue, sales = FakeQueue(), FakeSales(store)
    return CancellationRefunds(store, queue, sales), store, queue, sales


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m-{i}",
                "receiptHandle": f"r-{i}",
                "body": json.dumps(m),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:000000000000:podium-refunds",
                "awsRegion": "eu-west-1",
            }
            for i, m in enumerate(messages)
        ]
    }


def failed_ids(response: dict[str, Any]) -> list[str]:
    return [f["itemIdentifier"] for f in response["batchItemFailures"]]


def test_still_to_refund_are_live_tickets_and_half_done_cancels():
    assert still_to_refund(order("o-1"))
    assert not still_to_refund(order("o-2", cancelled_at=f.T0))
    assert not still_to_refund(order("o-3", OrderStatus.PAID))
    assert not still_to_refund(order("o-4", OrderStatus.REFUNDED))  # the saga refunded it
    # a staff cancel whose refund a webhook recorded first: the cancel must still finish
    assert still_to_refund(order("o-5", OrderStatus.REFUNDED, cancel_refund_cents=2500))


def test_progress_counts_what_is_left_from_the_orders():
    counted = progress(
        [
            order("o-1"),
            order("o-2", OrderStatus.REFUNDED, cancelled_at=f.T0, refunded_cents=2500),
            order("o-3", OrderStatus.AWAITING_PAYMENT),
            order("o-4", OrderStatus.PAID),
            order("o-5", OrderStatus.CANCELLED),  # never paid: nothing to give back
            order("o-6", OrderStatus.REFUNDED, refunded_cents=2500),  # refunded by its saga
        ]
    )
    assert counted == {
        "to_refund": 1,
        "refunded": 2,
        "refunded_cents": 5000,
        "checkouts_paying": 2,
        "done": False,
    }
    assert progress([])["done"] is True


def test_cancel_queues_one_message_per_buyer_still_to_refund_and_again_only_those():
    refunds, store, queue, _ = world(
        order("o-1"), order("o-2"), order("o-3", OrderStatus.PAID), order("o-4", cancelled_at=f.T0)
    )
    answer = refunds.refund_buyers(HOUSE, PERFORMANCE, "ziek")
    assert answer["queued"] == 2 and answer["to_refund"] == 2 and answer["checkouts_paying"] == 1
    assert sorted(m["order"] for m in queue.sent) == ["o-1", "o-2"]
    assert queue.sent[0] == {"house": HOUSE, "performance": PERFORMANCE, "order": "o-1",
                             "reason": "ziek"}  # fmt: skip
    store.orders["o-1"] = replace(store.orders["o-1"], cancelled_at=f.T0)
    queue.sent.clear()
    again = refunds.refund_buyers(HOUSE, PERFORMANCE, "ziek")
    assert [m["order"] for m in queue.sent] == ["o-2"] and again["queued"] == 1


def test_a_failing_refund_is_reported_alone_and_a_redelivery_refunds_nothing_twice():
    refunds, store, queue, sales = world(order("o-1"), order("o-2"), order("o-3"))
    refunds.refund_buyers(HOUSE, PERFORMANCE, "ziek")
    sales.failing.add("o-2")
    first = handle(sqs_event(queue.sent), refunds=refunds)
    assert failed_ids(first) == ["m-1"]  # only o-2's message comes back
    assert sorted(sales.refunds) == ["o-1-staff-cancel", "o-3-staff-cancel"]
    # SQS delivers the failed one again, and (at least once) the others too
    second = handle(sqs_event(queue.sent), refunds=refunds)
    assert failed_ids(second) == []
    assert sales.refunds == {f"o-{n}-staff-cancel": 2500 for n in (1, 2, 3)}
    assert sorted(sales.mails) == ["o-1", "o-2", "o-3"]  # one mail each
    assert sorted(sales.calls) == ["o-1", "o-2", "o-2", "o-3"]  # redeliveries: no cancel at all
    assert progress(store.orders.values())["done"] is True


def test_a_message_that_does_not_fit_refunds_nothing_and_fails():
    refunds, store, _, sales = world(order("o-1"), order("o-2", performance="pf-other"))
    other_house = RefundRequest("campo", PERFORMANCE, "o-1", "ziek").message()
    other_show = RefundRequest(HOUSE, PERFORMANCE, "o-2", "ziek").message()
    unknown = RefundRequest(HOUSE, PERFORMANCE, "o-9", "ziek").message()
    response = handle(sqs_event([other_house, other_show, unknown, {"order": 1}]), refunds=refunds)
    assert failed_ids(response) == ["m-0", "m-1", "m-2", "m-3"]
    store.cancelled.clear()  # the performance is not (or no longer) cancelled
    mine = RefundRequest(HOUSE, PERFORMANCE, "o-1", "ziek").message()
    assert failed_ids(handle(sqs_event([mine]), refunds=refunds)) == ["m-0"]
    assert sales.calls == [] and sales.refunds == {}


def test_refund_messages_are_parsed_strictly():
    request = RefundRequest(HOUSE, PERFORMANCE, "o-1", "ziek")
    assert parse_refund_message(json.dumps(request.message())) == request
    sweep = RefundRequest(HOUSE, PERFORMANCE, None, "ziek")
    assert parse_refund_message(json.dumps(sweep.message())) == sweep
    for bad in ("[]", "{}", json.dumps({**request.message(), "order": ""})):
        with pytest.raises(ValueError):
            parse_refund_message(bad)


def test_the_sweep_a_minute_later_queues_what_the_first_listing_missed():
    refunds, store, queue, sales = world(order("o-1"))
    refunds.refund_buyers(HOUSE, PERFORMANCE, "ziek")
    [(delay, sweep)] = queue.delayed
    assert delay == 60 and "order" not in sweep
    handle(sqs_event(queue.sent), refunds=refunds)
    # a desk sale checked just before the cancellation completed just after it
    store.orders["o-2"] = order("o-2")
    queue.sent.clear()
    assert failed_ids(handle(sqs_event([sweep]), refunds=refunds)) == []
    assert [m["order"] for m in queue.sent] == ["o-2"] and len(queue.delayed) == 1  # no new sweep
    handle(sqs_event(queue.sent), refunds=refunds)
    assert sorted(sales.refunds) == ["o-1-staff-cancel", "o-2-staff-cancel"]
    store.cancelled.clear()
    assert failed_ids(handle(sqs_event([sweep]), refunds=refunds)) == ["m-0"]


def test_the_refund_queue_sends_in_batches_of_ten_and_has_its_dead_letter_queue(aws: None):
    import boto3

    from chalicelib.core.config import settings
    from chalicelib.core.queue import SqsQueue
    from chalicelib.store.schema import REFUND_QUEUE

    queue = SqsQueue(settings().refund_queue)
    messages = [RefundRequest(HOUSE, PERFORMANCE, f"o-{n}", "ziek").message() for n in range(23)]
    assert queue.send_all(messages) == 23
    queue.send_all([RefundRequest(HOUSE, PERFORMANCE, None, "ziek").message()], delay_seconds=60)
    sqs = boto3.client("sqs")
    received: list[dict[str, Any]] = []
    while batch := sqs.receive_message(QueueUrl=queue.url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        received += [json.loads(m["Body"]) for m in batch]
    assert sorted(m["order"] for m in received) == sorted(m["order"] for m in messages)
    assert queue.backlog() >= 1  # the sweep, not yet visible
    attributes = sqs.get_queue_attributes(QueueUrl=queue.url, AttributeNames=["RedrivePolicy"])
    redrive = json.loads(attributes["Attributes"]["RedrivePolicy"])
    assert redrive["maxReceiveCount"] == REFUND_QUEUE.max_receive_count
    assert redrive["deadLetterTargetArn"].endswith(f"{settings().refund_queue}-dlq")


def test_a_message_that_keeps_failing_lands_in_the_dead_letter_queue(aws: None):
    """The consumer never deletes a failed message; SQS counts its receives and, past the
    queue's maximum, moves it to the dead-letter queue: kept for a person, never dropped."""
    import boto3

    from chalicelib.core.config import settings
    from chalicelib.core.queue import SqsQueue
    from chalicelib.store.schema import REFUND_QUEUE, dead_letter_queue_name

    refunds, _, _, sales = world()  # the order is unknown: every try fails
    queue = SqsQueue(settings().refund_queue)
    queue.send(RefundRequest(HOUSE, PERFORMANCE, "o-gone", "ziek").message())
    sqs = boto3.client("sqs")
    for _ in range(REFUND_QUEUE.max_receive_count):
        received = sqs.receive_message(QueueUrl=queue.url, VisibilityTimeout=0)["Messages"]
        event = sqs_event([json.loads(m["Body"]) for m in received])
        assert failed_ids(handle(event, refunds=refunds)) == ["m-0"]  # so it is not deleted
    assert "Messages" not in sqs.receive_message(QueueUrl=queue.url, VisibilityTimeout=0)
    dead = SqsQueue(dead_letter_queue_name(settings().refund_queue))
    [letter] = sqs.receive_message(QueueUrl=dead.url)["Messages"]
    assert json.loads(letter["Body"])["order"] == "o-gone" and sales.calls == []
