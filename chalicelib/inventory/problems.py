"""The problems a buyer meets while taking seats, in one place: each with its machine code
(the webshop reacts to the code, never to words) and its words in Dutch, French and English,
so that the three can be read and corrected side by side."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.catalogue.model import SalesState
from chalicelib.core.errors import Problem, Text
from chalicelib.core.i18n import counted, localized


def _conflict(code: str, seats: Iterable[str], detail: Text) -> Problem:
    # Every 409 names the seats concerned, also when there are none: clients read one shape.
    return Problem("conflict", detail=detail, code=code, extra={"unavailable": sorted(seats)})


def _rule(code: str, detail: Text, **extra: object) -> Problem:
    return Problem("rule-broken", detail=detail, code=code, extra=dict(extra))


def seats_taken(seats: Iterable[str]) -> Problem:
    return _conflict(
        "seats_taken",
        seats,
        localized(
            nl="Enkele plaatsen zijn net door iemand anders genomen. Kies andere plaatsen.",
            fr="Certaines places viennent d'être prises par quelqu'un d'autre. "
            "Choisissez-en d'autres.",
            en="Some seats were just taken by someone else; choose other seats.",
        ),
    )


def seats_gone(seats: Iterable[str], *, standing: bool) -> Problem:
    """Best available or standing room found too few places left for the quantity asked."""
    if standing:
        detail = localized(
            nl="Er zijn niet genoeg staanplaatsen meer vrij voor je vraag. "
            "Probeer het met minder plaatsen.",
            fr="Il ne reste plus assez de places debout pour votre demande. "
            "Essayez avec moins de places.",
            en="Not enough standing places are left for this request; try fewer places.",
        )
    else:
        detail = localized(
            nl="Er zijn niet genoeg plaatsen meer vrij voor je vraag. "
            "Probeer het met minder plaatsen.",
            fr="Il ne reste plus assez de places libres pour votre demande. "
            "Essayez avec moins de places.",
            en="Not enough seats are left for this request; try fewer seats.",
        )
    return _conflict("seats_gone", seats, detail)


def seats_lost_before_sale(seats: Iterable[str]) -> Problem:
    """The saga meets this one (and refunds), not the buyer: the code says what happened."""
    return _conflict(
        "seats_taken",
        seats,
        localized(
            nl="Enkele plaatsen van deze reservatie werden genomen voor ze verkocht waren.",
            fr="Des places de cette réservation ont été prises avant d'être vendues.",
            en="The hold lost seats before it was sold",
        ),
    )


def seats_not_blockable(seats: Iterable[str]) -> Problem:
    """For the box office: a seat a buyer holds or bought is not taken away from them."""
    return _conflict(
        "seats_taken",
        seats,
        localized(
            nl="Gereserveerde of verkochte plaatsen kunnen niet geblokkeerd worden.",
            fr="Des places réservées ou vendues ne peuvent pas être bloquées.",
            en="Held or sold seats cannot be blocked",
        ),
    )


def seats_not_unblockable(seats: Iterable[str]) -> Problem:
    """A seat a buyer holds or bought is not blocked: giving it "back" would free it under
    them."""
    return _conflict(
        "seats_taken",
        seats,
        localized(
            nl="Deze plaatsen zijn niet geblokkeerd maar gereserveerd of verkocht; er is niets "
            "vrijgegeven.",
            fr="Ces places ne sont pas bloquées mais réservées ou vendues ; rien n'a été libéré.",
            en="These seats are not blocked but held or sold; nothing was released.",
        ),
    )


_NOT_ON_SALE: dict[SalesState, Text] = {
    SalesState.NOT_YET_ON_SALE: localized(
        nl="De verkoop voor deze voorstelling is nog niet gestart.",
        fr="La vente pour cette représentation n'a pas encore commencé.",
        en="Sales for this performance have not started yet.",
    ),
    SalesState.SALES_CLOSED: localized(
        nl="De verkoop voor deze voorstelling is afgesloten.",
        fr="La vente pour cette représentation est clôturée.",
        en="Sales for this performance have closed.",
    ),
    SalesState.SOLD_OUT: localized(
        nl="Deze voorstelling is uitverkocht.",
        fr="Cette représentation affiche complet.",
        en="This performance is sold out.",
    ),
    SalesState.CANCELLED: localized(
        nl="Deze voorstelling is geannuleerd.",
        fr="Cette représentation est annulée.",
        en="This performance has been cancelled.",
    ),
}
_NOT_BOOKABLE = localized(  # a state added later still gets words
    nl="Deze voorstelling kan nu niet geboekt worden.",
    fr="Cette représentation ne peut pas être réservée pour le moment.",
    en="This performance cannot be booked now.",
)


def not_on_sale(state: SalesState) -> Problem:
    return _rule("not_on_sale", _NOT_ON_SALE.get(state, _NOT_BOOKABLE), sales_status=state.value)


def max_holds_per_client(limit: int) -> Problem:
    return _rule(
        "max_holds_per_client",
        localized(
            nl=f"Je kan voor deze voorstelling maximaal "
            f"{counted(limit, 'reservatie', 'reservaties')} tegelijk hebben. "
            "Geef er eerst een vrij.",
            fr=f"Vous pouvez avoir au maximum "
            f"{counted(limit, 'réservation', 'réservations')} à la fois pour cette "
            "représentation. Libérez-en d'abord une.",
            en=f"You can have at most {counted(limit, 'reservation', 'reservations')} at a "
            "time for this performance; release one first.",
        ),
        limit="max_holds_per_client",
        max=limit,
    )


def max_holds_per_identity(limit: int) -> Problem:
    """During an on-sale: per buyer (browser, and e-mail address when given in the queue)."""
    return _rule(
        "max_holds_per_identity",
        localized(
            nl=f"Tijdens deze verkoop kan je maximaal "
            f"{counted(limit, 'reservatie', 'reservaties')} tegelijk hebben per voorstelling.",
            fr=f"Pendant cette vente, vous pouvez avoir au maximum "
            f"{counted(limit, 'réservation', 'réservations')} à la fois par représentation.",
            en=f"During this sale you can have at most "
            f"{counted(limit, 'reservation', 'reservations')} at a time per performance.",
        ),
        limit="max_holds_per_identity",
        max=limit,
    )


def max_seats_per_identity(limit: int) -> Problem:
    return _rule(
        "max_seats_per_identity",
        localized(
            nl=f"Tijdens deze verkoop kan je maximaal {counted(limit, 'plaats', 'plaatsen')} "
            "per voorstelling reserveren.",
            fr=f"Pendant cette vente, vous pouvez réserver au maximum "
            f"{counted(limit, 'place', 'places')} par représentation.",
            en=f"During this sale you can hold at most {counted(limit, 'seat', 'seats')} "
            "per performance.",
        ),
        limit="max_seats_per_identity",
        max=limit,
    )


def identity_busy() -> Problem:
    """Another reservation of the same buyer was being made at the very same moment."""
    return Problem(
        "conflict",
        detail=localized(
            nl="Er wordt op hetzelfde moment al een andere reservatie van jou gemaakt. "
            "Probeer het zo dadelijk opnieuw.",
            fr="Une autre de vos réservations est en cours au même moment. Réessayez dans "
            "un instant.",
            en="Another reservation of yours is being made at this very moment; try again.",
        ),
        code="identity_busy",
        extra={"unavailable": []},
    )


def max_seats_per_hold(limit: int, *, transaction: bool = False) -> Problem:
    """`transaction`: the box office's bound, what one DynamoDB transaction can carry."""
    if transaction:
        return _rule(
            "max_seats_per_hold",
            localized(
                nl=f"Eén reservatie kan maximaal {counted(limit, 'plaats', 'plaatsen')} "
                "bevatten: ze wordt in één transactie van hoogstens 100 items geschreven. "
                "Verdeel ze over meerdere reservaties.",
                fr=f"Une réservation peut contenir au maximum "
                f"{counted(limit, 'place', 'places')} : elle est écrite en une seule "
                "transaction de 100 éléments au plus. Répartissez-les sur plusieurs "
                "réservations.",
                en=f"One hold carries at most {counted(limit, 'seat', 'seats')}: it is written "
                "in one transaction of at most 100 items. Split them over several holds.",
            ),
            limit="max_seats_per_hold",
            max=limit,
            transaction_items=100,
        )
    return _rule(
        "max_seats_per_hold",
        localized(
            nl=f"Je kan voor deze voorstelling maximaal {counted(limit, 'plaats', 'plaatsen')} "
            "per reservatie kiezen.",
            fr=f"Vous pouvez choisir au maximum {counted(limit, 'place', 'places')} par "
            "réservation pour cette représentation.",
            en=f"You can choose at most {counted(limit, 'seat', 'seats')} per reservation "
            "for this performance.",
        ),
        limit="max_seats_per_hold",
        max=limit,
    )


