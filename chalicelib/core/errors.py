"""Errors as RFC 9457 problem details: a machine `type`, a human `title` in the caller's
language, and the offending fields with what was expected.

Domain and service code raise `Problem`; the HTTP layer renders it. Nothing here knows HTTP
frameworks, so the same errors serve the API, the CLI and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core.i18n import LANGUAGES, pick

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:podium:problem:"

# status → (type slug, title per language)
_KINDS: dict[str, tuple[int, dict[str, str]]] = {
    "invalid-input": (
        400,
        {
            "nl": "Ongeldige invoer",
            "fr": "Données non valides",
            "en": "Invalid input",
        },
    ),
    "not-found": (
        404,
        {
            "nl": "Niet gevonden",
            "fr": "Introuvable",
            "en": "Not found",
        },
    ),
    "method-not-allowed": (
        405,
        {
            "nl": "Methode niet toegestaan",
            "fr": "Méthode non autorisée",
            "en": "Method not allowed",
        },
    ),
    "conflict": (
        409,
        {
            "nl": "Conflict met de huidige toestand",
            "fr": "Conflit avec l'état actuel",
            "en": "Conflict with the current state",
        },
    ),
    "rule-broken": (
        422,
        {
            "nl": "Niet toegestaan door de regels",
            "fr": "Non autorisé par les règles",
            "en": "Not allowed by the rules",
        },
    ),
    "internal": (
        500,
        {
            "nl": "Er ging iets mis bij ons",
            "fr": "Une erreur s'est produite chez nous",
            "en": "Something went wrong on our side",
        },
    ),
}


@dataclass(frozen=True)
class FieldError:
    """One offending field: where it was, what was wrong, what was expected."""

    field: str
    detail: str
    expected: str
    location: str = "query"  # query | path | body | header

    def to_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "in": self.location,
            "detail": self.detail,
            "expected": self.expected,
        }


@dataclass
class Problem(Exception):
    kind: str
    detail: str = ""
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown problem kind {self.kind!r}")
        super().__init__(self.detail or self.kind)

    @property
    def status(self) -> int:
        return _KINDS[self.kind][0]

    def to_dict(self, lang: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.kind,
            "title": pick(_KINDS[self.kind][1], lang),
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = [error.to_dict() for error in self.errors]
        body.update(self.extra)
        return body


def unknown_parameters(
    names: Iterable[str], allowed: tuple[str, ...], location: str = "query"
) -> list[FieldError]:
    expected = "one of " + ", ".join(allowed)
    return [
        FieldError(name, "unknown parameter", expected, location)
        for name in names
        if name not in allowed
    ]


def unsupported_language() -> FieldError:
    return FieldError("lang", "unsupported language", "one of " + ", ".join(LANGUAGES))


def invalid(*errors: FieldError) -> Problem:
    names = ", ".join(error.field for error in errors)
    return Problem("invalid-input", detail=f"Invalid value for: {names}", errors=list(errors))


def not_found(what: str, ident: str) -> Problem:
    return Problem("not-found", detail=f"No {what} with id {ident!r}")
