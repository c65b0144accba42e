"""A cancelled performance's refunds, in the background: the cancel route queues one message
per order still to refund (SQS, 10 a call) and answers at once; the `refund_buyers` consumer
(SQS → Lambda, batches of 10, Powertools' partial batch failures) runs sales management's own
cancel for each: tickets void and revoked at the door, seats back, a full refund through the
payment port with an idempotency key, the cancellation mail in the buyer's language.

A message is only a trigger: the consumer reads the order and the performance again, so a
message delivered twice, or queued twice by a second cancel, refunds nothing twice (the
cancel fixes its amount once and its Stripe refund carries the order's key). A refund that
fails is reported alone and comes back; after 5 receives it waits in the dead-letter queue.

Progress is counted from the house's orders of the performance (its own index partition,
filtered), never kept in a counter, so it is true after a crash and whoever asks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.bootstrap import container
from chalicelib.orders.model import Order, OrderStatus
from chalicelib.programme.service import RefundCounts
from chalicelib.sales.schemas import OrderCancelCommand

LOG = logging.getLogger(__name__)

CANCELLED_BY = "performance cancelled"  # who the orders' history says cancelled them
# A second look, this long after a cancel: an order completed in the instant before the status
# was written may not have been in the (eventually consistent) order index yet, and a desk sale
# checked just before may complete just after. The sweep queues whatever is still to refund.
SWEEP_DELAY_SECONDS = 60
_LOWEST, _HIGHEST = "0", "~"  # the whole of a house's order index


# --- the rules --------------------------------------------------------------------------------


def still_to_refund(order: Order) -> bool:
    """A buyer whose tickets are still live: completed and not cancelled, or a cancel that
    stopped half-way (its refund fixed, a webhook already moved the order to refunded)."""
    if order.cancelled_at is not None:
        return False
    if order.status is OrderStatus.COMPLETED:
        return True
    return order.status is OrderStatus.REFUNDED and order.cancel_refund_cents is not None


def paying(order: Order) -> bool:
    """A checkout between its order and its tickets: the saga refunds it when it sees the
    performance cancelled, once the payment is in."""
    return order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID)


def progress(orders: Iterable[Order]) -> RefundCounts:
    """Where a cancellation is: orders still to refund, orders refunded or cancelled (money
    back, tickets void), checkouts still paying, and whether nothing is left to do."""
    to_refund = refunded = in_flight = refunded_cents = 0
    for order in orders:
        if still_to_refund(order):
            to_refund += 1
        elif paying(order):
            in_flight += 1
        elif order.status is OrderStatus.REFUNDED or order.cancelled_at is not None:
            refunded += 1
            refunded_cents += order.refunded_cents
    return {
        "to_refund": to_refund,
        "refunded": refunded,
        "refunded_cents": refunded_cents,
        "checkouts_paying": in_flight,
        "done": to_refund == 0 and in_flight == 0,
    }


@dataclass(frozen=True)
class RefundRequest:
    """One order to refund; without an order, the sweep: queue whatever is still to refund."""

    house: str
    performance: str
    order: str | None
    reason: str

    def message(self) -> dict[str, str]:
        message = {"house": self.house, "performance": self.performance, "reason": self.reason}
        return message | ({"order": self.order} if self.order else {})


def parse_refund_message(body: str) -> RefundRequest:
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("a refund message is an object")
    required = [data.get(name) for name in ("house", "performance", "reason")]
    order = data.get("order")  # absent: the sweep
    texts = [*required, "-" if order is None else order]
    if not all(isinstance(value, str) and value for value in texts):
        raise ValueError(f"not a refund message: {sorted(data)}")
    return RefundRequest(data["house"], data["performance"], order, data["reason"])


# --- the use case -----------------------------------------------------------------------------


class Orders(Protocol):
    def get(self, order_id: str) -> Order | None: ...
    def house_orders(
        self, house: str, lower: str, upper: str, *, performance: str | None = None
    ) -> Iterator[tuple[str, Order]]: ...
    def performance_cancelled(self, house: str, performance_id: str) -> bool: ...


class OrderCancel(Protocol):
    """Sales management's staff cancel (chalicelib/sales/service.py), idempotent per order."""

    def cancel(
        self, houses: frozenset[str], order_id: str, request: OrderCancelCommand, staff: str
    ) -> Any: ...


