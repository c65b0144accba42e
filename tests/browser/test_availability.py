"""Live availability in the shop: when a performance's seats run low or out, the published
snapshot (/catalogue/availability/<cluster>.json) makes the programme, the house's widget and
the performance page's schema.org Event say so ("few seats left" → LimitedAvailability, "sold
out" → SoldOut); an untouched one stays InStock, a cancelled one is EventCancelled. Seats are
taken out of sale in-process (the stack runs in this process), as a box office blocks them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import get_json

CLUSTER = "gent"
SCHEMA = "https://schema.org/"


def seated_on_sale(site: str, house: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Gent's on-sale performances in halls with numbered seats only, latest first (the
    journey tests take the earliest ones), with their seat plans."""
    _, gent = get_json(site, f"/catalogue/nl/{CLUSTER}.json")
    found = []
    for p in reversed(gent["performances"]):
        if p["sales_status"] != "on_sale" or (house and p["house"] != house):
            continue
        _, plan = get_json(site, f"/v1/performances/{p['id']}/seats")
        if plan["seats"] and not plan["pools"] and plan["summary"]["free_seats"] > 20:
            found.append((p["id"], plan))
    return found


def leave_free(performance: str, plan: dict[str, Any], left: int) -> None:
    """Block every free seat but `left` of them (one transaction carries at most 100)."""
    from chalicelib.bootstrap import container

    free = [s["id"] for s in plan["seats"] if s["state"] == "free"]
    to_block = free[left:]
    for start in range(0, len(to_block), 100):
        container().inventory().block(
            performance, to_block[start : start + 100], "test: sold elsewhere"
        )


def publish_now() -> None:
    from chalicelib.inventory.availability import publish_availability

    publish_availability([CLUSTER])


def json_ld(page: Any, performance: str) -> dict[str, Any]:
    page.goto(f"/performance.html?id={performance}")
    page.wait_for_function(
        "() => { const s = document.querySelector('script[type=\"application/ld+json\"]');"
        " return s && JSON.parse(s.textContent).offers.length"
        " && JSON.parse(s.textContent).offers[0].availability; }"
    )
    # The seat plan arrives after the details: wait until the JSON-LD has been written again.
    page.wait_for_function(
        "!document.getElementById('picker').hidden || !document.getElementById('sales').hidden"
    )
    return json.loads(page.inner_text('script[type="application/ld+json"]'))


@pytest.fixture(scope="module")
def scarce(site: str) -> dict[str, str]:
    """One performance with 1 seat left (≤ 10 %: few left), one with none, one untouched; and
    a CAMPO performance with few left for the widget."""
    candidates = seated_on_sale(site)
    assert len(candidates) >= 3, "the demo has seated on-sale performances in Gent"
    limited, sold_out, untouched = candidates[0], candidates[1], candidates[2]
    leave_free(*limited, left=1)
    leave_free(*sold_out, left=0)
    campo = [c for c in seated_on_sale(site, "campo") if c[0] not in (limited[0], sold_out[0])]
    widget = campo[0] if len(campo) > 1 else None  # never CAMPO's first: the widget tests buy it
    if widget:
        leave_free(*widget, left=1)
    publish_now()
    return {
        "limited": limited[0],
        "sold_out": sold_out[0],
        "untouched": untouched[0],
        "widget": widget[0] if widget else "",
    }


def test_the_snapshot_counts_what_is_left(site: str, scarce: dict[str, str]) -> None:
    status, snapshot = get_json(site, f"/catalogue/availability/{CLUSTER}.json")
    assert status == 200
    performances = snapshot["performances"]
    assert performances[scarce["limited"]]["level"] == "limited"
    assert performances[scarce["limited"]]["free"] == 1
    assert performances[scarce["sold_out"]] == {
        "level": "sold_out",
        "free": 0,
        "capacity": performances[scarce["sold_out"]]["capacity"],
    }
    assert performances[scarce["untouched"]]["level"] == "available"


def test_programme_badges_follow_availability(
    page: Any, scarce: dict[str, str], screenshot: Any
) -> None:
    page.goto(f"/?cluster={CLUSTER}")
    page.wait_for_selector("#performances li[data-id]")

    def badge(performance: str) -> str:
        return page.inner_text(f"#performances li[data-id='{performance}'] .badge")

    assert badge(scarce["limited"]) == "Nog enkele plaatsen"
    assert badge(scarce["sold_out"]) == "Uitverkocht"
    assert badge(scarce["untouched"]) == "In verkoop"
    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_function(
        "id => document.querySelector(`#performances li[data-id='${id}'] .badge`)"
        "?.textContent === 'Few seats left'",
        arg=scarce["limited"],
    )
    assert badge(scarce["sold_out"]) == "Sold out"
    page.locator(f"#performances li[data-id='{scarce['limited']}']").scroll_into_view_if_needed()
    screenshot(page)


@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_event_json_ld_follows_inventory(
    page: Any, site: str, scarce: dict[str, str], viewport_name: str
) -> None:
    data = json_ld(page, scarce["untouched"])
    assert data["@type"] == "Event"
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["offers"] and {o["priceCurrency"] for o in data["offers"]} == {"EUR"}
    assert all(float(o["price"]) >= 0 for o in data["offers"])
    assert {o["availability"] for o in data["offers"]} == {SCHEMA + "InStock"}

    data = json_ld(page, scarce["limited"])
    assert {o["availability"] for o in data["offers"]} == {SCHEMA + "LimitedAvailability"}
    data = json_ld(page, scarce["sold_out"])
    assert {o["availability"] for o in data["offers"]} == {SCHEMA + "SoldOut"}

    _, gent = get_json(site, f"/catalogue/nl/{CLUSTER}.json")
    cancelled = next(p["id"] for p in gent["performances"] if p["sales_status"] == "cancelled")
    page.goto(f"/performance.html?id={cancelled}")
    page.wait_for_function("!document.getElementById('sales').hidden")
    data = json.loads(page.inner_text('script[type="application/ld+json"]'))
    assert data["eventStatus"] == SCHEMA + "EventCancelled"


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_widget_badges_follow_availability(
    page: Any, scarce: dict[str, str], viewport_name: str
) -> None:
    assert scarce["widget"], "the demo has more than one seated on-sale performance at CAMPO"
    page.goto("/widget-demo.html")
    page.wait_for_function(
        "() => document.querySelector('podium-widget')?.shadowRoot.querySelectorAll('li').length"
    )
    badges = page.evaluate(
        """() => [...document.querySelector('podium-widget').shadowRoot.querySelectorAll('li')]
            .map(li => li.querySelector('.b')?.textContent || '')"""
    )
    assert badges.count("Nog enkele plaatsen") == 1, badges
