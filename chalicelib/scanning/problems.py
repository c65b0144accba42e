"""Door scanning's problems, each with its machine code and its words in nl/fr/en."""

from __future__ import annotations

from chalicelib.core.errors import FieldError, Problem
from chalicelib.core.i18n import localized


def nonce_reused(nonce: str, field: str) -> Problem:
    """A nonce names one scan: uploaded again it must be the same scan (payload, performance,
    scanner). Another scan under a nonce already used is a scanner's bug: nothing is written."""
    return Problem(
        "conflict",
        detail=localized(
            nl=f"Nonce {nonce!r} werd al gebruikt voor een andere scan.",
            fr=f"Le nonce {nonce!r} a déjà servi pour un autre scan.",
            en=f"Nonce {nonce!r} was already used for another scan.",
        ),
        errors=[FieldError(field, "already used for another scan", "a new nonce", "body")],
        code="nonce_reused",
    )
