"""Languages: Dutch first, then French and English. Dutch is the fallback everywhere.

Two kinds of text live here:

- the server's own words (problems, mails, the ticket PDF): gettext catalogues under
  `chalicelib/locale/<lang>/LC_MESSAGES/podium.po`, the English source text as msgid. Code
  names a text with `lazy_text` / `lazy_plural` (rendered later, in the caller's language) or
  `translate` / `translate_plural` (rendered now); `make i18n` extracts those calls into the
  catalogues, and a translator only ever edits the .po files.
- data in three languages that staff type in (titles, descriptions): `LocalizedText`, `pick`.

Dates and money are formatted by Babel with Belgian conventions (`nl_BE`, `fr_BE`, `en`).
Babel and gettext cost import time, so they are imported inside the functions that use them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import GNUTranslations

LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"
DOMAIN = "podium"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# The Babel locale per language: Belgian Dutch and French; English as CLDR's `en` (money as
# "€24.00"; dates use our own pattern below, so no US month-first order reaches a buyer).
BABEL_LOCALES: dict[str, str] = {"nl": "nl_BE", "fr": "fr_BE", "en": "en"}

LocalizedText = Mapping[str, str]


def language(lang: str) -> str:
    """`lang` if Podium speaks it, else Dutch."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


# --- the server's own words: gettext ---------------------------------------------------------


@functools.cache
def translations(lang: str) -> GNUTranslations:
    """The compiled catalogue of `lang` (Dutch for a language we do not speak), read once per
    process: a cold start pays for one small .mo file per language it actually answers in."""
    import gettext

    lang = language(lang)
    try:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    except FileNotFoundError as error:
        # Loud rather than English to a Dutch buyer: the .mo files are build output.
        raise RuntimeError(
            f"no compiled catalogue for {lang!r} in {LOCALE_DIR}: `make install` compiles them"
        ) from error


def translate(lang: str, msgid: str, /, **params: object) -> str:
    """`msgid` (the English source text) in `lang`, with its `%(name)s` placeholders filled."""
    return lazy_text(msgid, **params).render(lang)


def translate_plural(lang: str, singular: str, plural: str, n: int, /, **params: object) -> str:
    """The form of `singular`/`plural` that agrees with `n`, in `lang`; `n` fills `%(n)s`."""
    return lazy_plural(singular, plural, n, **params).render(lang)


@dataclass(frozen=True)
class Message:
    """A server text not yet in any language: rendered per request, in the caller's language.
    A placeholder's value may itself be a `Message` or a `LocalizedText`, rendered in the same
    language; `str()` is the English source, for logs."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)
    plural: str | None = None
    n: int = 1

    def render(self, lang: str) -> str:
        catalogue = translations(lang)
        if self.plural is None:
            template = catalogue.gettext(self.msgid)
        else:
            template = catalogue.ngettext(self.msgid, self.plural, self.n)
        return self._fill(template, language(lang))

    def source(self) -> str:
        """The English source text, filled in without any catalogue."""
        template = self.msgid if self.plural is None or self.n == 1 else self.plural
        return self._fill(template, None)

    def _fill(self, template: str, lang: str | None) -> str:
        if not self.params:
            return template
        values = {name: _value(value, lang) for name, value in self.params.items()}
        return template % values

    def __str__(self) -> str:
        return self.source()


@dataclass(frozen=True)
class Amount:
    """Euro cents as a placeholder's value: formatted in the language the text is rendered in."""

    cents: int


def _value(value: object, lang: str | None) -> object:
    if isinstance(value, Message):
        return value.source() if lang is None else value.render(lang)
    if isinstance(value, Amount):
        from chalicelib.core.money import format_eur

        return format_eur(value.cents, lang or "en")
    if isinstance(value, Mapping):
        return pick(value, lang or "en")
    return value


def lazy_text(msgid: str, /, **params: object) -> Message:
    """A text to render later in the caller's language (a problem's detail)."""
    return Message(msgid, params)


def lazy_plural(singular: str, plural: str, n: int, /, **params: object) -> Message:
    """A text whose words agree with `n` ("1 seat", "3 seats"); `n` also fills `%(n)s`."""
    return Message(singular, {"n": n, **params}, plural, n)


# --- data typed in three languages ------------------------------------------------------------


def pick(text: LocalizedText | None, lang: str) -> str:
    """The text in `lang`, else Dutch, else whatever language is there, else ''."""
    if not text:
        return ""
    for candidate in (lang, DEFAULT_LANGUAGE, *LANGUAGES):
        value = text.get(candidate)
        if value:
            return value
    return next(iter(text.values()), "")


def localized(*, nl: str, fr: str, en: str) -> LocalizedText:
    """One text in all three languages, for data (a seat map's section names, demo content).
    The server's own words are in the catalogues instead: see `lazy_text`."""
    return {"nl": nl, "fr": fr, "en": en}


# --- dates and money --------------------------------------------------------------------------


# Our pattern, CLDR's names and digits: "zaterdag 12 december 2026, 20:00" reads the same way
# in the three languages, on the ticket and in the mail.
_WHEN = "EEEE d MMMM y, HH:mm"
# French writes the first of a month as an ordinal ("1er janvier"); CLDR's patterns cannot.
_WHEN_FIRST_FR = "EEEE d'er' MMMM y, HH:mm"


def format_when(moment: datetime, lang: str) -> str:
    """An instant as Brussels wall-clock time with weekday and month written out."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every instant in Podium carries a time zone")
    from babel.dates import format_datetime

    from chalicelib.core.clock import BRUSSELS

    lang = language(lang)
    local = moment.astimezone(BRUSSELS)
    pattern = _WHEN_FIRST_FR if lang == "fr" and local.day == 1 else _WHEN
    return format_datetime(local, pattern, tzinfo=BRUSSELS, locale=BABEL_LOCALES[lang])


# --- the request's language -------------------------------------------------------------------


def from_accept_language(header: str | None) -> str:
    """The best supported language in an Accept-Language header (RFC 9110 q-values)."""
    if not header:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE
