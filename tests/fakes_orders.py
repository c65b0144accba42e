"""In-memory stand-ins for the ports the checkout and sales services use (orders, holds,
payments, tickets, files, mail), so their rules run in unit tests without DynamoDB, Stripe or
SES (*Architecture Patterns with Python*, ch. 3 and 5: fakes, not mocks). Each fake keeps
the one promise of its real adapter that the services lean on: conditional status moves,
one order per hold, payments de-duplicated by idempotency key, a seat sold to one hold only.

Some fakes can be told to break that promise (`honours_keys=False`, `FreshIdIssuer`): the
tests use them as negative controls, to show that an assertion would notice the broken rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.catalogue.model import Hall, PerformanceDetail
from chalicelib.core.clock import Clock, FixedClock, to_utc_iso
from chalicelib.core.edge import parse
from chalicelib.core.errors import not_found
from chalicelib.core.ids import digest, matches, new_id, new_secret
from chalicelib.inventory.model import Hold, HoldState, staff_rules
from chalicelib.inventory.problems import hold_expired, seats_lost_before_sale
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.service import HoldGrant
from chalicelib.orders.model import (
    Exchange,
    HoldAlreadyOrdered,
    Order,
    OrderStatus,
    StatusChange,
    StoredTicket,
)
from chalicelib.orders.schemas import OrderCommand
from chalicelib.orders.service import CheckoutService, PerformanceCancelled, SeatsLost, ticket_id
from chalicelib.orders.store import fold
from chalicelib.payments.model import CheckoutRequest, CheckoutSession
from chalicelib.sales.service import SalesService

# --- orders ----------------------------------------------------------------------------------


@dataclass
class FakeOrderStore:
    """Orders and tickets in dicts; every move is conditional on the status, as in DynamoDB."""

    clock: Clock
    orders: dict[str, Order] = field(default_factory=dict)
    of_hold: dict[str, str] = field(default_factory=dict)
    task_tokens: dict[str, str] = field(default_factory=dict)
    issued: dict[str, dict[int, StoredTicket]] = field(default_factory=dict)
    cancelled_performances: set[tuple[str, str]] = field(default_factory=set)
    revoked: list[tuple[str, str]] = field(default_factory=list)  # (ticket, reason)
    # Negative control: the first try of a staff cancel does not fix its amount, so a retry
    # after a crash decides the refund anew.
    forgets_cancel_refund: bool = False

    def create(self, order: Order) -> None:
        if order.hold in self.of_hold or order.id in self.orders:
            raise HoldAlreadyOrdered(order.hold)
        self.orders[order.id] = order
        self.of_hold[order.hold] = order.id

    def order_of_hold(self, hold_id: str) -> str | None:
        return self.of_hold.get(hold_id)

    def get(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def performance_cancelled(self, house: str, performance_id: str) -> bool:
        return (house, performance_id) in self.cancelled_performances

    def task_token(self, order_id: str) -> str | None:
        return self.task_tokens.get(order_id)

    def update(self, order_id: str, **changes: Any) -> None:
        if "task_token" in changes:
            self.task_tokens[order_id] = changes.pop("task_token")
        if "tickets" in changes:
            changes["tickets"] = tuple(changes["tickets"])
        self.orders[order_id] = replace(self.orders[order_id], **changes)

    def move(
        self, order_id: str, to: OrderStatus, allowed_from: Iterable[OrderStatus], **changes: Any
    ) -> bool:
        order = self.orders[order_id]
        if order.status not in set(allowed_from):
            return False
        self.orders[order_id] = replace(
            order, status=to, history=(*order.history, self._change(to.value)), **changes
        )
        return True

    def complete(self, order: Order) -> str:
        if self.performance_cancelled(order.house, order.performance):
            return "performance_cancelled"
        return (
            "completed"
            if self.move(order.id, OrderStatus.COMPLETED, {OrderStatus.PAID})
            else ("not_paid")
        )

    def save_tickets(self, tickets: list[StoredTicket]) -> None:
        for ticket in tickets:  # a ticket's item is keyed by its order and index: overwritten
            self.issued.setdefault(ticket.order, {})[ticket.index] = ticket

    def tickets(self, order_id: str) -> list[StoredTicket]:
        return [t for _, t in sorted(self.issued.get(order_id, {}).items())]

    def open_before(self, moment: datetime) -> Iterator[Order]:
        for order in list(self.orders.values()):
            if not order.status.final and order.pay_before < moment:
                yield order

    def house_orders(
        self,
        house: str,
        lower: str,
        upper: str,
        *,
        performance: str | None = None,
        text: str | None = None,
        status: str | None = None,
    ) -> Iterator[tuple[str, Order]]:
        keyed = sorted(
            ((f"{to_utc_iso(o.created_at)}#{o.id}", o) for o in self.orders.values()),
            reverse=True,
        )
        for key, order in keyed:
            if order.house != house or not lower <= key <= upper:
                continue
            if performance is not None and order.performance != performance:
                continue
            words = fold(f"{order.customer.name} {order.customer.email}")
            if text is not None and fold(text) not in words:
                continue
            if status is not None and order.status.value != status:
                continue
            yield key, order

    def fix_cancel_refund(self, order_id: str, cents: int, total: int) -> tuple[int, int]:
        order = self.orders[order_id]
        if self.forgets_cancel_refund:
            return cents, total
        if order.cancel_refund_cents is None or order.cancel_refund_total is None:
            self.update(order_id, cancel_refund_cents=cents, cancel_refund_total=total)
            return cents, total
        return order.cancel_refund_cents, order.cancel_refund_total

    def void_tickets(
        self,
        order_id: str,
        moment: datetime,
        reason: str = "cancelled",
        only: Iterable[str] | None = None,
    ) -> None:
        chosen = None if only is None else set(only)
        for index, ticket in self.issued.get(order_id, {}).items():
            if chosen is None or ticket.id in chosen:
                self.issued[order_id][index] = replace(ticket, voided=True)
                if (ticket.id, reason) not in self.revoked:
                    self.revoked.append((ticket.id, reason))

    def record_exchange(
        self, order_id: str, moved: list[StoredTicket], exchange: Exchange, note: str
    ) -> bool:
        order = self.orders[order_id]
        current = {t.index: t for t in self.tickets(order_id)}
        if order.status is not OrderStatus.COMPLETED or order.cancelled_at is not None:
            return False
        if any(current[t.index].voided or current[t.index].exchanged_to for t in moved):
            return False
        for ticket in moved:
            self.issued[order_id][ticket.index] = replace(
                current[ticket.index], exchanged_to=exchange.order
            )
        change = StatusChange(exchange.at, order.status.value, exchange.by, note)
        self.orders[order_id] = replace(
            order,
            exchanges=(*order.exchanges, exchange),
            refunded_cents=order.refunded_cents + exchange.refund_cents,
            history=(*order.history, change),
        )
        return True

    def close_cancelled(
        self,
        order_id: str,
        to: OrderStatus,
        refunded_cents: int,
        moment: datetime,
        by: str,
        reason: str,
        exchanged_to: str | None = None,
    ) -> bool:
        order = self.orders[order_id]
        allowed = (OrderStatus.COMPLETED, OrderStatus.REFUNDED)
        if order.status not in allowed or order.cancelled_at is not None:
            return False
        self.orders[order_id] = replace(
            order,
            status=to,
            refunded_cents=refunded_cents,
            cancelled_at=moment,
            cancelled_by=by,
            cancel_reason=reason,
            history=(*order.history, StatusChange(moment, to.value, by, reason)),
            exchanged_to=exchanged_to or order.exchanged_to,
        )
        return True

    def _change(self, status: str) -> StatusChange:
        return StatusChange(self.clock.now(), status)


# --- seats and holds -------------------------------------------------------------------------


@dataclass
class FakeCatalogue:
    details: dict[str, PerformanceDetail] = field(default_factory=dict)

    def find_performance(self, performance_id: str) -> PerformanceDetail | None:
        return self.details.get(performance_id)

    def own_performance(
        self, houses: Iterable[str], performance_id: str
    ) -> PerformanceDetail | None:
        detail = self.details.get(performance_id)
        return detail if detail and detail.performance.house in set(houses) else None


@dataclass
class FakeInventory:
    """Holds on numbered seats of one seat map. A seat belongs to the hold that sold it, or
    that holds it until its expiry; after that anyone may take it."""

    clock: Clock
    seat_map: SeatMap
    catalogue: FakeCatalogue = field(default_factory=FakeCatalogue)
    holds: dict[str, Hold] = field(default_factory=dict)
    owners: dict[tuple[str, str], str] = field(default_factory=dict)  # (performance, seat)
    sell_calls: int = 0

    def add(self, detail: PerformanceDetail) -> None:
        self.catalogue.details[detail.performance.id] = detail

    def hold(self, performance: str, seats: Sequence[str], minutes: int = 15) -> tuple[Hold, str]:
        """A buyer's hold, as POST /v1/performances/{id}/holds takes it."""
        now = self.clock.now()
        taken = [s for s in seats if self._owner(performance, s, now) is not None]
        if taken:
            raise seats_lost_before_sale(taken)
        token = new_secret()
        hold = Hold(
            id=new_id("h"),
            performance=performance,
            house=self.catalogue.details[performance].performance.house,
            client="c",
            seats=tuple(seats),
            ga=(),
            client_slot=0,
            created_at=now,
            held_until=now + timedelta(minutes=minutes),
            token_digest=digest(token),
        )
        self.holds[hold.id] = hold
        for seat in seats:
            self.owners[performance, seat] = hold.id
        return hold, token

    def state(self, performance: str, seat: str) -> str:
        owner = self._owner(performance, seat, self.clock.now())
        if owner is None:
            return "free"
        return "sold" if self.holds[owner].state is HoldState.SOLD else "held"

    # the port

    def get_hold(self, hold_id: str, token: str | None) -> tuple[Hold, SeatMap]:
        hold = self.holds.get(hold_id)
        if hold is None or not matches(token, hold.token_digest):
            raise not_found("hold", hold_id)
        return hold, self.seat_map

    def context(self, performance_id: str) -> tuple[PerformanceDetail, SeatMap]:
        detail = self.catalogue.find_performance(performance_id)
        if detail is None:
            raise not_found("performance", performance_id)
        return detail, self.seat_map

    def seat_map_of(self, hall: Hall) -> SeatMap | None:
        return self.seat_map

    def extend(self, hold_id: str, token: str | None) -> Hold:
        hold, _ = self.get_hold(hold_id, token)
        now = self.clock.now()
        if hold.state_at(now) is not HoldState.ACTIVE:
            raise hold_expired()
        extended = replace(hold, held_until=now + timedelta(minutes=20), extended=True)
        self.holds[hold_id] = extended
        return extended

    def sell(self, hold_id: str) -> Hold:
        self.sell_calls += 1
        hold = self.holds.get(hold_id)
        if hold is None:
            raise not_found("hold", hold_id)
        if hold.state is HoldState.SOLD:
            return hold
        now = self.clock.now()
        # Lost: after this hold expired, another hold took the seat and has it still.
        lost = [
            seat
            for seat in hold.seats
            if self.owners.get((hold.performance, seat)) not in (None, hold_id)
            and self._owner(hold.performance, seat, now) is not None
        ]
        if lost:
            raise seats_lost_before_sale(lost)
        for seat in hold.seats:
            self.owners[hold.performance, seat] = hold_id
        sold = replace(hold, state=HoldState.SOLD)
        self.holds[hold_id] = sold
        return sold

    def abandon(self, hold_id: str) -> None:
        hold = self.holds.get(hold_id)
        if hold is None or hold.state is HoldState.RELEASED:
            return
        for seat in hold.seats:
            if self.owners.get((hold.performance, seat)) == hold_id:
                del self.owners[hold.performance, seat]
        self.holds[hold_id] = replace(hold, state=HoldState.RELEASED)

    def give_back(self, hold_id: str, places: Sequence[str], key: str) -> None:
        hold = self.holds.get(hold_id)
        if hold is None or hold.state is not HoldState.SOLD or key in hold.released:
            return
        for seat in places:
            if self.owners.get((hold.performance, seat)) == hold_id:
                del self.owners[hold.performance, seat]
        self.holds[hold_id] = replace(
            hold,
            released=(*hold.released, key),
            released_seats=(*hold.released_seats, *places),
        )

    def staff_grant(self, detail: PerformanceDetail) -> HoldGrant:
        return HoldGrant(detail, self.seat_map, staff_rules(15), "staff", None, self.clock.now())

    def take(self, grant: HoldGrant, request: HoldCommand) -> tuple[Hold, str, SeatMap]:
        """Chosen seats only: the desk's tests name them."""
        hold, token = self.hold(grant.detail.performance.id, request.seats or [], minutes=60)
        return hold, token, self.seat_map

    def _owner(self, performance: str, seat: str, now: datetime) -> str | None:
        """Who has the seat now: the hold that sold it, or that holds it still."""
        hold_id = self.owners.get((performance, seat))
        hold = self.holds.get(hold_id or "")
        if hold is None:
            return None
        if hold.state is HoldState.SOLD or hold.state_at(now) is HoldState.ACTIVE:
            return hold.id
        return None


