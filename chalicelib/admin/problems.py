"""The staff API's problems, each with its machine code and its words in nl/fr/en."""

from __future__ import annotations

from chalicelib.core.errors import Problem
from chalicelib.core.i18n import localized


def staff_token_missing() -> Problem:
    return Problem(
        "unauthorized",
        detail=localized(
            nl="Meld je aan: deze route vraagt een personeelstoken (Authorization: Bearer …).",
            fr="Connectez-vous : il faut un jeton du personnel (Authorization: Bearer …).",
            en="Sign in: this route needs a staff token (Authorization: Bearer …).",
        ),
        code="staff_token_missing",
    )


def staff_token_invalid() -> Problem:
    """Forged, of another pool or app client, an id token, or malformed: all look alike."""
    return Problem(
        "unauthorized",
        detail=localized(
            nl="Dit personeelstoken is niet geldig.",
            fr="Ce jeton du personnel n'est pas valable.",
            en="This staff token is not valid.",
        ),
        code="staff_token_invalid",
    )


def staff_token_expired() -> Problem:
    return Problem(
        "unauthorized",
        detail=localized(
            nl="Je personeelstoken is verlopen. Meld je opnieuw aan.",
            fr="Votre jeton du personnel a expiré. Reconnectez-vous.",
            en="Your staff token has expired; sign in again.",
        ),
        code="staff_token_expired",
    )


def role_required(action: str) -> Problem:
    """Signed in, but no role that may do this for any house."""
    return Problem(
        "forbidden",
        detail=localized(
            nl=f"Je rol laat dit niet toe ({action}).",
            fr=f"Votre rôle ne le permet pas ({action}).",
            en=f"Your role does not allow this ({action}).",
        ),
        code="role_required",
    )
