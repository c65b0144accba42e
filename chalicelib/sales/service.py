"""Sales management's use cases. Every one takes the houses the caller may act for (from the
token) and reads only those houses' orders: an order of another house answers as an unknown
one. The desk reuses the checkout's own steps (pricing, ticket issue, confirmation mail)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from chalicelib.catalogue.model import PerformanceDetail, SalesState
from chalicelib.core.clock import Clock, to_utc_iso
from chalicelib.core.errors import FieldError, Problem, invalid, not_found
from chalicelib.core.i18n import pick
from chalicelib.core.ids import digest, new_id, new_secret
from chalicelib.core.paging import page_by_house
from chalicelib.inventory.model import Hold, HoldState
from chalicelib.inventory.problems import hold_expired, not_on_sale
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.service import HoldGrant
from chalicelib.orders.model import (
    Consents,
    Customer,
    Exchange,
    HoldAlreadyOrdered,
    Order,
    OrderStatus,
    StoredTicket,
    price_lines,
)
from chalicelib.orders.problems import hold_ordered
from chalicelib.orders.service import (
    CheckoutService,
    ConfirmationWriter,
    Inventory,
    Mailer,
    PerformanceCancelled,
    TicketFiles,
    TicketIssuer,
)
from chalicelib.payments.model import PaymentGateway
from chalicelib.sales.model import (
    COMP,
    PerformanceFacts,
    build_report,
    comp_tariff,
    exchanged_tickets,
)
from chalicelib.sales.ports import SalesOrders
from chalicelib.sales.problems import (
    exchange_other_production,
    order_not_completed,
    refund_exceeds_paid,
    ticket_not_exchangeable,
)
from chalicelib.sales.schemas import (
    DeskSaleCommand,
    ExchangeCommand,
    OrderCancelCommand,
    ReportQuery,
    SalesReportReply,
    SearchQuery,
)
from chalicelib.store.keys import is_valid_id

_LOWEST = "0"  # below every index key (an ISO instant)
_HIGHEST = "~"  # sorts after every index key


class OwnPerformances(Protocol):
    def own_performance(
        self, houses: Iterable[str], performance_id: str
    ) -> PerformanceDetail | None: ...


@dataclass(frozen=True)
class OrderDetail:
    order: Order
    tickets: list[StoredTicket]
    pdf_url: str | None


class SalesService:
    def __init__(
        self,
        checkout: CheckoutService,
        issuer: TicketIssuer,
        files: TicketFiles,
        mailer: Mailer,
        writer: ConfirmationWriter,
        performances: OwnPerformances,
        orders: SalesOrders,
    ) -> None:
        self.performances = performances
        self.checkout = checkout
        # The checkout's own store, seen through the wider port staff work needs.
        self.orders = orders
        self.inventory: Inventory = checkout.inventory
        self.payments: PaymentGateway = checkout.payments
        self.clock: Clock = checkout.clock
        self.issuer = issuer
        self.files = files
        self.mailer = mailer
        self.writer = writer

    # --- search and detail ----------------------------------------------------------------

    def search(self, houses: frozenset[str], query: SearchQuery) -> tuple[list[Order], str | None]:
        """A page of the caller's houses' orders, house by house, newest first."""
        if query.order_id is not None:
            order = self.orders.get(query.order_id)
            if order is not None and order.house in houses and _matches(order, query):
                return [order], None
            return [], None
        lower = _key(query.since) if query.since else _LOWEST
        upper = _key(query.until) + _HIGHEST if query.until else _HIGHEST

        def read(house: str, after: str | None) -> Iterator[tuple[str, Order]]:
            top = upper if after is None else min(upper, after)
            for key, order in self._house_orders(house, lower, top, query):
                if key != after:  # the last one shown (the range is inclusive)
                    yield key, order

        return page_by_house(houses, query.after, query.limit, read, "orders")

    def _house_orders(
        self, house: str, lower: str, upper: str, query: SearchQuery
    ) -> Iterator[tuple[str, Order]]:
        return self.orders.house_orders(
            house,
            lower,
            upper,
            performance=query.performance,
            text=query.text,
            status=query.status,
        )

    def detail(self, houses: frozenset[str], order_id: str) -> OrderDetail:
        order = self.find(houses, order_id)
        tickets = self.orders.tickets(order.id) if order.tickets else []
        pdf = self.files.pdf_url(order.id) if tickets and order.cancelled_at is None else None
        return OrderDetail(order, tickets, pdf)

    def find(self, houses: frozenset[str], order_id: str) -> Order:
        """The order, if it is one of the caller's houses'; else 404 as for an unknown id."""
        from chalicelib.core.ids import is_id_of

        order = is_id_of("o", order_id) and self.orders.get(order_id)
        if not order or order.house not in houses:
            raise not_found("order", order_id)
        return order

    # --- cancel and resend ----------------------------------------------------------------

    def cancel(
        self, houses: frozenset[str], order_id: str, request: OrderCancelCommand, staff: str
    ) -> Order:
        """Tickets void, seats back on sale, the refund through the payment port (or paid
        back at the desk), the buyer told. After a partial exchange only the tickets it kept
        and at most what it holds for them. Safe to retry: the refund is fixed by the first
        try and carries an idempotency key, so it is never made twice."""
        order = self.find(houses, order_id)
        if order.cancelled_at is not None:
            return order  # a retried cancel: done already
        ours = order.status is OrderStatus.REFUNDED and order.cancel_refund_cents is not None
        if order.status is not OrderStatus.COMPLETED and not ours:  # (ours: a webhook was first)
            raise order_not_completed(order.status.value)
        amount, refunded = order.cancel_refund_cents, order.cancel_refund_total
        if amount is None or refunded is None:  # else fixed by an earlier try of this cancel
            # Not the value of tickets that moved to another order: that went with them.
            refundable = max(0, order.held_cents)
            asked = refundable if request.full else int(request.amount_cents or 0)
            if asked > refundable:
                raise refund_exceeds_paid(asked, refundable)
            # From here on only writes: the first try fixes the amount, a retry reuses it.
            amount, refunded = self.orders.fix_cancel_refund(
                order.id, asked, order.refunded_cents + asked
            )
        # At the desk, and a difference an exchange had paid at the desk: paid back in hand.
        online = min(amount, max(0, order.total_cents - order.exchange_paid_cents))
        if online and order.channel == "web":
            intent = order.payment_intent or self.checkout._intent_of(order)
            if intent:
                self.payments.refund(intent, online, f"{order.id}-staff-cancel")
        now = self.clock.now()
        self.orders.void_tickets(order.id, now)
        self.inventory.abandon(order.hold)
        to = OrderStatus.REFUNDED if refunded else OrderStatus.CANCELLED
        closed = self.orders.close_cancelled(order.id, to, refunded, now, staff, request.reason)
        if closed and order.customer.email:
            detail, _ = self.inventory.context(order.performance)
            subject, text, html = self.writer.cancellation(order, detail, amount)
            self.mailer.send(order.customer.email, subject, text, html)
        return self.orders.get(order.id) or order

    def resend(self, houses: frozenset[str], order_id: str) -> Order:
        order = self.find(houses, order_id)
        if order.status is not OrderStatus.COMPLETED or order.cancelled_at is not None:
            raise order_not_completed(order.status.value)
        if not order.customer.email:
            raise invalid(
                FieldError("customer.email", "the order has no e-mail address", "an e-mail")
            )
        detail, _ = self.inventory.context(order.performance)
        link = self.checkout.link(order.id, order.customer.language)
        subject, text, html = self.writer.confirmation(order, detail, link)
        self.mailer.send(order.customer.email, subject, text, html)
        return order

    # --- the desk -------------------------------------------------------------------------

    def performance(self, houses: frozenset[str], performance_id: str) -> PerformanceDetail:
        """A performance of the caller's houses, drafts included; else 404 as an unknown one."""
        detail = is_valid_id(performance_id) and self.performances.own_performance(
            houses, performance_id
        )
        if not detail:
            raise not_found("performance", performance_id)
        return detail

    def desk_grant(self, houses: frozenset[str], performance_id: str) -> HoldGrant:
        """What the box office may hold on a performance of the caller's houses, under staff
        rules (see InventoryService.staff_grant): another house's performance is a 404 and a
        performance that cannot be held a 422, both before any request is read."""
        return self.inventory.staff_grant(self.performance(houses, performance_id))

    def hold(self, grant: HoldGrant, request: HoldCommand) -> tuple[Hold, str, SeatMap]:
        """Seats held for the desk or an exchange, as `grant` allows."""
        return self.inventory.take(grant, request)

    def sell_at_desk(self, houses: frozenset[str], sale: DeskSaleCommand, staff: str) -> Order:
        """Held seats sold at the box office: paid in cash or on the card terminal (or comps,
        free with a reason), no Stripe, tickets issued at once by the saga's own step."""
        hold, seat_map = self.inventory.get_hold(sale.hold_id, sale.hold_token)
        if hold.house not in houses:
            raise not_found("hold", sale.hold_id)
        placed = self.orders.order_of_hold(hold.id)
        if placed:
            order = self.orders.get(placed)
            if order and order.channel == "box_office":
                return order  # a retried sale: the hold is its idempotency key
            raise hold_ordered()
        now = self.clock.now()
        if hold.state_at(now) is not HoldState.ACTIVE:
            raise hold_expired()
        self.checkout.refuse_cancelled(hold.house, hold.performance)
        detail, _ = self.inventory.context(hold.performance)
        zones = detail.hall.price_zones
        performance = replace(
            detail.performance,
            tariffs=(*(t for t in detail.performance.tariffs if t.id != COMP), comp_tariff(zones)),
        )
        # No service fee at the desk: that is the webshop's.
        lines = tuple(
            replace(line, fee_cents=0)
            for line in price_lines(
                sale.places, sale.customer.language, hold, seat_map, performance, zones, 0
            )
        )
        total = sum(line.total_cents for line in lines)
        if total > 0 and sale.payment is None:
            raise invalid(FieldError("payment", "missing", "cash or card_terminal", "body"))
        if total == 0 and sale.payment is not None:
            raise invalid(FieldError("payment", "nothing to pay", "no payment", "body"))
        buyer = sale.customer
        # No e-mail at the desk is an empty one: the order has no address to mail to.
        customer = Customer(buyer.name, buyer.email or "", buyer.language, buyer.phone)
        order = Order(
            id=new_id("o"),
            house=hold.house,
            performance=hold.performance,
            hold=hold.id,
            lines=lines,
            customer=customer,
            consents=Consents(),
            status=OrderStatus.PAID,
            created_at=now,
            pay_before=now,
            token_digest=digest(new_secret()),  # the buyer's link is derived, not this
            channel="box_office",
            payment_method=sale.payment or COMP,
            sold_by=staff,
            comp_reason=sale.reason if sale.comps else None,
        )
        try:
            self.orders.create(order)
        except HoldAlreadyOrdered as error:
            raise hold_ordered() from error
        try:
            self.inventory.sell(hold.id)
        except Problem:
            self.orders.move(order.id, OrderStatus.CANCELLED, {OrderStatus.PAID})
            raise
        self.checkout.issue_tickets(order.id, self.issuer, self.files)
        self._complete(order, sale.delivery == "email", staff)
        return self.orders.get(order.id) or order

    # --- exchange -------------------------------------------------------------------------

    def exchange(
        self, houses: frozenset[str], order_id: str, request: ExchangeCommand, staff: str
    ) -> Order:
        """Some (by default all) of an order's tickets to another performance of the same
        production: a new order on the staff member's hold takes them (same buyer, channel and
        payment), the moved tickets are void and only their seats back on sale; the order
        keeps its other tickets (a whole order exchanged is closed, naming its replacement).
        A higher price is paid at the desk; a lower one is refunded (through Stripe for a
        webshop order, once, by the new order's key). Safe to retry: the new hold is the
        exchange's idempotency key, and a retry finishes what a crash left undone."""
        old = self.find(houses, order_id)
        hold, seat_map = self.inventory.get_hold(request.hold_id, request.hold_token)
        if hold.house not in houses:
            raise not_found("hold", request.hold_id)
        placed = self.orders.order_of_hold(hold.id)
        new = self.orders.get(placed) if placed else None
        if placed and (new is None or new.exchanged_from != old.id):
            raise hold_ordered()
        if new is None:
            if old.exchanged_to is not None:  # a whole exchange retried with another hold
                return self.orders.get(old.exchanged_to) or old
            new = self._replacement(old, request, hold, seat_map, staff)
        elif new.status is OrderStatus.CANCELLED:
            raise hold_ordered()  # an earlier try lost the new seats: hold others
        else:
            self.inventory.sell(hold.id)  # a retry: done already, or finished now
        return self._move_tickets(old, new, request.reason, staff)

    def _replacement(
        self, old: Order, request: ExchangeCommand, hold: Hold, seat_map: SeatMap, staff: str
    ) -> Order:
        """Checks, then the new order (paid) with its seats sold; nothing written on bad input."""
        if old.status is not OrderStatus.COMPLETED or old.cancelled_at is not None:
            raise order_not_completed(old.status.value)
        if hold.state_at(self.clock.now()) is not HoldState.ACTIVE:
            raise hold_expired()
        self.checkout.refuse_cancelled(hold.house, hold.performance)
        target, _ = self.inventory.context(hold.performance)
        source, _ = self.inventory.context(old.performance)
        if (
            hold.performance == old.performance
            or target.performance.production != source.performance.production
        ):
            raise exchange_other_production()
        moving = exchanged_tickets(self.orders.tickets(old.id), request.chosen)
        if len(request.lines) != len(moving):
            raise invalid(
                FieldError(
                    "lines",
                    f"{len(request.lines)} lines",
                    f"{len(moving)}, one a ticket that moves",
                    "body",
                )
            )
        zones = target.hall.price_zones
        lang = old.customer.language
        priced = price_lines(request.places, lang, hold, seat_map, target.performance, zones, 0)
        before = [old.lines[ticket.index] for ticket in moving]
        # The fees were paid with the first order: they travel with the tickets.
        lines = tuple(
            replace(line, fee_cents=was.fee_cents) for line, was in zip(priced, before, strict=True)
        )
        difference = sum(line.total_cents for line in lines) - sum(
            was.total_cents for was in before
        )
        if difference > 0 and request.payment is None:
            raise invalid(FieldError("payment", "missing", "cash or card_terminal", "body"))
        if difference <= 0 and request.payment is not None:
            raise invalid(FieldError("payment", "nothing to pay", "no payment", "body"))
        new = replace(
            old,
            id=new_id("o"),
            performance=hold.performance,
            hold=hold.id,
            lines=lines,
            status=OrderStatus.PAID,
            created_at=self.clock.now(),
            pay_before=self.clock.now(),
            tickets=(),
            refunded_cents=0,
            mailed=False,
            payment_method=(
                f"{old.payment_method or 'stripe'}+{request.payment}"
                if request.payment
                else old.payment_method
            ),
            sold_by=staff,
            cancelled_at=None,
            cancelled_by=None,
            cancel_reason=None,
            cancel_refund_cents=None,
            cancel_refund_total=None,
            exchanged_from=old.id,
            exchanged_to=None,
            history=(),
            exchanges=(),
            replaces=tuple(ticket.id for ticket in moving),
            exchange_paid_cents=max(0, difference),
        )
        try:
            self.orders.create(new)
        except HoldAlreadyOrdered as error:
            raise hold_ordered() from error
        try:
            self.inventory.sell(hold.id)
        except Problem:
            self.orders.move(new.id, OrderStatus.CANCELLED, {OrderStatus.PAID})
            raise
        return new

    def _move_tickets(self, old: Order, new: Order, reason: str | None, staff: str) -> Order:
        """The steps after the new order is paid, each safe to repeat: the old order records
        the move (claiming its tickets, once), the new tickets are issued, the moved ones void
        and their seats back on sale, the difference refunded, the new order completed."""
        tickets = self.orders.tickets(old.id)
        by_id = {ticket.id: ticket for ticket in tickets}
        moved = [by_id[t] for t in new.replaces] if new.replaces else tickets  # older: all
        before = [old.lines[ticket.index] for ticket in moved]
        moved_cents = sum(line.total_cents for line in before)
        back = max(0, moved_cents - new.total_cents)
        now = self.clock.now()
        note = f"{len(moved)} tickets exchanged to {new.id}" + (f": {reason}" if reason else "")
        ids = tuple(ticket.id for ticket in moved)
        record = Exchange(new.id, ids, moved_cents, back, now, staff)
        recorded = any(e.order == new.id for e in old.exchanges) or old.exchanged_to == new.id
        for _ in range(3):  # a concurrent write to the order (another exchange): try again
            if recorded or self.orders.record_exchange(old.id, moved, record, note):
                recorded = True
                break
            latest = self.orders.get(old.id) or old
            claims = {t.id: t for t in self.orders.tickets(old.id)}
            recorded = all(claims[t].exchanged_to == new.id for t in ids)  # an earlier try
            lost = any(claims[t].voided or claims[t].exchanged_to for t in ids)
            closed = latest.cancelled_at or latest.status is not OrderStatus.COMPLETED
            if recorded or lost or closed:
                break
        if not recorded:
            # Moved or voided meanwhile (another exchange, a cancel): undo the new order.
            self.orders.move(new.id, OrderStatus.CANCELLED, {OrderStatus.PAID})
            self.inventory.abandon(new.hold)
            raise ticket_not_exchangeable(["tickets"], list(ids))
        self.checkout.issue_tickets(new.id, self.issuer, self.files)
        self.orders.void_tickets(old.id, now, "exchanged", only=ids)
        self.inventory.give_back(old.hold, [line.place for line in before], new.id)
        if back and old.channel == "web":  # at the desk: paid back in hand
            intent = old.payment_intent or self.checkout._intent_of(old)
            if intent:
                self.payments.refund(intent, back, f"{new.id}-exchange")
        current = self.orders.get(old.id) or old
        if current.cancelled_at is None and len(current.moved_tickets) == len(tickets):
            # Every ticket moved: the old order is closed and names its replacement.
            self.orders.close_cancelled(
                old.id,
                OrderStatus.CANCELLED,
                current.refunded_cents,
                now,
                staff,
                note,
                exchanged_to=new.id,
            )
        self._complete(new, bool(new.customer.email), staff)
        return self.orders.get(new.id) or new

    def _complete(self, order: Order, mail: bool, staff: str) -> None:
        """The last step of a desk sale or an exchange, as the saga's: mailed (or handed over)
        and completed only while the performance is not cancelled. A cancellation that came in
        the moment since the sale was checked undoes it, refunded as every other buyer's (paid
        back at the desk, the Stripe part through Stripe), and the desk is told (422) instead
        of handing over tickets for a show that will not play."""
        try:
            if mail:
                self.checkout.send_confirmation(order.id, self.mailer, self.writer)
            else:
                self.orders.update(order.id, mailed=True)  # handed over: nothing to mail
                if self.orders.complete(order) == "performance_cancelled":
                    raise PerformanceCancelled(order.performance)
        except PerformanceCancelled as cancelled:
            self.orders.move(order.id, OrderStatus.COMPLETED, {OrderStatus.PAID})
            refund = OrderCancelCommand.full_refund("performance cancelled")
            self.cancel(frozenset({order.house}), order.id, refund, staff)
            raise not_on_sale(SalesState.CANCELLED) from cancelled

    # --- reports --------------------------------------------------------------------------

    def report(self, houses: frozenset[str], query: ReportQuery) -> SalesReportReply:
        targets = sorted(houses)
        if query.performance is not None:
            detail = self.inventory.catalogue.find_performance(query.performance)
            if detail is None or detail.performance.house not in houses:
                raise not_found("performance", query.performance)
            targets = [detail.performance.house]
        lower = _key(query.since) if query.since else _LOWEST
        upper = _key(query.until) + _HIGHEST if query.until else _HIGHEST
        orders = [
            order
            for house in targets
            for _, order in self.orders.house_orders(
                house, lower, upper, performance=query.performance
            )
        ]
        facts: dict[str, PerformanceFacts] = {}
        for performance_id in {o.performance for o in orders}:
            found = self.inventory.catalogue.find_performance(performance_id)
            if found is None:
                continue
            seat_map = self.inventory.seat_map_of(found.hall)
            capacity = seat_map.capacity if seat_map else found.hall.capacity
            facts[performance_id] = PerformanceFacts(
                performance_id,
                pick(found.production.title, "nl"),
                found.performance.starts_at,
                capacity,
            )
        report = build_report(orders, facts)
        return SalesReportReply.model_validate(
            {
                "generated_at": self.clock.now(),
                "houses": targets,
                "from": query.since,
                "to": query.until,
                **report,
            }
        )


def _key(moment: datetime) -> str:
    return to_utc_iso(moment.astimezone(UTC))


def _matches(order: Order, query: SearchQuery) -> bool:
    if query.performance and order.performance != query.performance:
        return False
    if query.status and order.status.value != query.status:
        return False
    created = order.created_at
    return not (query.since and created < query.since) and not (
        query.until and created > query.until
    )
