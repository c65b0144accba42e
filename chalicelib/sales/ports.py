"""What sales management needs of the order store: the checkout's port (it sells through the
checkout's steps) and the staff's search, cancel and exchange writes. DynamoOrderStore fills
it structurally."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from chalicelib.orders.model import Exchange, Order, OrderStatus, StoredTicket
from chalicelib.orders.ports import OrderStore


class SalesOrders(OrderStore, Protocol):
    def house_orders(
        self,
        house: str,
        lower: str,
        upper: str,
        *,
        performance: str | None = None,
        text: str | None = None,
        status: str | None = None,
    ) -> Iterator[tuple[str, Order]]: ...
    def fix_cancel_refund(self, order_id: str, cents: int, total: int) -> tuple[int, int]: ...
    def record_exchange(
        self, order_id: str, moved: list[StoredTicket], exchange: Exchange, note: str
    ) -> bool: ...
    def close_cancelled(
        self,
        order_id: str,
        to: OrderStatus,
        refunded_cents: int,
        moment: datetime,
        by: str,
        reason: str,
        exchanged_to: str | None = None,
    ) -> bool: ...