# --- payments --------------------------------------------------------------------------------


@dataclass
class FakePaymentGateway:
    """Stripe as the checkout sees it. Like Stripe, it answers a request made again with the
    same idempotency key (an order's session; a refund's reason key) with the first answer,
    unless `honours_keys` is False: then every call charges or refunds anew."""

    honours_keys: bool = True
    sessions: dict[str, CheckoutSession] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)  # idempotency key → session
    refunds: list[tuple[str, int, str]] = field(default_factory=list)  # (intent, cents, key)
    refunded_keys: set[str] = field(default_factory=set)
    requests: list[CheckoutRequest] = field(default_factory=list)  # what the buyer is shown

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        self.requests.append(request)
        key = request.order_id
        if self.honours_keys and key in self.by_key:
            return self.sessions[self.by_key[key]]
        session = CheckoutSession(
            id=f"cs_{uuid.uuid4().hex[:12]}",
            url=f"https://pay.example/{request.order_id}",
            status="open",
            payment_status="unpaid",
            amount_total=request.amount_cents,
            order_id=request.order_id,
            payment_intent=None,
        )
        self.sessions[session.id] = session
        self.by_key[key] = session.id
        return session

    def get_checkout(self, session_id: str) -> CheckoutSession:
        return self.sessions[session_id]

    def expire_checkout(self, session_id: str) -> CheckoutSession:
        session = self.sessions[session_id]
        if session.status == "open":
            session = replace(session, status="expired")
            self.sessions[session_id] = session
        return session

    def refund(self, payment_intent: str, amount_cents: int, reason_key: str) -> str:
        if self.honours_keys and reason_key in self.refunded_keys:
            return f"re_{reason_key}"
        self.refunded_keys.add(reason_key)
        self.refunds.append((payment_intent, amount_cents, reason_key))
        return f"re_{reason_key}"

    def refunded(self, payment_intent: str) -> tuple[str | None, int]:
        order = next(
            (s.order_id for s in self.sessions.values() if s.payment_intent == payment_intent),
            None,
        )
        return order, self.refunded_cents(payment_intent)

    # what the buyer does on the payment page, and what tests read back

    def pay(self, order_id: str) -> CheckoutSession:
        session = self.sessions[self.by_key[order_id]]
        paid = replace(
            session, status="complete", payment_status="paid", payment_intent=f"pi_{order_id}"
        )
        self.sessions[session.id] = paid
        return paid

    def decline(self, order_id: str) -> CheckoutSession:
        session = replace(self.sessions[self.by_key[order_id]], payment_failed=True)
        self.sessions[session.id] = session
        return session

    def charged_cents(self, order_id: str) -> int:
        """What the buyer's card was charged for the order: every session opened for it is a
        payment page that can take the money."""
        return sum(s.amount_total for s in self.sessions.values() if s.order_id == order_id)

    def refunded_cents(self, payment_intent: str) -> int:
        return sum(cents for intent, cents, _ in self.refunds if intent == payment_intent)