_NOT_HOLDABLE: dict[str, Text] = {
    "draft": localized(
        nl="Deze voorstelling is nog een ontwerp: zet ze eerst in verkoop.",
        fr="Cette représentation est encore un brouillon : mettez-la d'abord en vente.",
        en="This performance is still a draft; put it on sale first.",
    ),
    "cancelled": localized(
        nl="Deze voorstelling is geannuleerd.",
        fr="Cette représentation est annulée.",
        en="This performance has been cancelled.",
    ),
    "ended": localized(
        nl="Deze voorstelling is al voorbij.",
        fr="Cette représentation est déjà terminée.",
        en="This performance has already ended.",
    ),
}


def not_holdable(reason: str) -> Problem:
    """The box office holds at any time until the end, but not on these (`reason`)."""
    return _rule("not_holdable", _NOT_HOLDABLE.get(reason, _NOT_BOOKABLE), reason=reason)


def hold_sold() -> Problem:
    return _rule(
        "hold_sold",
        localized(
            nl="Deze plaatsen zijn al betaald; je kan ze niet meer vrijgeven.",
            fr="Ces places sont déjà payées ; vous ne pouvez plus les libérer.",
            en="This reservation was bought; it cannot be released.",
        ),
    )


def hold_extended() -> Problem:
    return _rule(
        "hold_extended",
        localized(
            nl="Deze reservatie werd al eens verlengd voor de betaling en kan niet nog eens "
            "verlengd worden.",
            fr="Cette réservation a déjà été prolongée pour le paiement et ne peut plus l'être.",
            en="This reservation was already extended once for payment.",
        ),
    )


def hold_expired() -> Problem:
    """Expired, released, or changed under us: to the buyer it is the same, choose again."""
    return _rule(
        "hold_expired",
        localized(
            nl="Je reservatie is verlopen. Kies je plaatsen opnieuw.",
            fr="Votre réservation a expiré. Choisissez à nouveau vos places.",
            en="Your reservation has expired; choose your seats again.",
        ),
    )


def no_seat_map(performance_id: str) -> Problem:
    return Problem(
        "not-found",
        detail=localized(
            nl=f"Er is geen zaalplan voor voorstelling {performance_id!r}.",
            fr=f"Il n'y a pas de plan de salle pour la représentation {performance_id!r}.",
            en=f"Performance {performance_id!r} has no seat map",
        ),
        code="no_seat_map",
    )
