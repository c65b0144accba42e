"""Server texts come from the gettext catalogues (chalicelib/locale/), complete in every
language, with the placeholders the code fills; dates and money are Babel's; mails escape
what buyers type."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from chalicelib.core import i18n
from chalicelib.core.errors import FieldError, Problem, invalid, not_found
from chalicelib.core.i18n import LANGUAGES, format_when, lazy_text, translate
from chalicelib.core.money import format_eur
from chalicelib.inventory.problems import max_holds_per_client
from chalicelib.orders.mail import ConfirmationMails
from chalicelib.orders.problems import max_per_order
from chalicelib.programme.problems import performance_not_ready
from chalicelib.sales.problems import refund_exceeds_paid

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "chalicelib" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _po(lang: str, locale_dir: Path = LOCALE) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / "podium.po"


def _read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, domain="podium")


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def faults(path: Path) -> list[str]:
    """What keeps a catalogue from speaking its language: an empty or fuzzy translation (the
    compiled catalogue would fall back to English), a placeholder the code does not fill or
    a filled one left out, or Babel's own checks."""
    catalogue = _read(path)
    found: list[str] = []
    for message in catalogue:
        if not message.id:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        if message.fuzzy:
            found.append(f"fuzzy: {ids[0]!r}")
        if (
            not strings
            or not all(strings)
            or len(strings) != catalogue.num_plurals ** (len(ids) > 1)
        ):
            found.append(f"untranslated: {ids[0]!r}")
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                found.append(f"placeholders {sorted(wanted)} differ in {string!r}")
    for message, errors in catalogue.check():
        found.extend(f"{message.id!r}: {error}" for error in errors)
    return found


def _compiled(path: Path) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, _read(path))
    return buffer.getvalue()


@pytest.fixture
def locale_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of the catalogues the test may spoil; the app reads it while the test runs."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    saved = i18n.LOCALE_DIR
    i18n.LOCALE_DIR = copy
    i18n.translations.cache_clear()
    yield copy
    i18n.LOCALE_DIR = saved
    i18n.translations.cache_clear()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _compile(path: Path) -> None:
    path.with_suffix(".mo").write_bytes(_compiled(path))


# --- the catalogues ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_translated_with_its_placeholders(lang: str) -> None:
    assert faults(_po(lang)) == []


def test_the_check_finds_a_missing_translation_and_a_wrong_placeholder(locale_copy: Path) -> None:
    """The negative control of the test above: spoil a copy and see the check say so."""
    french = _po("fr", locale_copy)
    _edit(french, 'msgstr "Accès requis"', 'msgstr ""')
    _edit(french, "Bonjour %(name)s,", "Bonjour %(nom)s,")
    _edit(french, "au maximum %(n)s places par", "au maximum des places par")
    found = faults(french)
    assert "untranslated: 'Access required'" in found
    assert any("['name']" in fault and "%(nom)s" in fault for fault in found), found
    assert any("['n']" in fault and "des places" in fault for fault in found), found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogues_compile_and_the_compiled_ones_are_current(lang: str) -> None:
    """The .mo the app reads is what `make install` compiles from today's .po."""
    compiled = _compiled(_po(lang))
    mo = _po(lang).with_suffix(".mo")
    assert mo.exists(), "`make install` compiles the catalogues"
    assert mo.read_bytes() == compiled, f"{mo} is older than its .po: run `make install`"


