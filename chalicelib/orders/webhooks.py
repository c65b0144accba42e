"""Stripe's webhook events, once checked and de-duplicated by the route: triggers for the
checkout, which fetches the object again before it decides anything."""

from __future__ import annotations

from typing import Any

from chalicelib.orders.service import CheckoutService

SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


def handle_stripe_event(checkout: CheckoutService, event: dict[str, Any]) -> str:
    """Events are triggers: the session is fetched again before anything is decided."""
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    if kind in SESSION_EVENTS:
        return checkout.payment_news(str(obj.get("id", "")))
    if kind == "charge.refunded" and obj.get("payment_intent"):
        return checkout.refund_news(str(obj["payment_intent"]))
    return "ignored"
