"""Errors as RFC 9457 problem details: a machine `type`, a human `title` and `detail` in the
caller's language, a machine `code` for the rules a client reacts to, and the offending fields
with what was expected.

Domain and service code raise `Problem`; the HTTP layer renders it. Nothing here knows HTTP
frameworks, so the same errors serve the API, the CLI and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.core.i18n import LocalizedText, Message, lazy_text, pick

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:podium:problem:"

# kind → (status, title). Titles are English msgids; their words are in the catalogues.
_KINDS: dict[str, tuple[int, Message]] = {
    "invalid-input": (400, lazy_text("Invalid input")),
    "unauthorized": (401, lazy_text("Access required")),
    "forbidden": (403, lazy_text("Forbidden")),
    "not-found": (404, lazy_text("Not found")),
    "method-not-allowed": (405, lazy_text("Method not allowed")),
    "conflict": (409, lazy_text("Conflict with the current state")),
    "rule-broken": (422, lazy_text("Not allowed by the rules")),
    "internal": (500, lazy_text("Something went wrong on our side")),
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

# A problem's detail: a catalogue text (the rule), a text in three languages (data), or one
# text for everyone (what a framework said).
Text = str | LocalizedText | Message


def _in(text: Text, lang: str) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, Message):
        return text.render(lang)
    return pick(text, lang)


def _english(text: Text) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, Message):
        return text.source()
    return pick(text, "en")


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
        super().__init__(_english(self.detail) or self.code or self.kind)

    @property
    def status(self) -> int:
        return _KINDS[self.kind][0]

    def to_dict(self, lang: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.kind,
            "title": _KINDS[self.kind][1].render(lang),
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


def invalid(*errors: FieldError) -> Problem:
    names = ", ".join(error.field for error in errors)
    return Problem(
        "invalid-input",
        detail=lazy_text("Invalid value for: %(names)s", names=names),
        errors=list(errors),
        code="invalid_input",
    )


# One whole sentence per thing that can be missing: nouns pasted into a sentence cannot agree
# with it (French elides "de" before a vowel, Dutch and French nouns have genders).
_NOUNS: dict[str, Message] = {
    "cluster": lazy_text("No cluster with id '%(id)s'"),
    "house": lazy_text("No house with id '%(id)s'"),
    "performance": lazy_text("No performance with id '%(id)s'"),
    "hold": lazy_text("No hold with id '%(id)s'"),
    "order": lazy_text("No order with id '%(id)s'"),
    "ticket": lazy_text("No ticket with id '%(id)s'"),
    "production": lazy_text("No production with id '%(id)s'"),
    "venue": lazy_text("No venue with id '%(id)s'"),
    "hall": lazy_text("No hall with id '%(id)s'"),
}
_SOMETHING = lazy_text("No %(what)s with id '%(id)s'")  # a noun added to code but not here


def not_found(what: str, ident: str) -> Problem:
    sentence = _NOUNS.get(what)
    detail = (
        Message(sentence.msgid, {"id": ident})
        if sentence
        else Message(_SOMETHING.msgid, {"what": what, "id": ident})
    )
    return Problem("not-found", detail=detail, code="not_found")
