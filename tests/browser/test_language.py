"""The buyer's language on a first visit (issue #15, buyer item 1): without ?lang= the shop
speaks the browser's first language it knows (navigator.languages, what the browser also sends
as Accept-Language), else Dutch; a link's ?lang= wins. Prices are written as the API, the mail
and the ticket write them in that language (item 5): "24,00 €" in French."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("locale", "query", "expected"),
    [
        ("fr-BE", "", "fr"),  # a French browser, no link language
        ("de-DE", "", "nl"),  # a language we do not speak: Dutch
        ("en-GB", "", "en"),
        ("fr-BE", "?lang=nl", "nl"),  # the link's language wins
    ],
)
def test_a_first_visit_speaks_the_browsers_language(
    browser: Any, site: str, locale: str, query: str, expected: str
) -> None:
    context = browser.new_context(base_url=site, locale=locale)
    try:
        page = context.new_page()
        page.goto(f"/{query}")
        page.wait_for_selector("#performances li h2")
        assert page.evaluate("document.documentElement.lang") == expected
        pressed = page.locator('[data-lang][aria-pressed="true"]')
        assert pressed.get_attribute("data-lang") == expected
    finally:
        context.close()


def test_french_prices_are_written_the_french_way(browser: Any, site: str) -> None:
    context = browser.new_context(base_url=site, locale="fr-BE")
    try:
        page = context.new_page()
        page.goto("/?lang=fr")
        page.wait_for_selector("#performances li h2")
        prices = [
            text for text in page.locator("#performances li").all_inner_texts() if "€" in text
        ]
        assert prices, "the programme shows prices from"
        assert all("\u00a0€" in text or " €" in text for text in prices), prices[:2]
    finally:
        context.close()
