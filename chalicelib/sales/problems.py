"""Sales management's problems, each with its machine code and its words in nl/fr/en."""

from __future__ import annotations

from chalicelib.core.errors import FieldError, Problem
from chalicelib.core.i18n import localized
from chalicelib.core.money import format_eur


def order_not_completed(status: str) -> Problem:
    """Only an order whose tickets were issued can be cancelled or resent; one still being
    paid or issued is the checkout's to finish first."""
    return Problem(
        "rule-broken",
        detail=localized(
            nl=f"Deze bestelling is niet afgerond (status {status}): dat kan nog niet.",
            fr=f"Cette commande n'est pas finalisée (statut {status}) : ce n'est pas possible.",
            en=f"This order is not completed (status {status}): that is not possible.",
        ),
        code="order_not_completed",
        extra={"order_status": status},
    )


def refund_exceeds_paid(asked: int, refundable: int) -> Problem:
    return Problem(
        "rule-broken",
        detail=localized(
            nl=f"Je kan hoogstens {format_eur(refundable, 'nl')} terugbetalen.",
            fr=f"Vous pouvez rembourser au maximum {format_eur(refundable, 'fr')}.",
            en=f"You can refund at most {format_eur(refundable, 'en')}.",
        ),
        code="refund_exceeds_paid",
        extra={"asked_cents": asked, "refundable_cents": refundable},
    )


def exchange_other_production() -> Problem:
    return Problem(
        "rule-broken",
        detail=localized(
            nl="Een ticket ruil je alleen voor een andere voorstelling van dezelfde productie.",
            fr="Un billet ne s'échange que contre une autre représentation du même spectacle.",
            en="A ticket can only be exchanged for another performance of the same production.",
        ),
        code="exchange_other_production",
    )


def ticket_not_exchangeable(fields: list[str], tickets: list[str]) -> Problem:
    """A ticket already void (cancelled, refunded) or moved by another exchange."""
    return Problem(
        "rule-broken",
        detail=localized(
            nl="Dit ticket is niet meer geldig of al geruild.",
            fr="Ce billet n'est plus valable ou a déjà été échangé.",
            en="This ticket is no longer valid or was exchanged already.",
        ),
        errors=[
            FieldError(name, "void or exchanged already", "a valid ticket of this order", "body")
            for name in fields
        ],
        code="ticket_not_exchangeable",
        extra={"tickets": tickets},
    )