# --- the saga's other ports ------------------------------------------------------------------


@dataclass
class FakeWorkflow:
    started: dict[str, dict[str, Any]] = field(default_factory=dict)
    successes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    def start(self, order_id: str, payload: dict[str, Any]) -> None:
        self.started.setdefault(order_id, payload)  # the execution name is the order id

    def send_success(self, task_token: str, output: dict[str, Any]) -> None:
        self.successes.append((task_token, output))

    def send_failure(self, task_token: str, error: str, cause: str) -> None:
        self.failures.append((task_token, error, cause))


class FakeIssuer:
    """Tickets with the checkout's deterministic ids, so issuing again makes the same ones."""

    def issue(self, order: Order, detail: PerformanceDetail) -> list[StoredTicket]:
        return [
            StoredTicket(
                id=self.ticket_id(order.id, index),
                index=index,
                order=order.id,
                house=order.house,
                performance=order.performance,
                place=line.place,
                label=line.label,
                tariff_name=line.tariff_name,
                price_cents=line.price_cents,
                holder=order.customer.name,
                qr=f"PD1.{order.id}.{index}",
            )
            for index, line in enumerate(order.lines)
        ]

    def pdf(self, order: Order, detail: PerformanceDetail, tickets: list[StoredTicket]) -> bytes:
        return b"%PDF-" + ",".join(t.id for t in tickets).encode()

    def ticket_id(self, order_id: str, index: int) -> str:
        return ticket_id(order_id, index)


