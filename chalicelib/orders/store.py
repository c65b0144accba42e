"""The orders' DynamoDB adapter. Status changes are conditional on the status they leave, so
two deliveries of the same news cannot both act on it."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition

from chalicelib.catalogue.model import PerformanceStatus
from chalicelib.core.clock import to_utc_iso
from chalicelib.orders.model import (
    Consents,
    Customer,
    Exchange,
    HoldAlreadyOrdered,
    Order,
    OrderLine,
    OrderStatus,
    StatusChange,
    StoredTicket,
)
from chalicelib.store import keys
from chalicelib.store.db import from_ms, ms, transact_write
from chalicelib.store.models import (
    ExchangeAttribute,
    OrderItem,
    OrderLineAttribute,
    OrderOfHoldItem,
    PerformanceItem,
    PodiumItem,
    StatusChangeAttribute,
    TicketItem,
)

OPEN_ORDERS = "ORDERS#OPEN"  # sparse index of orders not yet final, by deadline: the reconciler's


class DynamoOrderStore:
    def create(self, order: Order) -> None:
        """The order and a marker that its hold is taken, in one transaction."""
        item = _item(order)
        marker = OrderOfHoldItem(
            pk=keys.hold_pk(order.hold), sk=keys.ORDER_OF_HOLD_SK, order=order.id, house=order.house
        )
        try:
            with transact_write() as tx:
                tx.save(item, condition=OrderItem.pk.does_not_exist())
                tx.save(marker, condition=OrderOfHoldItem.pk.does_not_exist())
        except TransactWriteError as error:
            raise HoldAlreadyOrdered(order.hold) from error

    def order_of_hold(self, hold_id: str) -> str | None:
        try:
            marker = OrderOfHoldItem.get(
                keys.hold_pk(hold_id), keys.ORDER_OF_HOLD_SK, consistent_read=True
            )
        except OrderOfHoldItem.DoesNotExist:
            return None
        return marker.order

    def get(self, order_id: str) -> Order | None:
        try:
            item = OrderItem.get(keys.order_pk(order_id), keys.ORDER_SK, consistent_read=True)
        except OrderItem.DoesNotExist:
            return None
        return _order(item)

    def performance_cancelled(self, house: str, performance_id: str) -> bool:
        """Read from the performance item itself, consistently: the catalogue's reads go
        through an eventually consistent index and a few seconds' cache, and a checkout that
        is about to issue tickets must see a cancellation made a moment ago."""
        try:
            item = PerformanceItem.get(
                keys.house_pk(house), keys.performance_sk(performance_id), consistent_read=True
            )
        except PerformanceItem.DoesNotExist:
            return False
        return str(item.status) == PerformanceStatus.CANCELLED.value

    def task_token(self, order_id: str) -> str | None:
        try:
            item = OrderItem.get(keys.order_pk(order_id), keys.ORDER_SK, consistent_read=True)
        except OrderItem.DoesNotExist:
            return None
        return item.task_token

    def update(self, order_id: str, **changes: Any) -> None:
        """Set plain fields (payment session, task token, intent, mailed)."""
        item = OrderItem(pk=keys.order_pk(order_id), sk=keys.ORDER_SK)
        actions = [getattr(OrderItem, name).set(value) for name, value in changes.items()]
        item.update(actions=actions, condition=OrderItem.pk.exists())

    def move(
        self, order_id: str, to: OrderStatus, allowed_from: Iterable[OrderStatus], **changes: Any
    ) -> bool:
        """Change status only from one of `allowed_from`; False if the order was elsewhere."""
        item = OrderItem(pk=keys.order_pk(order_id), sk=keys.ORDER_SK)
        actions = [OrderItem.status.set(to.value), _history_append(to.value)]
        actions += [getattr(OrderItem, name).set(value) for name, value in changes.items()]
        if to.final:  # leaves the reconciler's index
            actions += [OrderItem.gsi1pk.remove(), OrderItem.gsi1sk.remove()]
        try:
            item.update(
                actions=actions,
                condition=OrderItem.status.is_in(*(status.value for status in allowed_from)),
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def complete(self, order: Order) -> str:
        """Paid → completed, in one transaction with a check that the performance is not
        cancelled: a cancellation either comes first (the order is not completed: the saga
        refunds it) or after (its listing finds the order completed and refunds it). Returns
        "completed", "not_paid" (it was elsewhere already) or "performance_cancelled"."""
        item = OrderItem(pk=keys.order_pk(order.id), sk=keys.ORDER_SK)
        done = OrderStatus.COMPLETED.value
        actions = [OrderItem.status.set(done), _history_append(done)]
        actions += [OrderItem.gsi1pk.remove(), OrderItem.gsi1sk.remove()]  # final now
        cancelled = PerformanceStatus.CANCELLED.value
        try:
            with transact_write() as tx:
                tx.update(
                    item, actions=actions, condition=OrderItem.status == OrderStatus.PAID.value
                )
                tx.condition_check(
                    PerformanceItem,
                    keys.house_pk(order.house),
                    keys.performance_sk(order.performance),
                    condition=PerformanceItem.status.does_not_exist()
                    | (PerformanceItem.status != cancelled),
                )
        except TransactWriteError as error:
            # pynamodb sends condition checks before updates: [performance, order].
            reasons = [r.code if r else None for r in error.cancellation_reasons]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                return "performance_cancelled"
            if reasons[1:2] == ["ConditionalCheckFailed"]:
                return "not_paid"
            raise
        return "completed"

    def save_tickets(self, tickets: list[StoredTicket]) -> None:
        with PodiumItem.batch_write() as batch:
            for ticket in tickets:
                batch.save(
                    TicketItem(
                        pk=keys.order_pk(ticket.order),
                        sk=keys.ticket_sk(ticket.index),
                        id=ticket.id,
                        house=ticket.house,
                        performance=ticket.performance,
                        order=ticket.order,
                        place=ticket.place,
                        label=ticket.label,
                        tariff_name=ticket.tariff_name,
                        price_cents=ticket.price_cents,
                        holder=ticket.holder,
                        qr=ticket.qr,
                    )
                )

    def tickets(self, order_id: str) -> list[StoredTicket]:
        items = TicketItem.query(
            keys.order_pk(order_id), TicketItem.sk.startswith("TICKET#"), consistent_read=True
        )
        return [
            StoredTicket(
                id=item.id,
                index=int(item.sk.split("#")[1]),
                order=item.order,
                house=item.house,
                performance=item.performance,
                place=item.place,
                label=item.label,
                tariff_name=item.tariff_name,
                price_cents=int(item.price_cents),
                holder=item.holder,
                qr=item.qr,
                voided=item.voided_at is not None,
                exchanged_to=item.exchanged_to,
            )
            for item in items
        ]

    def open_before(self, moment: datetime) -> Iterator[Order]:
        """Orders not final whose payment deadline passed before `moment`."""
        for item in PodiumItem.gsi1.query(OPEN_ORDERS, PodiumItem.gsi1sk < to_utc_iso(moment)):
            if isinstance(item, OrderItem):
                yield _order(item)

    # --- staff: search, cancel -------------------------------------------------------------

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
        """One house's orders, newest first, whose index key lies in [lower, upper]: the key
        names the house, so no other house's order can come back. Narrowing filters apply
        within that partition only. Yields (index sort key, order)."""
        condition: Condition | None = None
        if performance is not None:
            condition = OrderItem.performance == performance
        if text is not None:
            contains = OrderItem.search.contains(fold(text))
            condition = contains if condition is None else condition & contains
        if status is not None:
            same = OrderItem.status == status
            condition = same if condition is None else condition & same
        for item in PodiumItem.gsi2.query(
            keys.house_orders(house),
            PodiumItem.gsi2sk.between(lower, upper),
            filter_condition=condition,
            scan_index_forward=False,
        ):
            if isinstance(item, OrderItem):
                yield str(item.gsi2sk), _order(item)

    def fix_cancel_refund(self, order_id: str, cents: int, total: int) -> tuple[int, int]:
        """The first staff cancel fixes how much it refunds, and the order's refunded total
        after it; a retry reads both back, so it refunds the same (once, by the payment's
        idempotency key) and records the same total, whatever a refund webhook wrote since."""
        item = OrderItem(pk=keys.order_pk(order_id), sk=keys.ORDER_SK)
        try:
            item.update(
                actions=[
                    OrderItem.cancel_refund_cents.set(cents),
                    OrderItem.cancel_refund_total.set(total),
                ],
                condition=OrderItem.cancel_refund_cents.does_not_exist(),
            )
            return cents, total
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
        fixed = OrderItem.get(keys.order_pk(order_id), keys.ORDER_SK, consistent_read=True)
        return int(fixed.cancel_refund_cents), int(fixed.cancel_refund_total)

    def void_tickets(
        self,
        order_id: str,
        moment: datetime,
        reason: str = "cancelled",
        only: Iterable[str] | None = None,
    ) -> None:
        """The order's tickets (or `only` those) are void, and revoked at the door: scanners
        refuse them and find them in the performance's revocation list. Safe to repeat (a
        retry after a crash between the two writes revokes what was voided)."""
        from chalicelib.scanning.store import revoke_tickets

        chosen = None if only is None else set(only)
        for item in TicketItem.query(
            keys.order_pk(order_id), TicketItem.sk.startswith("TICKET#"), consistent_read=True
        ):
            if chosen is not None and item.id not in chosen:
                continue
            if item.voided_at is None:
                item.update(actions=[TicketItem.voided_at.set(ms(moment))])
            revoke_tickets(item.house, item.performance, [item.id], reason, moment)

    def record_exchange(
        self, order_id: str, moved: list[StoredTicket], exchange: Exchange, note: str
    ) -> bool:
        """Some tickets of a completed order move to another order: in one transaction each
        is claimed for it (on condition that it is neither void nor claimed) and the order
        records the move and the refund it makes (on condition that it is still completed and
        not cancelled). False if anything stood in the way, an earlier try of this very
        exchange included (the caller reads the tickets to tell)."""
        record = ExchangeAttribute(
            order=exchange.order,
            tickets=list(exchange.tickets),
            moved_cents=exchange.moved_cents,
            refund_cents=exchange.refund_cents,
            at=ms(exchange.at),
            by=exchange.by,
        )
        status = OrderStatus.COMPLETED.value
        try:
            with transact_write() as tx:
                for ticket in moved:
                    tx.update(
                        TicketItem(pk=keys.order_pk(order_id), sk=keys.ticket_sk(ticket.index)),
                        [TicketItem.exchanged_to.set(exchange.order)],
                        condition=TicketItem.exchanged_to.does_not_exist()
                        & TicketItem.voided_at.does_not_exist()
                        & (TicketItem.id == ticket.id),
                    )
                tx.update(
                    OrderItem(pk=keys.order_pk(order_id), sk=keys.ORDER_SK),
                    [
                        OrderItem.exchanges.set((OrderItem.exchanges | []).append([record])),
                        OrderItem.refunded_cents.set(
                            (OrderItem.refunded_cents | 0) + exchange.refund_cents
                        ),
                        _history_append(status, exchange.by, note, exchange.at),
                    ],
                    condition=(OrderItem.status == status)
                    & OrderItem.cancelled_at.does_not_exist(),
                )
        except TransactWriteError:
            return False
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
        """The staff cancel's last write, once: False if an earlier try already made it. A
        refund webhook may have moved the order to refunded meanwhile: still ours to close."""
        item = OrderItem(pk=keys.order_pk(order_id), sk=keys.ORDER_SK)
        allowed = (OrderStatus.COMPLETED.value, OrderStatus.REFUNDED.value)
        try:
            item.update(
                actions=[
                    OrderItem.status.set(to.value),
                    OrderItem.refunded_cents.set(refunded_cents),
                    OrderItem.cancelled_at.set(ms(moment)),
                    OrderItem.cancelled_by.set(by),
                    OrderItem.cancel_reason.set(reason),
                    _history_append(to.value, by, reason, moment),
                    OrderItem.gsi1pk.remove(),
                    OrderItem.gsi1sk.remove(),
                    *([OrderItem.exchanged_to.set(exchanged_to)] if exchanged_to else []),
                ],
                condition=OrderItem.status.is_in(*allowed)
                & OrderItem.cancelled_at.does_not_exist(),
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True


def fold(text: str) -> str:
    """Lower case without accents: what staff search compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _history_append(
    status: str, by: str | None = None, note: str | None = None, moment: datetime | None = None
) -> Any:
    entry = StatusChangeAttribute(
        at=ms(moment or datetime.now(UTC)), status=status, by=by, note=note
    )
    return OrderItem.history.set((OrderItem.history | []).append([entry]))


