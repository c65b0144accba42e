"""Checkout use cases: place an order on a hold, follow Stripe's news, and the saga's steps.

The saga (statemachines/checkout.asl.json) calls the steps below one by one; each is
idempotent, because Step Functions retries them and Stripe delivers its news at least once.
Every path ends in one of two states: tickets and money, or no tickets and no money.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol, TypedDict

from chalicelib.catalogue.model import Hall, PerformanceDetail, SalesState
from chalicelib.core.clock import Clock
from chalicelib.core.errors import Problem, not_found
from chalicelib.core.i18n import format_when, pick, translate_plural
from chalicelib.core.ids import digest, is_id_of, matches, new_id
from chalicelib.inventory.model import Hold, HoldState
from chalicelib.inventory.problems import hold_expired, not_on_sale
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.service import HoldGrant
from chalicelib.orders.model import (
    HoldAlreadyOrdered,
    Order,
    OrderStatus,
    StoredTicket,
    price_lines,
)
from chalicelib.orders.ports import OrderStore
from chalicelib.orders.problems import hold_ordered
from chalicelib.orders.schemas import OrderCommand
from chalicelib.payments.model import CheckoutRequest, CheckoutSession, PaymentGateway

# A late payment can still land for a while after the session expired (Bancontact settles
# asynchronously); the saga waits this much longer than the session before it gives up.
PAYMENT_GRACE = timedelta(minutes=5)


class StepResult(TypedDict, total=False):
    """What a saga step answers the state machine (statemachines/checkout.asl.json reads it)."""

    waiting_seconds: int  # ensure_payment: how long the saga waits for the payment
    waiting: bool  # await_payment: the task token is stored
    status: str  # paid, completed, cancelled, refunded
    paid: bool  # payment_timed_out: paid after all
    seats: str  # confirm_seats: "sold"
    tickets: int  # issue_tickets: how many
    alarm: str  # dead_lettered: the metric a person is alerted by


class SeatsLost(Exception):
    """Paid, but the hold expired and someone else took a seat: the saga refunds."""


class PaymentFailed(Exception):
    """Declined, expired or abandoned: the saga releases the seats and cancels."""


class PerformanceCancelled(Exception):
    """Paid, but the performance was cancelled meanwhile: no seats, no tickets; the saga
    refunds in full and sends the cancellation mail."""


class PaidAfterAll(Exception):
    """Cancelling found the payment had landed in the last moment: the saga sells instead."""


def order_token(order_id: str, secret: bytes) -> str:
    """The order's access token, derived rather than stored: the saga can put it in the
    confirmation link without anyone keeping the token itself."""
    return hmac.new(secret, order_id.encode(), hashlib.sha256).hexdigest()[:40]


class PerformanceFinder(Protocol):
    def find_performance(self, performance_id: str) -> PerformanceDetail | None: ...


class Inventory(Protocol):
    """Seats and holds (chalicelib/inventory/service.py): what the checkout and the desk do
    with a hold once it is taken."""

    @property
    def catalogue(self) -> PerformanceFinder: ...
    @property
    def clock(self) -> Clock: ...

    def get_hold(self, hold_id: str, token: str | None) -> tuple[Hold, SeatMap]: ...
    def context(self, performance_id: str) -> tuple[PerformanceDetail, SeatMap]: ...
    def seat_map_of(self, hall: Hall) -> SeatMap | None: ...
    def extend(self, hold_id: str, token: str | None) -> Hold: ...
    def sell(self, hold_id: str) -> Hold: ...
    def abandon(self, hold_id: str) -> None: ...
    def give_back(self, hold_id: str, places: Sequence[str], key: str) -> None: ...
    def staff_grant(self, detail: PerformanceDetail) -> HoldGrant: ...
    def take(self, grant: HoldGrant, request: HoldCommand) -> tuple[Hold, str, SeatMap]: ...


class Workflow(Protocol):
    def start(self, order_id: str, payload: dict[str, Any]) -> None: ...
    def send_success(self, task_token: str, output: dict[str, Any]) -> None: ...
    def send_failure(self, task_token: str, error: str, cause: str) -> None: ...


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str, html: str) -> None: ...


class TicketFiles(Protocol):
    def put_pdf(self, order_id: str, pdf: bytes) -> None: ...
    def pdf_url(self, order_id: str) -> str: ...


class TicketIssuer(Protocol):
    def issue(self, order: Order, detail: PerformanceDetail) -> list[StoredTicket]: ...
    def pdf(
        self, order: Order, detail: PerformanceDetail, tickets: list[StoredTicket]
    ) -> bytes: ...


class ConfirmationWriter(Protocol):
    def confirmation(
        self, order: Order, detail: PerformanceDetail, link: str
    ) -> tuple[str, str, str]: ...
    def apology(self, order: Order, detail: PerformanceDetail) -> tuple[str, str, str]: ...
    def cancellation(
        self, order: Order, detail: PerformanceDetail, refunded_cents: int
    ) -> tuple[str, str, str]: ...


@dataclass(frozen=True)
class OrderView:
    order: Order
    tickets: list[StoredTicket]
    pdf_url: str | None


class CheckoutService:
    def __init__(
        self,
        orders: OrderStore,
        inventory: Inventory,
        payments: PaymentGateway,
        workflow: Workflow,
        clock: Clock,
        public_url: str,
        token_secret: bytes,
    ) -> None:
        self.token_secret = token_secret
        self.orders = orders
        self.inventory = inventory
        self.payments = payments
        self.workflow = workflow
        self.clock = clock
        self.public_url = public_url.rstrip("/")

    # --- the buyer ------------------------------------------------------------------------

    def place(self, request: OrderCommand) -> tuple[Order, str]:
        """An order on the caller's own hold. Placing it again (a retried request) answers the
        order already placed: the hold is the request's natural idempotency key."""
        hold, seat_map = self.inventory.get_hold(request.hold_id, request.hold_token)
        placed = self.orders.order_of_hold(hold.id)
        if placed:
            order = self._order(placed)
            return order, order_token(order.id, self.token_secret)
        now = self.clock.now()
        if hold.state_at(now) is not HoldState.ACTIVE:
            raise hold_expired()
        self.refuse_cancelled(hold.house, hold.performance)
        detail, _ = self.inventory.context(hold.performance)
        lines = price_lines(
            request.places,
            request.customer.language,
            hold,
            seat_map,
            detail.performance,
            detail.hall.price_zones,
            detail.house.service_fee_cents,
        )
        extended = self.inventory.extend(hold.id, request.hold_token)
        order_id = new_id("o")
        token = order_token(order_id, self.token_secret)
        order = Order(
            id=order_id,
            house=detail.performance.house,
            performance=detail.performance.id,
            hold=hold.id,
            lines=lines,
            customer=request.buyer(),
            consents=request.opt_ins(),
            status=OrderStatus.AWAITING_PAYMENT,
            created_at=now,
            pay_before=extended.held_until,
            token_digest=digest(token),
        )
        try:
            self.orders.create(order)
        except HoldAlreadyOrdered as error:
            raise hold_ordered() from error
        # The saga creates the payment too; both calls carry the same idempotency key, so
        # Stripe makes one session, and the buyer gets its address right away.
        self.workflow.start(order.id, {"order_id": order.id})
        self.ensure_payment(order.id)
        return self.orders.get(order.id) or order, token

    def view(self, order_id: str, token: str | None, files: TicketFiles) -> OrderView:
        order = is_id_of("o", order_id) and self.orders.get(order_id)
        if not order or not matches(token, order.token_digest):
            raise not_found("order", order_id)
        tickets = self.orders.tickets(order.id) if order.tickets else []
        pdf = files.pdf_url(order.id) if order.status is OrderStatus.COMPLETED else None
        return OrderView(order, tickets, pdf)

    # --- Stripe's news --------------------------------------------------------------------

    def payment_news(self, session_id: str) -> str:
        """A webhook said something happened to a session: look it up ourselves (the event is
        only a trigger) and, if it decides the payment, resume the waiting saga."""
        session = self.payments.get_checkout(session_id)
        order = session.order_id and self.orders.get(session.order_id)
        if not order:
            return "unknown order"
        return self._resume(order, session)

    def refund_news(self, payment_intent: str) -> str:
        """A refund happened at Stripe. Ours are already recorded; one made elsewhere (the
        Stripe dashboard) is recorded now, and a full one puts the seats back on sale."""
        order_id, refunded = self.payments.refunded(payment_intent)
        order = order_id and self.orders.get(order_id)
        if not order:
            return "already known"
        # Orders an exchange made from this one share its payment: their refunds are in
        # Stripe's total too, and already recorded on them.
        known = self._refunds_on_payment(order)
        if refunded <= known:
            return "already known"
        refunded = order.refunded_cents + refunded - known
        if refunded - order.refunded_cents < order.held_cents:
            self.orders.update(order.id, refunded_cents=refunded)
            return "partly refunded"
        self.orders.void_tickets(order.id, self.clock.now(), "refunded")  # the door refuses them
        allowed = {OrderStatus.PAID, OrderStatus.COMPLETED}
        if self.orders.move(order.id, OrderStatus.REFUNDED, allowed, refunded_cents=refunded):
            self.inventory.abandon(order.hold)
        return "refunded"

    def _resume(self, order: Order, session: CheckoutSession) -> str:
        token = self.orders.task_token(order.id)
        if token is None:
            return "saga not waiting yet"  # await_payment asks Stripe itself when it starts
        if session.paid:
            self.workflow.send_success(token, {"payment_intent": session.payment_intent})
            return "paid"
        if session.status == "expired" or session.payment_failed:
            cause = "checkout session expired" if session.status == "expired" else "payment failed"
            self.workflow.send_failure(token, "PaymentFailed", cause)
            return "failed"
        return "pending"

    # --- the saga's steps -----------------------------------------------------------------

    def ensure_payment(self, order_id: str) -> StepResult:
        order = self._order(order_id)
        detail, _ = self.inventory.context(order.performance)
        session = self.payments.create_checkout(self._checkout_request(order, detail))
        if order.payment_session != session.id:
            self.orders.update(order.id, payment_session=session.id, payment_url=session.url)
        seconds = (order.pay_before + PAYMENT_GRACE - self.clock.now()).total_seconds()
        return {"waiting_seconds": max(1, int(seconds))}

    def await_payment(self, order_id: str, task_token: str) -> StepResult:
        """Store the token the saga waits on, then ask Stripe once: news that came before
        the saga was waiting would otherwise be lost."""
        order = self._order(order_id)
        self.orders.update(order.id, task_token=task_token)
        if order.payment_session:
            self._resume(order, self.payments.get_checkout(order.payment_session))
        return {"waiting": True}

    def record_payment(self, order_id: str, payment_intent: str | None) -> StepResult:
        self.orders.move(
            order_id,
            OrderStatus.PAID,
            {OrderStatus.AWAITING_PAYMENT},
            payment_intent=payment_intent,
        )
        return {"status": "paid"}

    def payment_timed_out(self, order_id: str) -> StepResult:
        """The wait ran out without news: ask Stripe, and stop the session taking money."""
        order = self._order(order_id)
        session = self.payments.expire_checkout(order.payment_session or "")
        if session.paid:
            self.record_payment(order_id, session.payment_intent)
            return {"paid": True}
        raise PaymentFailed("no payment before the deadline")

    def confirm_seats(self, order_id: str) -> StepResult:
        """Record the payment (asking Stripe for it, so that the step needs nothing from the
        saga's state) and sell the seats, unless the performance was cancelled meanwhile."""
        order = self._order(order_id)
        if order.status is OrderStatus.AWAITING_PAYMENT:
            session = self.payments.get_checkout(order.payment_session or "")
            if not session.paid:
                raise PaymentFailed("confirming seats of an order that is not paid")
            self.record_payment(order.id, session.payment_intent)
        if self.orders.performance_cancelled(order.house, order.performance):
            raise PerformanceCancelled(order.performance)
        try:
            self.inventory.sell(order.hold)
        except Problem as problem:
            if problem.status == 409:
                raise SeatsLost(", ".join(problem.extra.get("unavailable", []))) from problem
            raise
        return {"seats": "sold"}

    def issue_tickets(self, order_id: str, issuer: TicketIssuer, files: TicketFiles) -> StepResult:
        order = self._order(order_id)
        detail, _ = self.inventory.context(order.performance)
        tickets = issuer.issue(order, detail)
        self.orders.save_tickets(tickets)
        files.put_pdf(order.id, issuer.pdf(order, detail, tickets))
        self.orders.update(order.id, tickets=[t.id for t in tickets])
        return {"tickets": len(tickets)}

    def send_confirmation(
        self, order_id: str, mailer: Mailer, writer: ConfirmationWriter
    ) -> StepResult:
        order = self._order(order_id)
        if order.status is OrderStatus.PAID and not order.mailed:
            if self.orders.performance_cancelled(order.house, order.performance):
                raise PerformanceCancelled(order.performance)  # no confirmation: a refund
            detail, _ = self.inventory.context(order.performance)
            link = self.link(order.id, order.customer.language)
            subject, text, html = writer.confirmation(order, detail, link)
            mailer.send(order.customer.email, subject, text, html)
            self.orders.update(order.id, mailed=True)
        if self.orders.complete(order) == "performance_cancelled":
            raise PerformanceCancelled(order.performance)  # cancelled since the mail: refund
        return {"status": "completed"}

    def cancel(self, order_id: str) -> StepResult:
        """No money taken: give the seats back, close the payment page, cancel."""
        order = self._order(order_id)
        if order.payment_session:
            session = self.payments.expire_checkout(order.payment_session)
            if session.paid:  # it was paid in the very last moment after all
                self.record_payment(order.id, session.payment_intent)
                raise PaidAfterAll(order.id)
        self.inventory.abandon(order.hold)
        self.orders.move(order.id, OrderStatus.CANCELLED, {OrderStatus.AWAITING_PAYMENT})
        return {"status": "cancelled"}

    def refund(
        self, order_id: str, reason: str, mailer: Mailer, writer: ConfirmationWriter
    ) -> StepResult:
        """Money taken but no tickets: give all of it back, and say sorry, or, when the
        performance was cancelled, say so (the mail every other buyer of it gets)."""
        order = self._order(order_id)
        if order.status is OrderStatus.REFUNDED:
            return {"status": "refunded"}
        intent = order.payment_intent or self._intent_of(order)
        if intent:
            self.payments.refund(intent, order.total_cents, f"{order.id}-{reason}")
        # Tickets issued before a later step kept failing: void, before the status says so.
        self.orders.void_tickets(order.id, self.clock.now(), "refunded")
        self.inventory.abandon(order.hold)
        moved = self.orders.move(
            order.id,
            OrderStatus.REFUNDED,
            {OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID},
            refunded_cents=order.total_cents if intent else 0,
        )
        if moved:
            detail, _ = self.inventory.context(order.performance)
            if self.orders.performance_cancelled(order.house, order.performance):
                refunded = order.total_cents if intent else 0
                subject, text, html = writer.cancellation(order, detail, refunded)
            else:
                subject, text, html = writer.apology(order, detail)
            mailer.send(order.customer.email, subject, text, html)
        return {"status": "refunded"}

    def refuse_cancelled(self, house: str, performance_id: str) -> None:
        """No new order on a cancelled performance, even on a hold taken before it was."""
        if self.orders.performance_cancelled(house, performance_id):
            raise not_on_sale(SalesState.CANCELLED)

    # --- the reconciler -------------------------------------------------------------------

    def stuck(self, older_than: timedelta) -> list[Order]:
        return list(self.orders.open_before(self.clock.now() - older_than))

    # --- internals ------------------------------------------------------------------------

    def _order(self, order_id: str) -> Order:
        order = self.orders.get(order_id)
        if order is None:
            raise not_found("order", order_id)
        return order

    def _refunds_on_payment(self, order: Order, depth: int = 0) -> int:
        """What this order and the orders exchanged from it (same payment) refunded on that
        payment: not what an exchange's new order paid back in hand for a difference that
        had been paid at the desk (see SalesService.cancel)."""
        total = order.refunded_cents
        if depth:
            total = min(total, max(0, order.total_cents - order.exchange_paid_cents))
        children = [e.order for e in order.exchanges]
        if order.exchanged_to and order.exchanged_to not in children:
            children.append(order.exchanged_to)
        for child_id in children if depth < 10 else ():
            child = self.orders.get(child_id)
            if child and child.payment_intent == order.payment_intent:
                total += self._refunds_on_payment(child, depth + 1)
        return total

    def _intent_of(self, order: Order) -> str | None:
        if not order.payment_session:
            return None
        return self.payments.get_checkout(order.payment_session).payment_intent

    def link(self, order_id: str, lang: str | None = None) -> str:
        """The order page with its access token: for the mail, and the way back from paying.
        With the buyer's language, so a French buyer comes back to a French page."""
        token = order_token(order_id, self.token_secret)
        language = f"&lang={lang}" if lang else ""
        return f"{self.public_url}/order.html?order={order_id}&token={token}{language}"

    def _checkout_request(self, order: Order, detail: PerformanceDetail) -> CheckoutRequest:
        lang = order.customer.language
        title = pick(detail.production.title, lang)
        # What the buyer reads on the payment page: the show's Brussels time and the count in
        # their own language, as the shop, the mail and the ticket say it.
        when = format_when(detail.performance.starts_at, lang)
        count = translate_plural(lang, "%(n)s ticket", "%(n)s tickets", len(order.lines))
        back = self.link(order.id, lang)
        return CheckoutRequest(
            order_id=order.id,
            description=f"{title} — {detail.house.name} — {when} — {count}",
            amount_cents=order.total_cents,
            email=order.customer.email,
            language=order.customer.language,
            expires_at=order.pay_before,
            success_url=back,
            cancel_url=back,
        )


def ticket_id(order_id: str, index: int) -> str:
    """Deterministic, so issuing twice (a retried step) makes the same tickets."""
    return "t-" + hashlib.sha256(f"{order_id}:{index}".encode()).hexdigest()[:31]
