"""Money is integer euro cents everywhere; formatting is for people only."""

from __future__ import annotations


def format_eur(cents: int, lang: str) -> str:
    """Cents as a person reads them, by Babel: "€ 24,00" (nl_BE), "24,00 €" (fr_BE), "€24.00"
    (en). Its separators are no-break spaces, so an amount never wraps in a mail or a page."""
    from decimal import Decimal

    from babel.numbers import format_currency

    from chalicelib.core.i18n import BABEL_LOCALES, language

    # Decimal, not cents / 100: a float can round a half cent the wrong way.
    return format_currency(Decimal(cents).scaleb(-2), "EUR", locale=BABEL_LOCALES[language(lang)])
