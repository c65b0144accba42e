"""Door scanning's problems, each with its machine code; their words are in the catalogues."""

from __future__ import annotations

from chalicelib.core.errors import FieldError, Problem
from chalicelib.core.i18n import lazy_text


def nonce_reused(nonce: str, field: str) -> Problem:
    """A nonce names one scan: uploaded again it must be the same scan (payload, performance,
    scanner). Another scan under a nonce already used is a scanner's bug: nothing is written."""
    return Problem(
        "conflict",
        detail=lazy_text("Nonce '%(nonce)s' was already used for another scan.", nonce=nonce),
        errors=[FieldError(field, "already used for another scan", "a new nonce", "body")],
        code="nonce_reused",
    )
