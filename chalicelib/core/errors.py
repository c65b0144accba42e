"""Errors as RFC 9457 problem details: a machine `type`, a human `title` and `detail` in the
caller's language, a machine `code` for the rules a client reacts to, and the offending fields
with what was expected.

Domain and service code raise `Problem`; the HTTP layer renders it. Nothing here knows HTTP
frameworks, so the same errors serve the API, the CLI and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core.i18n import LANGUAGES, LocalizedText, localized, pick

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
    "unauthorized": (
        401,
        {
            "nl": "Toegang vereist",
            "fr": "Accès requis",
            "en": "Access required",
        },
    ),
    "forbidden": (
        403,
        {
            "nl": "Geen toegang",
            "fr": "Accès refusé",
            "en": "Forbidden",
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


# The machine codes of the rules a client reacts to (the webshop, a partner), each with the
# one kind it is raised as: a public contract, so a typo or a second meaning fails at once.
CODES: dict[str, str] = {
    "invalid_input": "invalid-input",
    "not_found": "not-found",
    "no_seat_map": "not-found",
    "seats_taken": "conflict",
    "seats_gone": "conflict",
    "hold_ordered": "conflict",
    "not_on_sale": "rule-broken",
    "max_holds_per_client": "rule-broken",
    "max_seats_per_hold": "rule-broken",
    "not_holdable": "rule-broken",  # a staff hold on a draft, cancelled or ended performance
    "max_per_order": "rule-broken",
    "hold_sold": "rule-broken",
    "hold_extended": "rule-broken",
    "hold_expired": "rule-broken",
    # the waiting room and its hold gate (chalicelib/onsale/problems.py)
    "admission_required": "unauthorized",
    "admission_expired": "unauthorized",
    "admission_invalid": "forbidden",
    "not_admitted_yet": "conflict",
    "admission_other_client": "conflict",
    "identity_busy": "conflict",
    "admission_lapsed": "rule-broken",
    "waiting_room_closed": "rule-broken",
    "max_holds_per_identity": "rule-broken",
    "max_seats_per_identity": "rule-broken",
    # the staff API (chalicelib/admin/problems.py)
    "staff_token_missing": "unauthorized",
    "staff_token_invalid": "unauthorized",
    "staff_token_expired": "unauthorized",
    "role_required": "forbidden",
    # programme management (chalicelib/programme/problems.py)
    "production_has_performances": "conflict",
    "hall_in_use": "conflict",
    "performance_not_ready": "rule-broken",
    "performance_cancelled": "rule-broken",
    "venue_has_halls": "conflict",
    # sales management for staff (chalicelib/sales/problems.py)
    "order_not_completed": "rule-broken",
    "refund_exceeds_paid": "rule-broken",
    "exchange_other_production": "rule-broken",
    "ticket_not_exchangeable": "rule-broken",
    # door scanning (chalicelib/scanning/problems.py)
    "nonce_reused": "conflict",
}

Text = str | LocalizedText


def _in(text: Text, lang: str) -> str:
    return text if isinstance(text, str) else pick(text, lang)


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
    """`detail` is one text or one per language; `code` names the rule for clients that react
    to it (see CODES). The exception's own message stays English: engineers read the logs."""

    kind: str
    detail: Text = ""
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown problem kind {self.kind!r}")
        if self.code is not None and CODES.get(self.code) != self.kind:
            raise ValueError(f"code {self.code!r} is not a code of kind {self.kind!r}")
        super().__init__(_in(self.detail, "en") or self.code or self.kind)

    @property
    def status(self) -> int:
        return _KINDS[self.kind][0]

    def to_dict(self, lang: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.kind,
            "title": pick(_KINDS[self.kind][1], lang),
            "status": self.status,
        }
        if self.code:
            body["code"] = self.code
        if self.detail:
            body["detail"] = _in(self.detail, lang)
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
    return Problem(
        "invalid-input",
        detail=localized(
            nl=f"Ongeldige waarde voor: {names}",
            fr=f"Valeur non valide pour : {names}",
            en=f"Invalid value for: {names}",
        ),
        errors=list(errors),
        code="invalid_input",
    )


# What can be missing, in Dutch and French (the English word is the one callers pass).
_NOUNS: dict[str, tuple[str, str]] = {
    "cluster": ("regio", "région"),
    "house": ("cultuurhuis", "centre culturel"),
    "performance": ("voorstelling", "représentation"),
    "hold": ("reservatie", "réservation"),
    "order": ("bestelling", "commande"),
    "ticket": ("ticket", "billet"),
    "production": ("productie", "production"),
    "venue": ("locatie", "lieu"),
    "hall": ("zaal", "salle"),
}


def not_found(what: str, ident: str) -> Problem:
    nl, fr = _NOUNS.get(what, (what, what))
    of = "d'" if fr[:1] in "aeiouéè" else "de "
    return Problem(
        "not-found",
        detail=localized(
            nl=f"Er is geen {nl} met id {ident!r}.",
            fr=f"Il n'y a pas {of}{fr} avec l'identifiant {ident!r}.",
            en=f"No {what} with id {ident!r}",
        ),
        code="not_found",
    )