class Queue(Protocol):
    def send_all(self, messages: Sequence[dict[str, Any]], delay_seconds: int = 0) -> int: ...


class CancellationRefunds:
    """`ProgrammeService.cancel`'s refunds port, and the consumer's work per message."""

    def __init__(self, orders: Orders, queue: Queue, sales: OrderCancel) -> None:
        self.orders = orders
        self.queue = queue
        self.sales = sales

    def _orders(self, house: str, performance_id: str) -> list[Order]:
        return [
            order
            for _, order in self.orders.house_orders(
                house, _LOWEST, _HIGHEST, performance=performance_id
            )
        ]

    def progress(self, house: str, performance_id: str) -> RefundCounts:
        return progress(self._orders(house, performance_id))

    def refund_buyers(
        self, house: str, performance_id: str, reason: str, *, sweep: bool = True
    ) -> RefundCounts:
        """Queue every order still to refund (the performance is cancelled already), and the
        sweep that looks again a minute later. Asked again, it queues what is still not
        refunded: safe, each refund happens once."""
        orders = self._orders(house, performance_id)
        due = [
            RefundRequest(house, performance_id, order.id, reason).message()
            for order in orders
            if still_to_refund(order)
        ]
        queued = self.queue.send_all(due) if due else 0
        if sweep:
            again = RefundRequest(house, performance_id, None, reason).message()
            self.queue.send_all([again], delay_seconds=SWEEP_DELAY_SECONDS)
        counts = progress(orders)
        counts["queued"] = queued
        return counts

    def handle(self, request: RefundRequest) -> str:
        """One message: an order's refund, or the sweep (which queues, and sweeps no more)."""
        if request.order is not None:
            return self.refund_one(request)
        if not self.orders.performance_cancelled(request.house, request.performance):
            raise ValueError(f"performance {request.performance} is not cancelled")
        swept = self.refund_buyers(request.house, request.performance, request.reason, sweep=False)
        return f"swept: {swept['queued']} queued"

    def refund_one(self, request: RefundRequest) -> str:
        """One buyer refunded through the staff cancel. A message that names an order of
        another house or performance, or a performance that is not cancelled, is an error:
        it ends in the dead-letter queue for a person, and nothing is refunded."""
        order = self.orders.get(request.order or "")
        whose = (request.house, request.performance)
        if order is None or (order.house, order.performance) != whose:
            raise LookupError(f"no order {request.order} of {request.performance}")
        if not self.orders.performance_cancelled(request.house, request.performance):
            raise ValueError(f"performance {request.performance} is not cancelled")
        if not still_to_refund(order):
            return "done already"  # a redelivery, or a second cancel's message
        refund = OrderCancelCommand.full_refund(request.reason)
        self.sales.cancel(frozenset({request.house}), order.id, refund, CANCELLED_BY)
        return "refunded"


# --- the consumer -----------------------------------------------------------------------------


def handle(
    event: dict[str, Any], context: Any = None, refunds: CancellationRefunds | None = None
) -> dict[str, Any]:
    """The Lambda handler's body: a Lambda-shaped SQS event in, the partial batch response
    out (`batchItemFailures`: only the failed messages come back). The local stack's consumer
    loop calls exactly this."""
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    service = refunds or container().refunds()

    def record_handler(record: SQSRecord) -> str:
        request = parse_refund_message(record.body)
        try:
            return service.handle(request)
        except Exception:
            LOG.exception("refund failed; it comes back", extra={"order": request.order})
            raise

    # A batch that fails whole is reported message by message too, not raised: the same
    # answer (every message comes back), and not counted as the function's own error.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    answer = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(answer)