class FreshIdIssuer(FakeIssuer):
    """Negative control: a new id on every issue, as a random id would give."""

    def ticket_id(self, order_id: str, index: int) -> str:
        return f"t-{uuid.uuid4().hex[:31]}"


@dataclass
class FakeTicketFiles:
    pdfs: dict[str, bytes] = field(default_factory=dict)

    def put_pdf(self, order_id: str, pdf: bytes) -> None:
        self.pdfs[order_id] = pdf

    def pdf_url(self, order_id: str) -> str:
        return f"https://files.example/{order_id}.pdf"


@dataclass
class FakeMailer:
    sent: list[tuple[str, str]] = field(default_factory=list)  # (to, subject)

    def send(self, to: str, subject: str, text: str, html: str) -> None:
        self.sent.append((to, subject))


class FakeWriter:
    """The mails' subjects say which mail it is; their words are orders/mail.py's business."""

    def confirmation(
        self, order: Order, detail: PerformanceDetail, link: str
    ) -> tuple[str, str, str]:
        return f"confirmation {order.id}", link, f"<a href='{link}'>"

    def apology(self, order: Order, detail: PerformanceDetail) -> tuple[str, str, str]:
        return f"apology {order.id}", "sorry", "<p>sorry</p>"

    def cancellation(
        self, order: Order, detail: PerformanceDetail, refunded_cents: int
    ) -> tuple[str, str, str]:
        return f"cancellation {order.id} {refunded_cents}", "cancelled", "<p>cancelled</p>"


