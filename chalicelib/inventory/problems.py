"""The problems a buyer meets while taking seats, in one place: each with its machine code
(the webshop reacts to the code, never to words). Their words are in the catalogues
(chalicelib/locale/), where Dutch, French and English are read and corrected side by side."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.catalogue.model import SalesState
from chalicelib.core.errors import Problem, Text
from chalicelib.core.i18n import Message, lazy_plural, lazy_text


def _conflict(code: str, seats: Iterable[str], detail: Text) -> Problem:
    # Every 409 names the seats concerned, also when there are none: clients read one shape.
    return Problem("conflict", detail=detail, code=code, extra={"unavailable": sorted(seats)})


def _rule(code: str, detail: Text, **extra: object) -> Problem:
    return Problem("rule-broken", detail=detail, code=code, extra=dict(extra))


def seats_taken(seats: Iterable[str]) -> Problem:
    return _conflict(
        "seats_taken",
        seats,
        lazy_text("Some seats were just taken by someone else; choose other seats."),
    )


def seats_gone(seats: Iterable[str], *, standing: bool) -> Problem:
    """Best available or standing room found too few places left for the quantity asked."""
    if standing:
        detail = lazy_text(
            "Not enough standing places are left for this request; try fewer places."
        )
    else:
        detail = lazy_text("Not enough seats are left for this request; try fewer seats.")
    return _conflict("seats_gone", seats, detail)


def seats_lost_before_sale(seats: Iterable[str]) -> Problem:
    """The saga meets this one (and refunds), not the buyer: the code says what happened."""
    return _conflict("seats_taken", seats, lazy_text("The hold lost seats before it was sold"))


def seats_not_blockable(seats: Iterable[str]) -> Problem:
    """For the box office: a seat a buyer holds or bought is not taken away from them."""
    return _conflict("seats_taken", seats, lazy_text("Held or sold seats cannot be blocked"))


def seats_not_unblockable(seats: Iterable[str]) -> Problem:
    """A seat a buyer holds or bought is not blocked: giving it "back" would free it under
    them."""
    return _conflict(
        "seats_taken",
        seats,
        lazy_text("These seats are not blocked but held or sold; nothing was released."),
    )


_NOT_ON_SALE: dict[SalesState, Message] = {
    SalesState.NOT_YET_ON_SALE: lazy_text("Sales for this performance have not started yet."),
    SalesState.SALES_CLOSED: lazy_text("Sales for this performance have closed."),
    SalesState.SOLD_OUT: lazy_text("This performance is sold out."),
    SalesState.CANCELLED: lazy_text("This performance has been cancelled."),
}
# a state added later still gets words
_NOT_BOOKABLE = lazy_text("This performance cannot be booked now.")


def not_on_sale(state: SalesState) -> Problem:
    return _rule("not_on_sale", _NOT_ON_SALE.get(state, _NOT_BOOKABLE), sales_status=state.value)


def max_holds_per_client(limit: int) -> Problem:
    return _rule(
        "max_holds_per_client",
        lazy_plural(
            "You can have at most %(n)s reservation at a time for this performance; "
            "release one first.",
            "You can have at most %(n)s reservations at a time for this performance; "
            "release one first.",
            limit,
        ),
        limit="max_holds_per_client",
        max=limit,
    )


def max_holds_per_identity(limit: int) -> Problem:
    """During an on-sale: per buyer (browser, and e-mail address when given in the queue)."""
    return _rule(
        "max_holds_per_identity",
        lazy_plural(
            "During this sale you can have at most %(n)s reservation at a time per performance.",
            "During this sale you can have at most %(n)s reservations at a time per performance.",
            limit,
        ),
        limit="max_holds_per_identity",
        max=limit,
    )


def max_seats_per_identity(limit: int) -> Problem:
    return _rule(
        "max_seats_per_identity",
        lazy_plural(
            "During this sale you can hold at most %(n)s seat per performance.",
            "During this sale you can hold at most %(n)s seats per performance.",
            limit,
        ),
        limit="max_seats_per_identity",
        max=limit,
    )


def identity_busy() -> Problem:
    """Another reservation of the same buyer was being made at the very same moment."""
    return Problem(
        "conflict",
        detail=lazy_text(
            "Another reservation of yours is being made at this very moment; try again."
        ),
        code="identity_busy",
        extra={"unavailable": []},
    )


def max_seats_per_hold(limit: int, *, transaction: bool = False) -> Problem:
    """`transaction`: the box office's bound, what one DynamoDB transaction can carry."""
    if transaction:
        return _rule(
            "max_seats_per_hold",
            lazy_plural(
                "One hold carries at most %(n)s seat: it is written in one transaction of at "
                "most 100 items. Split them over several holds.",
                "One hold carries at most %(n)s seats: it is written in one transaction of at "
                "most 100 items. Split them over several holds.",
                limit,
            ),
            limit="max_seats_per_hold",
            max=limit,
            transaction_items=100,
        )
    return _rule(
        "max_seats_per_hold",
        lazy_plural(
            "You can choose at most %(n)s seat per reservation for this performance.",
            "You can choose at most %(n)s seats per reservation for this performance.",
            limit,
        ),
        limit="max_seats_per_hold",
        max=limit,
    )


_NOT_HOLDABLE: dict[str, Message] = {
    "draft": lazy_text("This performance is still a draft; put it on sale first."),
    "cancelled": lazy_text("This performance has been cancelled."),
    "ended": lazy_text("This performance has already ended."),
}


def not_holdable(reason: str) -> Problem:
    """The box office holds at any time until the end, but not on these (`reason`)."""
    return _rule("not_holdable", _NOT_HOLDABLE.get(reason, _NOT_BOOKABLE), reason=reason)


def hold_sold() -> Problem:
    return _rule("hold_sold", lazy_text("This reservation was bought; it cannot be released."))


def hold_extended() -> Problem:
    return _rule(
        "hold_extended", lazy_text("This reservation was already extended once for payment.")
    )


def hold_expired() -> Problem:
    """Expired, released, or changed under us: to the buyer it is the same, choose again."""
    return _rule(
        "hold_expired", lazy_text("Your reservation has expired; choose your seats again.")
    )


def no_seat_map(performance_id: str) -> Problem:
    return Problem(
        "not-found",
        detail=lazy_text("Performance '%(id)s' has no seat map", id=performance_id),
        code="no_seat_map",
    )
