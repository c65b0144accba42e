"""Languages: Dutch first, then French and English. Dutch is the fallback everywhere."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"

LocalizedText = Mapping[str, str]


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
    """One text in all three languages. Keywords, all required: a missing or swapped language
    shows where the text is written, not on a buyer's screen."""
    return {"nl": nl, "fr": fr, "en": en}


def counted(n: int, one: str, many: str) -> str:
    """A number with its noun, "1 plaats" or "3 plaatsen" (n is never 0 where it is used)."""
    return f"{n} {one if n == 1 else many}"


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
