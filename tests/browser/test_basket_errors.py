"""What a buyer sees when things go wrong between choosing seats and paying: the hold runs out
in the basket (the countdown reaches zero), the hold lapsed on the server before the buyer
pressed "pay", and the network drops while holding seats or placing the order — each with a
message a person understands and a way on, and nothing charged or taken twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.conftest import seat_states, stripe_base
from tests.browser.test_journey import (
    fill_checkout,
    go_to_checkout,
    hold_seats,
    open_performance,
    pick_seats_with_keyboard,
)

EXPIRED_NL = "Je reservering is verlopen. Kies je plaatsen opnieuw."
NETWORK_NL = "Geen verbinding met Podium. Controleer je internet en probeer opnieuw."


def held(page: Any) -> dict[str, Any]:
    """The hold the page keeps between the performance page and the checkout."""
    return page.evaluate("JSON.parse(sessionStorage.getItem('podium-hold')).hold")


def lapse_hold(view: dict[str, Any]) -> None:
    """Let a hold's time run out on the server, as if its minutes had passed: its record, its
    seats and its buyer slot all say it ended a second ago (the stack runs in this process)."""
    from chalicelib.store import keys
    from chalicelib.store.db import ms
    from chalicelib.store.models import ClientSlotItem, HoldItem, SeatItem

    past = ms(datetime.now(UTC) - timedelta(seconds=1))
    hold = HoldItem.get(keys.hold_pk(view["hold_id"]), keys.HOLD_SK)
    hold.update(actions=[HoldItem.held_until.set(past)])
    slot = ClientSlotItem.get(
        keys.client_pk(hold.performance, hold.client), keys.slot_sk(hold.client_slot)
    )
    slot.update(actions=[ClientSlotItem.held_until.set(past)])
    for seat in view["seats"]:
        item = SeatItem.get(
            keys.seats_pk(hold.performance, seat["section"]), keys.seat_sk(seat["id"])
        )
        item.update(actions=[SeatItem.held_until.set(past)])


def test_the_hold_runs_out_in_the_basket(
    shop_page: Any, site: str, performance: str, screenshot: Any
) -> None:
    page = shop_page
    page.clock.install()
    open_performance(page, performance, via_home=False)
    [seat] = pick_seats_with_keyboard(page, 1)
    hold_seats(page)
    hold = held(page)
    assert seat_states(site, performance)[seat] == "unavailable"

    lapse_hold(hold)
    page.clock.fast_forward("16:00")  # past the 15 minutes a hold lasts
    page.wait_for_function("!document.getElementById('problem').hidden")
    assert page.inner_text("#problem-text") == EXPIRED_NL
    assert page.is_hidden("#basket")
    assert page.evaluate("sessionStorage.getItem('podium-hold')") is None
    # The seats are shown free again, and can be chosen anew.
    node = f".seat[data-id='{seat}']"
    page.wait_for_function(
        "sel => document.querySelector(sel).classList.contains('free')", arg=node
    )
    assert page.get_attribute(node, "aria-disabled") is None
    assert not page.is_disabled("#best-submit")
    screenshot(page)


def test_the_hold_lapsed_before_paying(
    shop_page: Any, site: str, performance: str, screenshot: Any
) -> None:
    page = shop_page
    open_performance(page, performance, via_home=False)
    seats = pick_seats_with_keyboard(page, 2)
    hold_seats(page)
    go_to_checkout(page)
    fill_checkout(page)
    lapse_hold(held(page))

    page.click("#pay")
    problem = page.locator("#problem")
    problem.wait_for(state="visible")
    assert problem.inner_text() == EXPIRED_NL
    assert page.is_hidden("#form"), "nothing left to order"
    assert page.evaluate("document.activeElement.id") == "problem"
    assert "/performance.html" in (page.get_attribute("#back", "href") or "")
    assert page.url.endswith("/checkout.html?lang=nl"), "no payment page was opened"
    states = seat_states(site, performance)
    assert all(states[s] == "free" for s in seats), "the lapsed hold's seats are for sale again"
    screenshot(page)


def test_the_network_drops_while_holding_and_ordering(
    shop_page: Any, site: str, performance: str, screenshot: Any
) -> None:
    page = shop_page
    open_performance(page, performance, via_home=False)
    [seat] = pick_seats_with_keyboard(page, 1)

    page.context.set_offline(True)
    page.click("#hold-seats")
    page.wait_for_function("!document.getElementById('problem').hidden")
    assert page.inner_text("#problem-text") == NETWORK_NL
    retry = page.get_by_role("button", name="Opnieuw proberen")
    assert retry.is_visible()
    assert page.is_hidden("#basket")
    assert seat_states(site, performance)[seat] == "free", "nothing was held"
    screenshot(page, name="network-down-hold")

    page.context.set_offline(False)
    retry.click()
    page.wait_for_function("!document.getElementById('basket').hidden")
    assert page.is_hidden("#problem")
    assert seat_states(site, performance)[seat] == "unavailable"

    go_to_checkout(page)
    fill_checkout(page)
    page.context.set_offline(True)
    page.click("#pay")
    problem = page.locator("#problem")
    problem.wait_for(state="visible")
    assert NETWORK_NL in problem.inner_text()
    assert page.is_visible("#form") and not page.is_disabled("#pay"), "the buyer can try again"
    screenshot(page, name="network-down-checkout")

    page.context.set_offline(False)
    page.click("#pay")
    page.wait_for_url(stripe_base() + "/**")
    assert re.search(r"/pay/|/checkout", page.url), page.url
