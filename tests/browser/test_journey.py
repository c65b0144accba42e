"""A buyer's whole journey in a real browser: the programme, a performance in a seated hall,
two seats chosen on the map with the keyboard only, the hold and its basket, the checkout
form, the Stripe double's hosted page, and the order page until the tickets' PDF exists.
Also: a seat taken by someone else just before holding, a declined then expired payment,
the performance page in French, and axe on the performance, checkout and order pages."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import (
    axe_violations,
    get_json,
    post_json,
    seat_states,
    stripe_base,
)

OTHER_CLIENT = "someone-else-0123456789_"  # 24 url-safe characters, as the shop's own ids


# --- helpers ----------------------------------------------------------------------------------


def open_performance(page: Any, performance: str, *, via_home: bool = True) -> str:
    """Open the performance the way a person would: from the programme if it links to it,
    else straight to its page. Returns how it got there ("link" or "url")."""
    how = "url"
    if via_home:
        page.goto("/?cluster=gent")
        page.wait_for_selector("#performances li h2")
        link = page.locator(f'#performances a[href*="performance.html"][href*="{performance}"]')
        if link.count():
            link.first.click()
            how = "link"
    if how == "url":
        page.goto(f"/performance.html?id={performance}")
    page.wait_for_selector("#map .seat")
    page.wait_for_function("!document.getElementById('picker').hidden")
    return how


def focused_seat(page: Any) -> dict[str, Any] | None:
    return page.evaluate(
        """() => {
            const s = document.activeElement;
            if (!s || !s.classList || !s.classList.contains('seat')) return null;
            return { id: s.dataset.id, free: !s.hasAttribute('aria-disabled'),
                     checked: s.getAttribute('aria-checked') === 'true' };
        }"""
    )


def pick_seats_with_keyboard(page: Any, count: int) -> list[str]:
    """Tab into the map (from the zoom buttons before it), move with the arrow keys and
    choose free seats with Enter. Returns the chosen seat ids."""
    page.focus("#zoom-in")
    page.keyboard.press("Tab")
    seat = focused_seat(page)
    assert seat is not None, "Tab from the zoom buttons lands on a seat of the map"
    chosen: list[str] = []
    moves = 0
    keys = ["ArrowRight"] * 20 + ["ArrowDown"]
    while len(chosen) < count:
        seat = focused_seat(page)
        assert seat is not None, "the focus stays on the map"
        if seat["free"] and not seat["checked"]:
            page.keyboard.press("Enter")
            page.wait_for_function(
                "id => document.querySelector(`.seat[data-id='${id}']`)"
                ".getAttribute('aria-checked') === 'true'",
                arg=seat["id"],
            )
            chosen.append(seat["id"])
        before = seat["id"]
        page.keyboard.press(keys[moves % len(keys)])
        moves += 1
        assert moves < 200, "no free seats reachable with the arrow keys"
        after = focused_seat(page)
        if after and after["id"] == before:  # the end of a row: go down a row
            page.keyboard.press("ArrowDown")
    return chosen


def hold_seats(page: Any) -> None:
    page.click("#hold-seats")
    page.wait_for_function("!document.getElementById('basket').hidden")


def go_to_checkout(page: Any) -> None:
    page.click("#to-checkout")
    page.wait_for_url(re.compile(r"/checkout\.html"))
    page.wait_for_function("!document.getElementById('form').hidden")


def fill_checkout(page: Any) -> None:
    page.get_by_label("Naam").fill("An Peeters")
    page.get_by_label("E-mailadres").fill("an@example.be")
    page.check("#terms")


def submit_checkout(page: Any) -> None:
    page.click("#pay")
    page.wait_for_url(stripe_base() + "/**")
    page.wait_for_selector('button[name="action"][value="pay"]')


def order_status(page: Any) -> str:
    return page.inner_text("#status")


def screenshots(screenshot: Any, page: Any, step: str) -> None:
    screenshot(page, name=f"journey-{step}")


# --- 1. the whole journey ---------------------------------------------------------------------


def test_whole_journey_keyboard_seats_to_tickets_pdf(
    shop_page: Any, site: str, performance: str, screenshot: Any
) -> None:
    page = shop_page
    how = open_performance(page, performance)
    assert how == "link", "the programme links to the performance's page"
    assert page.inner_text("#title"), "the performance's title"
    screenshots(screenshot, page, "1-performance")

    seats = pick_seats_with_keyboard(page, 2)
    assert len(set(seats)) == 2
    page.wait_for_function(
        "document.getElementById('chosen').textContent.startsWith('2 plaatsen gekozen')"
    )
    screenshots(screenshot, page, "2-seats-chosen")

    hold_seats(page)
    assert page.locator("#basket-lines li").count() == 2
    assert re.fullmatch(r"\d\d:\d\d", page.inner_text("#countdown")), page.inner_text("#countdown")
    assert page.inner_text("#countdown") != "00:00"
    states = seat_states(site, performance)
    assert all(states[s] != "free" for s in seats), "the hold takes the seats off sale"
    screenshots(screenshot, page, "3-basket")

    # another tariff for the second ticket, if the hall offers one for its zone
    options = page.eval_on_selector_all("#tariff-1 option", "os => os.map(o => o.value)")
    tariff = options[-1]
    page.select_option("#tariff-1", tariff)
    assert page.input_value("#tariff-1") == tariff
    tariff_name = page.eval_on_selector(
        "#tariff-1", "s => s.options[s.selectedIndex].textContent.split(' — ')[0]"
    )
    basket_total = page.inner_text("#total").split(" (")[0]  # "€ 41,00 (waarvan servicekosten …)"
    assert "servicekosten" in page.inner_text("#total")

    go_to_checkout(page)
    lines = page.eval_on_selector_all("#lines li", "ls => ls.map(l => l.textContent)")
    assert len(lines) == 2, lines
    assert page.inner_text("#total").split(" (")[0] == basket_total, "checkout says the same"
    assert "servicekosten" in page.inner_text("#total")
    assert tariff_name in lines[1], lines
    fill_checkout(page)
    screenshots(screenshot, page, "4-checkout")
    submit_checkout(page)
    screenshots(screenshot, page, "5-payment")

    page.get_by_role("button", name="Betalen / Pay").click()
    page.wait_for_url(re.compile(re.escape(site) + r"/order\.html\?"))
    page.wait_for_function(
        "document.getElementById('status').textContent.startsWith('Klaar!')", timeout=30_000
    )
    assert order_status(page) == "Klaar! Je tickets staan hieronder en in je mailbox."
    amount = " ".join(basket_total.split())  # Intl writes a no-break space, the API a space
    assert amount in " ".join(page.inner_text("#total").split()), "the basket showed the charge"
    order_lines = page.eval_on_selector_all("#lines li", "ls => ls.map(l => l.textContent)")
    assert len(order_lines) == 2 and any(tariff_name in line for line in order_lines), order_lines
    pdf = page.locator("#pdf")
    assert pdf.is_visible()
    pdf_url = pdf.get_attribute("href")
    assert pdf_url
    with urllib.request.urlopen(pdf_url, timeout=10) as response:
        assert response.read(5) == b"%PDF-"
    screenshots(screenshot, page, "6-order")

    # the only other origin the buyer's browser touched is the Stripe double
    assert page.foreign_requests == []
    # the programme does not link to performance pages yet: then the page is opened by URL
    assert how in ("link", "url")


# --- 2. a seat taken just before holding ------------------------------------------------------


def test_seat_taken_by_someone_else_before_holding(
    shop_page: Any, site: str, performance: str, screenshot: Any
) -> None:
    page = shop_page
    open_performance(page, performance, via_home=False)
    [seat] = pick_seats_with_keyboard(page, 1)

    status, body = post_json(
        site,
        f"/v1/performances/{performance}/holds",
        {"seats": [seat]},
        **{"X-Client-Id": OTHER_CLIENT},
    )
    assert status == 201, body

    page.click("#hold-seats")
    page.wait_for_function("!document.getElementById('problem').hidden")
    problem = page.inner_text("#problem-text")
    assert "net door iemand anders genomen" in problem, problem
    node = f".seat[data-id='{seat}']"
    page.wait_for_function(
        "sel => !document.querySelector(sel).classList.contains('free')", arg=node
    )
    assert page.get_attribute(node, "aria-disabled") == "true"
    assert page.get_attribute(node, "aria-checked") == "false"
    assert page.is_hidden("#basket")
    assert page.is_disabled("#hold-seats"), "nothing chosen any more"
    screenshot(page)


# --- 3. declined, then expired payment --------------------------------------------------------


def test_declined_then_expired_payment_cancels_the_order(
    shop_page: Any, performance: str, site: str, screenshot: Any
) -> None:
    page = shop_page
    open_performance(page, performance, via_home=False)
    seats = pick_seats_with_keyboard(page, 1)
    hold_seats(page)
    go_to_checkout(page)
    fill_checkout(page)
    submit_checkout(page)

    page.get_by_role("button", name="Weigeren / Decline").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Uw kaart werd geweigerd" in alert.inner_text()
    screenshot(page, name="declined-payment")

    page.get_by_role("button", name="Laten verlopen / Let it expire").click()
    page.wait_for_url(re.compile(re.escape(site) + r"/order\.html\?"))
    page.wait_for_function(
        "document.getElementById('status').textContent.includes('geannuleerd')", timeout=30_000
    )
    assert order_status(page) == "Deze bestelling is geannuleerd; er werd niets aangerekend."
    assert page.is_hidden("#pdf")
    screenshot(page, name="cancelled-order")
    assert all(seat_states(site, performance)[s] == "free" for s in seats), "seats back on sale"


# --- 4. language ------------------------------------------------------------------------------

FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_performance_page_in_french_and_english(
    shop_page: Any, site: str, performance: str
) -> None:
    page = shop_page
    page.goto(f"/performance.html?id={performance}&lang=fr")
    page.wait_for_selector("#map .seat")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("#back") == "← Programme"
    assert page.inner_text("#picker-title") == "Choisissez vos places"
    assert page.inner_text("#tariffs-title") == "Tarifs"
    assert page.inner_text("#hold-seats") == "Réserver ces places"
    assert page.inner_text("#chosen") == "Aucune place choisie."
    facts = page.eval_on_selector_all("#facts dt", "ds => ds.map(d => d.textContent)")
    assert {"Lieu", "Vente"} <= set(facts), facts
    assert "En vente" in page.eval_on_selector_all("#facts dd", "ds => ds.map(d => d.textContent)")
    when = page.inner_text("#when").lower()
    assert when.startswith(FRENCH_WEEKDAYS), when
    label = page.get_attribute("#map svg", "aria-label")
    assert label == "Plan de salle : choisissez vos sièges"
    assert "lang=fr" in page.get_attribute("#back", "href")
    _, detail = get_json(site, f"/v1/performances/{performance}?lang=fr")
    assert page.inner_text("#title") == detail["title"]

    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_selector("#map .seat")
    assert "lang=en" in urlsplit(page.url).query
    assert page.inner_text("#picker-title") == "Choose your seats"
    assert page.get_by_role("button", name="EN", exact=True).get_attribute("aria-pressed") == (
        "true"
    )


# --- 5. accessibility -------------------------------------------------------------------------


def assert_no_serious_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_performance_page_with_seat_picker_and_basket_is_accessible(
    shop_page: Any, performance: str
) -> None:
    page = shop_page
    open_performance(page, performance, via_home=False)
    pick_seats_with_keyboard(page, 1)
    assert_no_serious_violations(page)
    hold_seats(page)
    assert_no_serious_violations(page)


def test_checkout_and_order_pages_are_accessible(shop_page: Any, performance: str) -> None:
    page = shop_page
    open_performance(page, performance, via_home=False)
    pick_seats_with_keyboard(page, 1)
    hold_seats(page)
    go_to_checkout(page)
    assert_no_serious_violations(page)
    page.click("#pay")  # empty form: the errors shown must be accessible too
    page.wait_for_function("!document.getElementById('problem').hidden")
    assert_no_serious_violations(page)
    fill_checkout(page)
    submit_checkout(page)
    page.get_by_role("button", name="Betalen / Pay").click()
    page.wait_for_url(re.compile(r"/order\.html\?"))
    page.wait_for_function(
        "document.getElementById('status').textContent.startsWith('Klaar!')", timeout=30_000
    )
    assert_no_serious_violations(page)
