"""Orders whose saga should long have finished but did not (a lost execution, a failure the
dead-letter queue caught, a bug): ask Stripe what happened and finish them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.bootstrap import container
from chalicelib.orders.model import OrderStatus
from chalicelib.orders.service import PaidAfterAll, PaymentFailed

# Well past the saga's own deadline (payment window + grace + retries): the saga had its turn.
STUCK_AFTER = timedelta(minutes=15)


def reconcile(limit: int = 100) -> dict[str, Any]:
    checkout = container().checkout()
    done: dict[str, str] = {}
    for order in checkout.stuck(STUCK_AFTER)[:limit]:
        done[order.id] = finish(order.id, order.status)
    return {"reconciled": done}


def finish(order_id: str, status: OrderStatus) -> str:
    """The same steps the saga runs, in its order: they are idempotent."""
    parts = container()
    checkout = parts.checkout()
    try:
        if status is OrderStatus.AWAITING_PAYMENT:
            try:
                checkout.payment_timed_out(order_id)  # paid after all? then it was recorded
            except PaymentFailed:
                checkout.cancel(order_id)
                return "cancelled"
        checkout.confirm_seats(order_id)
        checkout.issue_tickets(order_id, parts.issuer(), parts.ticket_files())
        checkout.send_confirmation(order_id, parts.mailer(), parts.mails())
        return "completed"
    except PaidAfterAll:
        return finish(order_id, OrderStatus.PAID)
    except Exception as error:  # any failure after payment: give the money back
        reason = f"reconciled-{type(error).__name__}"
        checkout.refund(order_id, reason, parts.mailer(), parts.mails())
        return "refunded"
