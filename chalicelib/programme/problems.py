"""Programme management's problems, each with its machine code and its words in nl/fr/en."""

from __future__ import annotations

from chalicelib.core.errors import Problem
from chalicelib.core.i18n import localized


def production_has_performances(production: str, count: int) -> Problem:
    return Problem(
        "conflict",
        detail=localized(
            nl=f"Deze productie heeft nog {count} voorstelling(en); verwijder die eerst.",
            fr=f"Cette production a encore {count} représentation(s) ; supprimez-les d'abord.",
            en=f"This production still has {count} performance(s); remove them first.",
        ),
        extra={"production": production, "performances": count},
        code="production_has_performances",
    )


def hall_in_use(hall: str, performances: list[str]) -> Problem:
    """A new seat map would move seats under buyers of a performance that is selling."""
    return Problem(
        "conflict",
        detail=localized(
            nl="Deze zaal heeft voorstellingen in verkoop: hun zaalplan kan niet meer wijzigen.",
            fr="Cette salle a des représentations en vente : leur plan ne peut plus changer.",
            en="This hall has performances on sale: their seat map cannot change any more.",
        ),
        extra={"hall": hall, "performances": performances},
        code="hall_in_use",
    )


def venue_has_halls(venue: str, halls: list[str]) -> Problem:
    return Problem(
        "conflict",
        detail=localized(
            nl="Deze locatie heeft nog zalen; verwijder die eerst.",
            fr="Ce lieu a encore des salles ; supprimez-les d'abord.",
            en="This venue still has halls; remove them first.",
        ),
        extra={"venue": venue, "halls": halls},
        code="venue_has_halls",
    )


def performance_not_ready(reason: str) -> Problem:
    words = {
        "no_seat_map": (
            "De zaal heeft nog geen zaalplan.",
            "La salle n'a pas encore de plan.",
            "The hall has no seat map yet.",
        ),
        "sales_closed": (
            "De verkoopperiode is al voorbij.",
            "La période de vente est déjà terminée.",
            "The sales window has already closed.",
        ),
    }[reason]
    return Problem(
        "rule-broken",
        detail=localized(
            nl=f"Deze voorstelling kan niet in verkoop: {words[0]}",
            fr=f"Cette représentation ne peut pas être mise en vente : {words[1]}",
            en=f"This performance cannot go on sale: {words[2]}",
        ),
        extra={"reason": reason},
        code="performance_not_ready",
    )


def performance_cancelled() -> Problem:
    return Problem(
        "rule-broken",
        detail=localized(
            nl="Deze voorstelling is geannuleerd en kan niet meer wijzigen.",
            fr="Cette représentation est annulée et ne peut plus changer.",
            en="This performance is cancelled and cannot change any more.",
        ),
        code="performance_cancelled",
    )