def test_the_catalogues_hold_every_text_the_code_and_the_templates_use(tmp_path: Path) -> None:
    """What `make i18n` would extract (its own keywords) is what the template and each
    language's catalogue hold: no text in code without its translations, none left over."""
    makefile = (ROOT / "Makefile").read_text()
    keywords = re.search(r"^BABEL_KEYWORDS := (.+)$", makefile, re.M)
    assert keywords
    extracted = tmp_path / "podium.pot"
    subprocess.run(
        [
            *(sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract"),
            *("-F", "babel.cfg", *keywords[1].split(), "-o", str(extracted), "."),
        ],
        cwd=ROOT,
        check=True,
    )

    def ids(path: Path) -> set[object]:
        return {message.id if isinstance(message.id, str) else tuple(message.id)
                for message in _read(path) if message.id}  # fmt: skip

    used = ids(extracted)
    assert len(used) > 80
    assert ids(LOCALE / "podium.pot") == used, "run `make i18n`"
    for lang in LANGUAGES:
        assert ids(_po(lang)) == used, f"{lang}: run `make i18n`, then translate"


# --- texts rendered from the catalogue --------------------------------------------------------


def test_a_problem_in_french_comes_from_the_catalogue(locale_copy: Path) -> None:
    problem = not_found("hold", "h-404")
    before = problem.to_dict("fr")
    assert before["title"] == "Introuvable"
    assert before["detail"] == "Il n'y a pas de réservation avec l'identifiant 'h-404'."
    french = _po("fr", locale_copy)
    _edit(french, 'msgstr "Introuvable"', 'msgstr "Pas trouvé"')
    _edit(french, "pas de réservation avec", "aucune réservation avec")
    _compile(french)
    i18n.translations.cache_clear()
    after = problem.to_dict("fr")
    assert after["title"] == "Pas trouvé"
    assert after["detail"] == "Il n'y a aucune réservation avec l'identifiant 'h-404'."
    assert problem.to_dict("nl")["title"] == "Niet gevonden"  # the other languages untouched
    assert str(problem) == "No hold with id 'h-404'"  # logs read the English source


def test_without_compiled_catalogues_the_app_says_how_to_build_them(locale_copy: Path) -> None:
    _po("fr", locale_copy).with_suffix(".mo").unlink()
    with pytest.raises(RuntimeError, match="make install"):
        not_found("order", "o-1").to_dict("fr")


def test_texts_in_the_three_languages_and_dutch_for_any_other() -> None:
    problem = invalid(FieldError("quantity", "not an integer", "an integer from 1 to 10"))
    assert [problem.to_dict(lang)["detail"] for lang in (*LANGUAGES, "de")] == [
        "Ongeldige waarde voor: quantity",
        "Valeur non valide pour : quantity",
        "Invalid value for: quantity",
        "Ongeldige waarde voor: quantity",
    ]
    assert translate("fr", "Ticket %(n)s of %(m)s", n=2, m=3) == "Billet 2 sur 3"
    assert str(lazy_text("Hello %(name)s,", name="An")) == "Hello An,"


@pytest.mark.parametrize(
    ("limit", "lang", "expected"),
    [
        (1, "nl", "maximaal 1 reservatie tegelijk"),
        (3, "nl", "maximaal 3 reservaties tegelijk"),
        (1, "fr", "au maximum 1 réservation à la fois"),
        (3, "fr", "au maximum 3 réservations à la fois"),
        (1, "en", "at most 1 reservation at a time"),
        (3, "en", "at most 3 reservations at a time"),
    ],
)
def test_plurals_agree_with_the_number(limit: int, lang: str, expected: str) -> None:
    assert expected in max_holds_per_client(limit).to_dict(lang)["detail"]


def test_placeholders_filled_in_the_language_rendered() -> None:
    """Data typed in three languages and amounts take the problem's language too."""
    tariff = {"nl": "Student", "fr": "Étudiant", "en": "Student"}
    assert max_per_order("t-1", tariff, 2).to_dict("fr")["detail"] == (
        "Vous pouvez acheter au maximum 2 billets au tarif « Étudiant » par commande."
    )
    refund = refund_exceeds_paid(5000, 4400)
    assert refund.to_dict("nl")["detail"] == "Je kan hoogstens €\u00a044,00 terugbetalen."
    assert refund.to_dict("fr")["detail"] == "Vous pouvez rembourser au maximum 44,00\u00a0€."
    assert str(refund) == "You can refund at most €44.00."
    assert performance_not_ready("no_seat_map").to_dict("nl")["detail"] == (
        "Deze voorstelling kan niet in verkoop: De zaal heeft nog geen zaalplan."
    )


def test_a_problem_still_takes_one_text_or_three() -> None:
    """What a framework said (one text) and data in three languages need no catalogue."""
    plain = Problem("conflict", detail="One text for all")
    assert plain.to_dict("fr")["detail"] == "One text for all"
    three = Problem("conflict", detail={"nl": "Bezet", "fr": "Occupé", "en": "Taken"})
    assert three.to_dict("fr")["detail"] == "Occupé" and str(three) == "Taken"


# --- dates and money --------------------------------------------------------------------------

SATURDAY = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lang", "when", "money"),
    [
        ("nl", "zaterdag 12 december 2026, 20:00", "€\u00a01.234,56"),
        ("fr", "samedi 12 décembre 2026, 20:00", "1\u202f234,56\u00a0€"),
        ("en", "Saturday 12 December 2026, 20:00", "€1,234.56"),
    ],
)
def test_dates_and_money_per_language(lang: str, when: str, money: str) -> None:
    assert format_when(SATURDAY, lang) == when
    assert format_eur(123456, lang) == money


# --- mails ------------------------------------------------------------------------------------

HOSTILE = 'Eve <script>alert("x")</script> & <b>co</b>'