def _item(order: Order) -> OrderItem:
    return OrderItem(
        pk=keys.order_pk(order.id),
        sk=keys.ORDER_SK,
        gsi1pk=OPEN_ORDERS,
        gsi1sk=f"{to_utc_iso(order.pay_before)}#{order.id}",
        gsi2pk=keys.house_orders(order.house),
        gsi2sk=f"{to_utc_iso(order.created_at)}#{order.id}",
        id=order.id,
        house=order.house,
        performance=order.performance,
        hold=order.hold,
        lines=[
            OrderLineAttribute(
                place=line.place,
                label=line.label,
                zone=line.zone,
                tariff=line.tariff,
                tariff_name=line.tariff_name,
                price_cents=line.price_cents,
                fee_cents=line.fee_cents,
            )
            for line in order.lines
        ],
        customer_name=order.customer.name,
        customer_email=order.customer.email,
        customer_phone=order.customer.phone,
        language=order.customer.language,
        newsletter_house=order.consents.newsletter_house,
        newsletter_cluster=order.consents.newsletter_cluster,
        status=order.status.value,
        created_at=ms(order.created_at),
        pay_before=ms(order.pay_before),
        token_digest=order.token_digest,
        payment_session=order.payment_session,
        payment_url=order.payment_url,
        payment_intent=order.payment_intent,
        tickets=list(order.tickets),
        refunded_cents=order.refunded_cents,
        search=fold(f"{order.customer.name} {order.customer.email}"),
        channel=None if order.channel == "web" else order.channel,
        payment_method=order.payment_method,
        sold_by=order.sold_by,
        comp_reason=order.comp_reason,
        exchanged_from=order.exchanged_from,
        replaces=list(order.replaces) or None,
        exchange_paid_cents=order.exchange_paid_cents or None,
        history=[
            StatusChangeAttribute(
                at=ms(order.created_at), status=order.status.value, by=order.sold_by
            )
        ],
    )