# --- a whole shop on fakes -------------------------------------------------------------------

TOKEN_SECRET = b"fake-order-token-secret"


@dataclass
class Shop:
    """The checkout and the desk composed on fakes, as chalicelib/orders/api.py composes them
    on DynamoDB, Stripe, S3 and SES; and the saga's steps driven as the state machine does."""

    clock: FixedClock
    orders: FakeOrderStore
    inventory: FakeInventory
    payments: FakePaymentGateway
    workflow: FakeWorkflow
    issuer: FakeIssuer
    files: FakeTicketFiles
    mailer: FakeMailer
    writer: FakeWriter
    checkout: CheckoutService
    sales: SalesService

    @classmethod
    def build(
        cls,
        clock: FixedClock,
        seat_map: SeatMap,
        details: Sequence[PerformanceDetail],
        *,
        payments: FakePaymentGateway | None = None,
        issuer: FakeIssuer | None = None,
    ) -> Shop:
        orders = FakeOrderStore(clock)
        inventory = FakeInventory(clock, seat_map)
        for detail in details:
            inventory.add(detail)
        payments = payments or FakePaymentGateway()
        workflow, issuer = FakeWorkflow(), issuer or FakeIssuer()
        files, mailer, writer = FakeTicketFiles(), FakeMailer(), FakeWriter()
        checkout = CheckoutService(
            orders,
            inventory,
            payments,
            workflow,
            clock,
            public_url="https://shop.example",
            token_secret=TOKEN_SECRET,
        )
        sales = SalesService(checkout, issuer, files, mailer, writer, inventory.catalogue, orders)
        return cls(
            clock,
            orders,
            inventory,
            payments,
            workflow,
            issuer,
            files,
            mailer,
            writer,
            checkout,
            sales,
        )

    def order_body(
        self, hold: Hold, token: str, tariffs: Sequence[str] | None = None, **changes: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "hold_id": hold.id,
            "hold_token": token,
            "lines": [
                {"seat": seat, "tariff": tariff}
                for seat, tariff in zip(
                    hold.seats, tariffs or ["standaard"] * len(hold.seats), strict=True
                )
            ],
            "customer": {"name": "An Peeters", "email": "an@example.be", "language": "nl"},
        }
        return body | changes

    def place(
        self, performance: str, seats: Sequence[str], tariffs: Sequence[str] | None = None
    ) -> Order:
        hold, token = self.inventory.hold(performance, seats)
        order, _ = self.checkout.place(parse(OrderCommand, self.order_body(hold, token, tariffs)))
        return order

    # the state machine (statemachines/checkout.asl.json), step by step

    def until_paid(self, order_id: str) -> None:
        self.checkout.ensure_payment(order_id)
        self.checkout.await_payment(order_id, f"task-{order_id}")

    def after_payment(self, order_id: str) -> str:
        """ConfirmSeats → IssueTickets → SendConfirmation; any failure → Refund."""
        try:
            self.checkout.confirm_seats(order_id)
            self.checkout.issue_tickets(order_id, self.issuer, self.files)
            self.checkout.send_confirmation(order_id, self.mailer, self.writer)
        except (SeatsLost, PerformanceCancelled) as error:
            reason = type(error).__name__.lower()
            self.checkout.refund(order_id, reason, self.mailer, self.writer)
            return "refunded"
        return "completed"

    def sold(self, performance: str, seats: Sequence[str]) -> Order:
        """A webshop order paid and completed."""
        order = self.place(performance, seats)
        self.until_paid(order.id)
        self.payments.pay(order.id)
        assert self.after_payment(order.id) == "completed"
        return self.orders.orders[order.id]
