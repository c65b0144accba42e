"""The staff API's problems, each with its machine code; their words are in the catalogues
(chalicelib/locale/), the English source text as msgid."""

from __future__ import annotations

from chalicelib.core.errors import Problem
from chalicelib.core.i18n import lazy_text


def staff_token_missing() -> Problem:
    return Problem(
        "unauthorized",
        detail=lazy_text("Sign in: this route needs a staff token (Authorization: Bearer …)."),
        code="staff_token_missing",
    )


def staff_token_invalid() -> Problem:
    """Forged, of another pool or app client, an id token, or malformed: all look alike."""
    return Problem(
        "unauthorized",
        detail=lazy_text("This staff token is not valid."),
        code="staff_token_invalid",
    )


def staff_token_expired() -> Problem:
    return Problem(
        "unauthorized",
        detail=lazy_text("Your staff token has expired; sign in again."),
        code="staff_token_expired",
    )


def role_required(action: str) -> Problem:
    """Signed in, but no role that may do this for any house."""
    return Problem(
        "forbidden",
        detail=lazy_text("Your role does not allow this (%(action)s).", action=action),
        code="role_required",
    )