def _order(item: OrderItem) -> Order:
    return Order(
        id=item.id,
        house=item.house,
        performance=item.performance,
        hold=item.hold,
        lines=tuple(
            OrderLine(
                place=line.place,
                label=line.label,
                zone=line.zone,
                tariff=line.tariff,
                tariff_name=line.tariff_name,
                price_cents=int(line.price_cents),
                fee_cents=int(line.fee_cents),
            )
            for line in item.lines
        ),
        customer=Customer(
            name=item.customer_name,
            email=item.customer_email,
            language=item.language,
            phone=item.customer_phone,
        ),
        consents=Consents(
            newsletter_house=bool(item.newsletter_house),
            newsletter_cluster=bool(item.newsletter_cluster),
        ),
        status=OrderStatus(item.status),
        created_at=from_ms(item.created_at),
        pay_before=from_ms(item.pay_before),
        token_digest=item.token_digest,
        payment_session=item.payment_session,
        payment_url=item.payment_url,
        payment_intent=item.payment_intent,
        tickets=tuple(item.tickets or ()),
        refunded_cents=int(item.refunded_cents or 0),
        mailed=bool(item.mailed),
        channel=item.channel or "web",
        payment_method=item.payment_method,
        sold_by=item.sold_by,
        comp_reason=item.comp_reason,
        cancelled_at=from_ms(item.cancelled_at) if item.cancelled_at is not None else None,
        cancelled_by=item.cancelled_by,
        cancel_reason=item.cancel_reason,
        exchanged_from=item.exchanged_from,
        exchanged_to=item.exchanged_to,
        exchanges=tuple(
            Exchange(
                order=e.order,
                tickets=tuple(e.tickets),
                moved_cents=int(e.moved_cents),
                refund_cents=int(e.refund_cents),
                at=from_ms(e.at),
                by=e.by,
            )
            for e in item.exchanges or ()
        ),
        replaces=tuple(item.replaces or ()),
        exchange_paid_cents=int(item.exchange_paid_cents or 0),
        cancel_refund_cents=(
            int(item.cancel_refund_cents) if item.cancel_refund_cents is not None else None
        ),
        cancel_refund_total=(
            int(item.cancel_refund_total) if item.cancel_refund_total is not None else None
        ),
        history=tuple(
            StatusChange(at=from_ms(h.at), status=h.status, by=h.by, note=h.note)
            for h in item.history or ()
        ),
    )
