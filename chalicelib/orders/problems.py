"""The problems a buyer meets while ordering, each with its machine code; their words are in
the catalogues."""

from __future__ import annotations

from chalicelib.core.errors import Problem
from chalicelib.core.i18n import LocalizedText, lazy_plural, lazy_text


def hold_ordered() -> Problem:
    return Problem(
        "conflict",
        detail=lazy_text("An order has already been placed for this reservation."),
        code="hold_ordered",
    )


def max_per_order(tariff: str, name: LocalizedText, limit: int) -> Problem:
    """A tariff's own limit (a discount for at most 2 tickets an order): `name` is the
    tariff's name as staff typed it, shown in the buyer's language."""
    return Problem(
        "rule-broken",
        detail=lazy_plural(
            "You can buy at most %(n)s ticket at tariff '%(tariff)s' per order.",
            "You can buy at most %(n)s tickets at tariff '%(tariff)s' per order.",
            limit,
            tariff=name,
        ),
        code="max_per_order",
        extra={"limit": "max_per_order", "tariff": tariff, "max": limit},
    )
