"""The problems a buyer meets in a waiting room and at the hold gate: each with its machine
code (the webshop reacts to the code, never to words); their words are in the catalogues."""

from __future__ import annotations

from chalicelib.core.errors import Problem
from chalicelib.core.i18n import lazy_text


def room_not_found(room_id: str) -> Problem:
    return Problem(
        "not-found",
        detail=lazy_text("No waiting room with id '%(id)s'", id=room_id),
        code="not_found",
    )


def ticket_not_found() -> Problem:
    """Also for a ticket of another room: a ticket says nothing outside its own room."""
    return Problem(
        "not-found",
        detail=lazy_text("No such ticket in this waiting room"),
        code="not_found",
    )


def room_closed() -> Problem:
    return Problem(
        "rule-broken",
        detail=lazy_text("This waiting room has closed; choose your seats directly."),
        code="waiting_room_closed",
    )


def not_admitted_yet(position: int | None) -> Problem:
    return Problem(
        "conflict",
        detail=lazy_text("It is not your turn yet; stay in the waiting room."),
        code="not_admitted_yet",
        extra={"position": position},
    )


def admission_lapsed() -> Problem:
    return Problem(
        "rule-broken",
        detail=lazy_text(
            "Your turn has passed: the place in the waiting room was not used in time."
        ),
        code="admission_lapsed",
    )


def admission_other_client() -> Problem:
    """One session per place: it belongs to the browser that joined (and claimed) it."""
    return Problem(
        "conflict",
        detail=lazy_text("This place in the waiting room belongs to another device or browser."),
        code="admission_other_client",
    )


def admission_required(room: str | None) -> Problem:
    return Problem(
        "unauthorized",
        detail=lazy_text("This sale goes through a waiting room first."),
        code="admission_required",
        extra={"waiting_room": room},  # where the webshop sends the buyer
    )


def admission_expired(room: str | None) -> Problem:
    return Problem(
        "unauthorized",
        detail=lazy_text("Your time to choose seats is over; go through the waiting room again."),
        code="admission_expired",
        extra={"waiting_room": room},  # where the webshop sends the buyer
    )


def admission_invalid(room: str | None) -> Problem:
    """Tampered with, of another room, or of another browser: it grants nothing here."""
    return Problem(
        "forbidden",
        detail=lazy_text("This admission is not valid for this performance or this device."),
        code="admission_invalid",
        extra={"waiting_room": room},  # where the webshop sends the buyer
    )
