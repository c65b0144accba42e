"""The problems a buyer meets in a waiting room and at the hold gate: each with its machine
code (the webshop reacts to the code, never to words) and its words in Dutch, French and
English."""

from __future__ import annotations

from chalicelib.core.errors import Problem
from chalicelib.core.i18n import localized


def room_not_found(room_id: str) -> Problem:
    return Problem(
        "not-found",
        detail=localized(
            nl=f"Er is geen wachtrij met id {room_id!r}.",
            fr=f"Il n'y a pas de file d'attente avec l'identifiant {room_id!r}.",
            en=f"No waiting room with id {room_id!r}",
        ),
        code="not_found",
    )


def ticket_not_found() -> Problem:
    """Also for a ticket of another room: a ticket says nothing outside its own room."""
    return Problem(
        "not-found",
        detail=localized(
            nl="Dit wachtrijticket kennen we niet in deze wachtrij.",
            fr="Ce ticket de file d'attente est inconnu dans cette file.",
            en="No such ticket in this waiting room",
        ),
        code="not_found",
    )


def room_closed() -> Problem:
    return Problem(
        "rule-broken",
        detail=localized(
            nl="Deze wachtrij is gesloten: je kan nu rechtstreeks plaatsen kiezen.",
            fr="Cette file d'attente est fermée : vous pouvez choisir vos places directement.",
            en="This waiting room has closed; choose your seats directly.",
        ),
        code="waiting_room_closed",
    )


def not_admitted_yet(position: int | None) -> Problem:
    return Problem(
        "conflict",
        detail=localized(
            nl="Het is nog niet jouw beurt. Blijf even in de wachtrij.",
            fr="Ce n'est pas encore votre tour. Restez dans la file d'attente.",
            en="It is not your turn yet; stay in the waiting room.",
        ),
        code="not_admitted_yet",
        extra={"position": position},
    )


def admission_lapsed() -> Problem:
    return Problem(
        "rule-broken",
        detail=localized(
            nl="Je beurt is voorbij: je plaats in de wachtrij werd niet op tijd gebruikt.",
            fr="Votre tour est passé : votre place dans la file n'a pas été utilisée à temps.",
            en="Your turn has passed: the place in the waiting room was not used in time.",
        ),
        code="admission_lapsed",
    )


def admission_other_client() -> Problem:
    """One session per place: it belongs to the browser that joined (and claimed) it."""
    return Problem(
        "conflict",
        detail=localized(
            nl="Deze plaats in de wachtrij hoort bij een ander toestel of een andere browser.",
            fr="Cette place dans la file appartient à un autre appareil ou navigateur.",
            en="This place in the waiting room belongs to another device or browser.",
        ),
        code="admission_other_client",
    )


def admission_required(room: str | None) -> Problem:
    return Problem(
        "unauthorized",
        detail=localized(
            nl="Voor deze verkoop ga je eerst door de wachtrij.",
            fr="Pour cette vente, passez d'abord par la file d'attente.",
            en="This sale goes through a waiting room first.",
        ),
        code="admission_required",
        extra={"waiting_room": room},  # where the webshop sends the buyer
    )


def admission_expired(room: str | None) -> Problem:
    return Problem(
        "unauthorized",
        detail=localized(
            nl="Je tijd om plaatsen te kiezen is voorbij. Ga opnieuw door de wachtrij.",
            fr="Votre temps pour choisir des places est écoulé. Repassez par la file d'attente.",
            en="Your time to choose seats is over; go through the waiting room again.",
        ),
        code="admission_expired",
        extra={"waiting_room": room},  # where the webshop sends the buyer
    )


def admission_invalid(room: str | None) -> Problem:
    """Tampered with, of another room, or of another browser: it grants nothing here."""
    return Problem(
        "forbidden",
        detail=localized(
            nl="Deze toegang tot de verkoop is niet geldig voor deze voorstelling of dit toestel.",
            fr="Cet accès à la vente n'est pas valable pour cette représentation ou cet appareil.",
            en="This admission is not valid for this performance or this device.",
        ),
        code="admission_invalid",
        extra={"waiting_room": room},  # where the webshop sends the buyer
    )
