"""What the checkout needs to know about a payment, whoever takes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str | None
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    amount_total: int
    order_id: str | None
    payment_intent: str | None
    payment_failed: bool = False  # an asynchronous payment (Bancontact) that did not go through

    @property
    def paid(self) -> bool:
        return self.status == "complete" and self.payment_status == "paid"


@dataclass(frozen=True)
class CheckoutRequest:
    order_id: str
    description: str  # one line per ticket is noise on a phone: one line per order
    amount_cents: int
    email: str
    language: str
    expires_at: datetime
    success_url: str
    cancel_url: str


class PaymentGateway(Protocol):
    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession: ...
    def get_checkout(self, session_id: str) -> CheckoutSession: ...
    def expire_checkout(self, session_id: str) -> CheckoutSession: ...
    def refund(self, payment_intent: str, amount_cents: int, reason_key: str) -> str: ...
    def refunded(self, payment_intent: str) -> tuple[str | None, int]: ...
