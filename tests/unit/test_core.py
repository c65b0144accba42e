import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from chalicelib.core.clock import FixedClock, parse_utc_iso, to_utc_iso
from chalicelib.core.errors import _NOUNS, CODES, FieldError, Problem, invalid, not_found
from chalicelib.core.i18n import from_accept_language, localized, pick
from chalicelib.core.money import format_eur


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "nl"),
        ("", "nl"),
        ("fr-BE,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("de-DE", "nl"),
        ("fr;q=0.2, en;q=0.8", "en"),
        ("fr;q=0, en;q=0.1", "en"),
        ("fr;q=banana", "nl"),
        ("NL-be", "nl"),
    ],
)
def test_accept_language_picks_the_best_supported_language(header, expected):
    assert from_accept_language(header) == expected


def test_pick_falls_back_to_dutch_then_any_language():
    assert pick({"nl": "Hallo", "fr": "Bonjour"}, "fr") == "Bonjour"
    assert pick({"nl": "Hallo"}, "en") == "Hallo"
    assert pick({"en": "Hello"}, "fr") == "Hello"
    assert pick({}, "nl") == ""
    assert pick(None, "nl") == ""


@pytest.mark.parametrize(
    ("cents", "lang", "expected"),
    [
        # Babel's Belgian forms, with no-break spaces so an amount never wraps
        (2400, "nl", "€\u00a024,00"),
        (2400, "fr", "24,00\u00a0€"),
        (2400, "en", "€24.00"),
        (5, "nl", "€\u00a00,05"),
        (123456, "nl", "€\u00a01.234,56"),
        (123456, "fr", "1\u202f234,56\u00a0€"),
        (-750, "en", "-€7.50"),
        (-750, "nl", "€\u00a0-7,50"),
        (2400, "de", "€\u00a024,00"),  # Dutch is the fallback
    ],
)
def test_euro_formatting_per_language(cents, lang, expected):
    assert format_eur(cents, lang) == expected


def test_instants_are_utc_on_the_wire():
    brussels_winter = timezone(timedelta(hours=1))
    moment = datetime(2026, 12, 3, 20, 0, tzinfo=brussels_winter)
    assert to_utc_iso(moment) == "2026-12-03T19:00:00Z"
    assert parse_utc_iso("2026-12-03T19:00:00Z") == moment
    with pytest.raises(ValueError):
        to_utc_iso(datetime(2026, 12, 3, 20, 0))
    with pytest.raises(ValueError):
        parse_utc_iso("2026-12-03T19:00:00")


def test_fixed_clock_moves_only_when_told():
    clock = FixedClock(datetime(2026, 12, 1, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(minutes=15)
    assert clock.now() == datetime(2026, 12, 1, 0, 15, tzinfo=UTC)


def test_problem_renders_rfc9457_with_localized_title_and_fields():
    problem = invalid(FieldError("limit", "'0' is out of range", "an integer from 1 to 100"))
    assert problem.status == 400
    body = problem.to_dict("fr")
    assert body["type"] == "urn:podium:problem:invalid-input"
    assert body["title"] == "Données non valides"
    assert body["status"] == 400
    assert body["errors"] == [
        {
            "field": "limit",
            "in": "query",
            "detail": "'0' is out of range",
            "expected": "an integer from 1 to 100",
        }
    ]
    assert not_found("house", "x").to_dict("nl")["title"] == "Niet gevonden"


def test_unknown_problem_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        Problem("teapot")


def test_problem_detail_in_the_language_asked_and_english_in_logs():
    problem = Problem(
        "rule-broken",
        detail=localized(nl="Verlopen", fr="Expirée", en="Expired"),
        code="hold_expired",
    )
    assert [problem.to_dict(lang)["detail"] for lang in ("nl", "fr", "en")] == [
        "Verlopen",
        "Expirée",
        "Expired",
    ]
    assert problem.to_dict("de")["detail"] == "Verlopen"  # Dutch is the fallback
    assert problem.to_dict("fr")["code"] == "hold_expired"
    assert str(problem) == "Expired"  # engineers read the logs
    plain = Problem("conflict", detail="One text for all")
    assert plain.to_dict("fr")["detail"] == str(plain) == "One text for all"
    assert "code" not in plain.to_dict("nl")


def test_a_code_belongs_to_one_kind():
    with pytest.raises(ValueError):
        Problem("conflict", code="hold_expired")  # a 422 code on a 409
    with pytest.raises(ValueError):
        Problem("rule-broken", code="hold_expird")


def test_invalid_and_not_found_speak_three_languages():
    problem = invalid(FieldError("email", "not an email address", "an email address", "body"))
    assert problem.code == "invalid_input"
    assert problem.to_dict("nl")["detail"] == "Ongeldige waarde voor: email"
    assert problem.to_dict("fr")["detail"] == "Valeur non valide pour : email"
    assert str(problem) == "Invalid value for: email"
    missing = not_found("order", "o-1")
    assert missing.code == "not_found"
    assert missing.to_dict("nl")["detail"] == "Er is geen bestelling met id 'o-1'."
    assert missing.to_dict("fr")["detail"] == "Il n'y a pas de commande avec l'identifiant 'o-1'."
    assert str(missing) == "No order with id 'o-1'"


def test_everything_the_code_calls_not_found_has_its_words():
    root = Path(__file__).parents[2]
    sources = "\n".join(p.read_text() for p in (root / "chalicelib").rglob("*.py"))
    nouns = set(re.findall(r'not_found\(\s*"(\w+)"', sources))
    assert nouns and nouns <= set(_NOUNS)


def test_the_readme_lists_every_problem_code():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    listed = [code for code in CODES if f"`{code}`" in readme]
    assert listed == list(CODES)
