"""The order page after a completed purchase: a card per ticket with its QR code (served as
SVG by the API), an .ics file for the calendar built in the browser, accessible, at both
viewports. The order is placed through the API and paid through the Stripe double's control
API, so the test does not need the seat map."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_journey import get_json, post_json, stripe_base

CLIENT = "order-page-test-0123456_"  # 24 url-safe characters, as the shop's own ids


@pytest.fixture(scope="module")
def on_sale(site: str) -> str:
    """An on-sale seated performance in Gent with free seats to buy."""
    _, gent = get_json(site, "/catalogue/nl/gent.json")
    for candidate in gent["performances"]:
        if candidate["sales_status"] != "on_sale":
            continue
        status, plan = get_json(site, f"/v1/performances/{candidate['id']}/seats")
        if status == 200 and sum(s["state"] == "free" for s in plan["seats"]) >= 10:
            return candidate["id"]
    pytest.fail("the demo has no on-sale seated performance in Gent")


def completed_order(site: str, performance: str) -> dict[str, Any]:
    """Hold two free seats, order them, pay at the Stripe double: the completed order."""
    _, plan = get_json(site, f"/v1/performances/{performance}/seats")
    free = [s["id"] for s in plan["seats"] if s["state"] == "free"][-2:]
    status, hold = post_json(
        site, f"/v1/performances/{performance}/holds", {"seats": free}, **{"X-Client-Id": CLIENT}
    )
    assert status == 201, hold
    status, order = post_json(
        site,
        "/v1/orders",
        {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": s["id"], "tariff": "standaard"} for s in hold["seats"]],
            "customer": {"name": "An Peeters", "email": "an@example.be", "language": "nl"},
        },
    )
    assert status == 201, order
    session = order["payment_url"].rsplit("/", 1)[-1]
    pay = urllib.request.Request(
        f"{stripe_base()}/_double/sessions/{session}/pay", data=b"method=card", method="POST"
    )
    with urllib.request.urlopen(pay, timeout=10) as response:
        assert response.status == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        _, state = get_json(
            site, f"/v1/orders/{order['order_id']}", **{"X-Order-Token": order["access_token"]}
        )
        if state["status"] == "completed":
            return order
        time.sleep(0.2)
    pytest.fail(f"the order did not complete: {state['status']}")


def test_order_page_shows_ticket_qr_codes_and_a_calendar_file(
    page: Any, site: str, on_sale: str, screenshot: Any
) -> None:
    order = completed_order(site, on_sale)
    page.goto(f"/order.html?order={order['order_id']}&token={order['access_token']}")
    page.wait_for_function(
        "document.getElementById('status').textContent.startsWith('Klaar!')", timeout=15_000
    )
    page.wait_for_function(
        "() => { const imgs = [...document.querySelectorAll('#tickets img')];"
        " return imgs.length === 2 && imgs.every(i => i.complete && i.naturalWidth > 0); }"
    )
    cards = page.locator("#tickets li.ticket-card")
    assert cards.count() == 2
    alts = page.eval_on_selector_all("#tickets img", "is => is.map(i => i.alt)")
    assert all(alt.startswith("QR-code voor ") for alt in alts), alts
    ids = page.eval_on_selector_all("#tickets .ticket-id", "ds => ds.map(d => d.textContent)")
    assert all(ids) and len(set(ids)) == 2, ids

    page.wait_for_function("!document.getElementById('ics-row').hidden")
    link = page.locator("#ics")
    assert link.is_visible()
    assert link.inner_text() == "Zet in je agenda"
    assert (link.get_attribute("download") or "").endswith(".ics")
    ics = page.evaluate("async () => (await fetch(document.getElementById('ics').href)).text()")
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    unfolded = ics.replace("\r\n ", "")
    _, performance = get_json(site, f"/v1/performances/{on_sale}?lang=nl")
    title = performance["title"].replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    assert "BEGIN:VEVENT" in unfolded and f"SUMMARY:{title}\r\n" in unfolded
    assert f"UID:{order['order_id']}\r\n" in unfolded
    assert "DTSTART:" in unfolded and "Z\r\nDTEND:" in unfolded

    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    screenshot(page)
    assert page.foreign_requests == []
