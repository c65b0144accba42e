"""The orders' DynamoDB adapter. Status changes are conditional on the status they leave, so
two deliveries of the same news cannot both act on it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError

from chalicelib.core.clock import to_utc_iso
from chalicelib.orders.model import Consents, Customer, Order, OrderLine, OrderStatus
from chalicelib.store import keys
from chalicelib.store.db import from_ms, ms, transact_write
from chalicelib.store.models import (
    OrderItem,
    OrderLineAttribute,
    OrderOfHoldItem,
    PodiumItem,
    TicketItem,
)

OPEN_ORDERS = "ORDERS#OPEN"  # sparse index of orders not yet final, by deadline: the reconciler's


class HoldAlreadyOrdered(Exception):
    pass


@dataclass(frozen=True)
class StoredTicket:
    id: str
    index: int
    order: str
    house: str
    performance: str
    place: str
    label: str
    tariff_name: str
    price_cents: int
    holder: str
    qr: str


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
        actions = [OrderItem.status.set(to.value)]
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
            )
            for item in items
        ]

    def open_before(self, moment: datetime) -> Iterator[Order]:
        """Orders not final whose payment deadline passed before `moment`."""
        for item in PodiumItem.gsi1.query(OPEN_ORDERS, PodiumItem.gsi1sk < to_utc_iso(moment)):
            if isinstance(item, OrderItem):
                yield _order(item)


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
    )