def _order(lang: str, name: str = "Élise") -> tuple[SimpleNamespace, SimpleNamespace]:
    order = SimpleNamespace(
        id="o-1",
        customer=SimpleNamespace(name=name, language=lang, email="e@example.be"),
        lines=[
            SimpleNamespace(
                label="Balkon rij C stoel 12", tariff_name="Volwassene", total_cents=2400
            )
        ],
        total_cents=2500,
        vat_cents=142,
    )
    detail = SimpleNamespace(
        production=SimpleNamespace(title={"nl": "De storm", "fr": "La tempête", "en": "Storm"}),
        performance=SimpleNamespace(starts_at=SATURDAY),
        venue=SimpleNamespace(name="NTGent Schouwburg", city="Gent"),
        hall=SimpleNamespace(name="Grote zaal"),
        house=SimpleNamespace(name="NTGent"),
    )
    return order, detail


def test_a_mail_escapes_a_hostile_name_in_html_and_keeps_it_as_text() -> None:
    order, detail = _order("nl", HOSTILE)
    link = "https://shop.example/order.html?order=o-1&token=abc"
    _, text, html = ConfirmationMails().confirmation(order, detail, link)  # type: ignore[arg-type]
    assert "<script>" not in html and "<b>" not in html
    assert (
        "Dag Eve &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;,"
        in html
    )
    assert 'href="https://shop.example/order.html?order=o-1&amp;token=abc"' in html
    assert text.startswith(f"Dag {HOSTILE},\n\n")  # the plain text is not HTML: no entities
    assert link in text


@pytest.mark.parametrize(
    ("lang", "subject", "lines"),
    [
        (
            "nl",
            "Je tickets voor De storm",
            [
                "Wanneer: zaterdag 12 december 2026, 20:00",
                "- Balkon rij C stoel 12 — Volwassene — €\u00a024,00",
                "Totaal: €\u00a025,00 (waarvan btw €\u00a01,42)",
                "Bestelnummer: o-1",
                "Tot gauw,",
            ],
        ),
        (
            "fr",
            "Vos billets pour La tempête",
            [
                "Quand : samedi 12 décembre 2026, 20:00",
                "- Balkon rij C stoel 12 — Volwassene — 24,00\u00a0€",
                "Total : 25,00\u00a0€ (dont TVA 1,42\u00a0€)",
                "Numéro de commande : o-1",
                "À bientôt,",
            ],
        ),
        (
            "en",
            "Your tickets for Storm",
            [
                "When: Saturday 12 December 2026, 20:00",
                "- Balkon rij C stoel 12 — Volwassene — €24.00",
                "Total: €25.00 (of which VAT €1.42)",
                "Order number: o-1",
                "See you soon,",
            ],
        ),
    ],
)
def test_confirmation_mail_in_three_languages(lang: str, subject: str, lines: list[str]) -> None:
    order, detail = _order(lang)
    got_subject, text, html = ConfirmationMails().confirmation(order, detail, "https://x/o")  # type: ignore[arg-type]
    assert got_subject == subject
    assert set(lines) <= set(text.splitlines()), text
    assert f'<html lang="{lang}">' in html and lines[0] in html


def test_cancellation_and_apology_mails() -> None:
    order, detail = _order("fr")
    mails = ConfirmationMails()
    subject, text, _ = mails.cancellation(order, detail, 4400)  # type: ignore[arg-type]
    assert subject == "Votre commande pour La tempête est annulée"
    assert "du samedi 12 décembre 2026, 20:00 est annulée" in text
    assert "Nous remboursons 44,00\u00a0€ sur le compte" in text
    _, text, _ = mails.cancellation(order, detail, 0)  # type: ignore[arg-type]
    assert "Aucun montant n'est remboursé." in text
    order, detail = _order("nl")
    subject, text, html = mails.apology(order, detail)  # type: ignore[arg-type]
    assert subject == "Je bestelling voor De storm is terugbetaald"
    assert "het volledige bedrag (€\u00a025,00) teruggestort." in text
    assert text.endswith("\n\nTot gauw,\nNTGent") and "Tot gauw,<br>NTGent" in html


# --- cold start -------------------------------------------------------------------------------


def test_importing_the_app_loads_no_babel_jinja_or_catalogue() -> None:
    """Babel, Jinja2 and the .mo files cost cold-start time: paid by the first text, not by
    every function's import."""
    code = (
        "import sys, app; from chalicelib.core import i18n; "
        "print(sorted(m for m in ('babel', 'jinja2') if m in sys.modules), "
        "i18n.translations.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["[]", "0"], out.stdout
