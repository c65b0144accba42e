"""The embeddable widget (webshop/widget.js) on a house's own site (webshop/widget-demo.html,
served from the shop's origin in the tests): it lists only the house's upcoming performances
from the static catalogue, in a Shadow DOM the host page's CSS cannot restyle; "Tickets" opens
the performance page in an accessible modal dialog with an iframe (full screen on a phone),
Escape closes it and the focus returns to the button; axe finds nothing serious."""

from __future__ import annotations

import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import (
    SCREENSHOTS,
    VIEWPORTS,
    axe_violations,
    guarded_page,
    stripe_base,
)

WIDGET = Path(__file__).resolve().parents[2] / "webshop" / "widget.js"
HOUSE, CLUSTER = "campo", "gent"
HOTPINK = "rgb(255, 105, 180)"


def upcoming(site: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{site}/catalogue/nl/{CLUSTER}.json", timeout=10) as response:
        data = json.load(response)
    now = datetime.now(UTC)
    mine = [
        p
        for p in data["performances"]
        if p["house"] == HOUSE and datetime.fromisoformat(p["starts_at"]) > now
    ]
    return sorted(mine, key=lambda p: datetime.fromisoformat(p["starts_at"]))


def widget_titles(page: Any) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelector('podium-widget').shadowRoot
            .querySelectorAll('li h3')].map(h => h.firstChild.textContent.trim())"""
    )


def test_widget_on_a_house_site(page: Any, site: str, viewport_name: str, screenshot: Any) -> None:
    expected = upcoming(site)
    assert expected, "the demo seeds upcoming performances at CAMPO"
    assert WIDGET.stat().st_size < 10 * 1024, "the widget stays small"

    page.goto("/widget-demo.html")
    page.wait_for_function(
        "n => document.querySelector('podium-widget')?.shadowRoot"
        ".querySelectorAll('li').length === n",
        arg=len(expected),
    )
    assert widget_titles(page) == [p["title"] for p in expected]
    assert page.evaluate("document.querySelector('podium-widget').shadowRoot !== null")
    # Right after its <script>, and nothing of it in the light DOM.
    assert (
        page.evaluate(
            "document.querySelector('script[src=\"/widget.js\"]').nextElementSibling.localName"
        )
        == "podium-widget"
    )
    assert page.evaluate("document.querySelectorAll('li h3, ol').length") == 0

    # The host page styles every button hotpink; the widget's buttons are not.
    styles = page.evaluate(
        """() => {
            const root = document.querySelector('podium-widget').shadowRoot;
            const b = root.querySelector('li button');
            const s = getComputedStyle(b);
            return { bg: s.backgroundColor, border: s.borderStyle, font: s.fontFamily,
                     text: b.textContent,
                     page: getComputedStyle(document.querySelector('.newsletter button'))
                        .backgroundColor };
        }"""
    )
    assert styles["page"] == HOTPINK, "the demo page does style its own buttons"
    assert styles["bg"] != HOTPINK
    assert styles["border"] != "dashed"
    assert "Georgia" not in styles["font"]
    assert styles["text"] == "Tickets"

    assert axe_violations(page) == []
    screenshot(page)

    # Tickets → a modal dialog with the performance page in an iframe.
    index = next(i for i, p in enumerate(expected) if p["sales_status"] == "on_sale")
    performance = expected[index]
    button = page.locator("podium-widget li button").nth(index)
    button.click()
    dialog = page.locator("podium-widget dialog")
    dialog.wait_for(state="visible")
    assert page.evaluate(
        "document.querySelector('podium-widget').shadowRoot.querySelector('dialog').open"
    )
    frame_el = page.locator("podium-widget dialog iframe")
    src = urlsplit(frame_el.get_attribute("src"))
    assert f"{src.scheme}://{src.netloc}" == site
    assert src.path == "/performance.html"
    assert parse_qs(src.query) == {"id": [performance["id"]], "lang": ["nl"]}
    assert performance["title"] in (frame_el.get_attribute("title") or "")
    close = page.get_by_role("button", name="Sluiten")
    assert close.is_visible()
    assert dialog.get_attribute("aria-labelledby")

    frame = page.frame_locator("podium-widget dialog iframe")
    frame.locator("#picker").wait_for(state="visible")
    frame.locator("#map .seat, #pools form").first.wait_for()
    assert frame.locator("#title").inner_text() == performance["title"]

    box = dialog.bounding_box()
    assert box is not None
    width = VIEWPORTS[viewport_name]["width"]
    if width < 600:
        assert box["x"] == 0 and box["width"] == width, "full screen on a phone"
    else:
        assert box["width"] < width
    # The dialog is fixed to the viewport: a viewport (not full-page) screenshot shows it.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"test_widget_dialog-{viewport_name}.png"))

    # Escape closes it (and drops the iframe); the focus is back on the Tickets button.
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    # (The iframe goes and the focus returns in the dialog's "close" event, a task later.)
    page.wait_for_function(
        """i => {
            const root = document.querySelector('podium-widget').shadowRoot;
            return !root.querySelector('dialog iframe')
                && root.activeElement === root.querySelectorAll('li button')[i];
        }""",
        arg=index,
    )
    assert page.foreign_requests == []


@pytest.fixture(scope="module")
def house_site(site: str) -> Iterator[str]:
    """The demo house page served by a server of its own, on another port of 127.0.0.1 (so
    another origin), with the widget's tag pointing at the shop, as on a real house's site."""
    html = (WIDGET.parent / "widget-demo.html").read_text(encoding="utf-8")
    body = html.replace('src="/widget.js"', f'src="{site}/widget.js"').encode()
    assert f"{site}/widget.js".encode() in body

    class HousePage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), HousePage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/campo/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_widget_on_another_origin_checks_out_in_the_top_window(
    browser: Any, site: str, house_site: str, viewport_name: str
) -> None:
    """The house's site on its own origin: the widget reads the catalogue across origins
    (CORS), the seat picker runs in a cross-origin iframe, and "continue to payment" leaves
    the frame for the shop's checkout in the top window, carrying the hold (payment pages
    refuse to be framed)."""
    stripe = stripe_base()
    with guarded_page(browser, viewport_name, [house_site, site, stripe]) as page:
        page.goto(house_site)
        first = page.locator("podium-widget li button").first
        first.wait_for()
        on_sale = next(p for p in upcoming(site) if p["sales_status"] == "on_sale")
        page.locator("podium-widget li", has_text=on_sale["title"]).first.locator("button").click()
        frame = page.frame_locator("podium-widget dialog iframe")
        frame.locator("#picker").wait_for(state="visible")
        if frame.locator("#best").is_visible():
            frame.locator("#best-submit").click()
        else:
            frame.locator("#pools form button[type=submit]").first.click()
        frame.locator("#basket").wait_for(state="visible")
        link = frame.locator("#to-checkout")
        assert link.get_attribute("target") == "_top"

        link.click()
        page.wait_for_url(re.compile(re.escape(site) + r"/checkout\.html"))
        page.wait_for_function("!document.getElementById('form').hidden")
        assert urlsplit(page.url).fragment == "", "the hold leaves the address bar at once"
        assert page.locator("#lines li").count() == 1
        assert on_sale["title"] in page.inner_text("#show")
        page.get_by_label("Naam").fill("An Peeters")
        page.get_by_label("E-mailadres").fill("an@example.be")
        page.check("#terms")
        page.click("#pay")
        page.wait_for_url(stripe + "/**")  # the payment page, in the top window
        assert page.foreign_requests == []
