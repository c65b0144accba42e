"""Money is integer euro cents everywhere; formatting is for people only."""

from __future__ import annotations


def format_eur(cents: int, lang: str) -> str:
    """`€ 24,00` in Dutch and French, `€24.00` in English."""
    euros, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    if lang == "en":
        return f"{sign}€{euros:,}.{rest:02d}"
    grouped = f"{euros:,}".replace(",", "\u202f" if lang == "fr" else ".")
    return f"{sign}€ {grouped},{rest:02d}"
