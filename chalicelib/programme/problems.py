"""Programme management's problems, each with its machine code; their words are in the
catalogues."""

from __future__ import annotations

from chalicelib.core.errors import Problem
from chalicelib.core.i18n import Message, lazy_text


def production_has_performances(production: str, count: int) -> Problem:
    return Problem(
        "conflict",
        detail=lazy_text(
            "This production still has %(count)s performance(s); remove them first.",
            count=count,
        ),
        extra={"production": production, "performances": count},
        code="production_has_performances",
    )


def hall_in_use(hall: str, performances: list[str]) -> Problem:
    """A new seat map would move seats under buyers of a performance that is selling."""
    return Problem(
        "conflict",
        detail=lazy_text(
            "This hall has performances on sale: their seat map cannot change any more."
        ),
        extra={"hall": hall, "performances": performances},
        code="hall_in_use",
    )


def venue_has_halls(venue: str, halls: list[str]) -> Problem:
    return Problem(
        "conflict",
        detail=lazy_text("This venue still has halls; remove them first."),
        extra={"venue": venue, "halls": halls},
        code="venue_has_halls",
    )


_NOT_READY: dict[str, Message] = {
    "no_seat_map": lazy_text("This performance cannot go on sale: The hall has no seat map yet."),
    "sales_closed": lazy_text(
        "This performance cannot go on sale: The sales window has already closed."
    ),
}


def performance_not_ready(reason: str) -> Problem:
    return Problem(
        "rule-broken",
        detail=_NOT_READY[reason],
        extra={"reason": reason},
        code="performance_not_ready",
    )


def performance_cancelled() -> Problem:
    return Problem(
        "rule-broken",
        detail=lazy_text("This performance is cancelled and cannot change any more."),
        code="performance_cancelled",
    )
