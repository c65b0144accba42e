"""Sales management's problems, each with its machine code; their words are in the
catalogues."""

from __future__ import annotations

from chalicelib.core.errors import FieldError, Problem
from chalicelib.core.i18n import Amount, lazy_text


def order_not_completed(status: str) -> Problem:
    """Only an order whose tickets were issued can be cancelled or resent; one still being
    paid or issued is the checkout's to finish first."""
    return Problem(
        "rule-broken",
        detail=lazy_text(
            "This order is not completed (status %(status)s): that is not possible.",
            status=status,
        ),
        code="order_not_completed",
        extra={"order_status": status},
    )


def refund_exceeds_paid(asked: int, refundable: int) -> Problem:
    return Problem(
        "rule-broken",
        detail=lazy_text("You can refund at most %(amount)s.", amount=Amount(refundable)),
        code="refund_exceeds_paid",
        extra={"asked_cents": asked, "refundable_cents": refundable},
    )


def exchange_other_production() -> Problem:
    return Problem(
        "rule-broken",
        detail=lazy_text(
            "A ticket can only be exchanged for another performance of the same production."
        ),
        code="exchange_other_production",
    )


def ticket_not_exchangeable(fields: list[str], tickets: list[str]) -> Problem:
    """A ticket already void (cancelled, refunded) or moved by another exchange."""
    return Problem(
        "rule-broken",
        detail=lazy_text("This ticket is no longer valid or was exchanged already."),
        errors=[
            FieldError(name, "void or exchanged already", "a valid ticket of this order", "body")
            for name in fields
        ],
        code="ticket_not_exchangeable",
        extra={"tickets": tickets},
    )
