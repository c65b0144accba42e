"""Browser test fixtures: the whole local stack in this process with the demo seeded, the
webshop and API served on one free port (as CloudFront does in AWS), and Debian's Chromium
driven by Playwright's sync API (`playwright install` cannot download browsers here).

Fixtures:
- `site`           base URL of the seeded shop (package scope: one stack for tests/browser)
- `browser`        headless /usr/bin/chromium (package scope)
- `viewport_name`  "phone" (390x844) or "desktop" (1440x900); tests that use `page` run at both
- `page`           a fresh context and page at that viewport; requests to any other origin are
                   aborted and recorded in `page.foreign_requests`
- `screenshot`     `screenshot(page)` saves test-artifacts/screenshots/<test>-<viewport>.png
- `shop_page`      like `page`, but the Stripe double's hosted page may load too
- `performance`    an on-sale performance in Gent in a seated hall (module scope)

Helpers: `axe_violations(page, impacts=("serious", "critical"))`, `get_json`, `post_json`,
`seat_states`, `stripe_base`.
"""

from __future__ import annotations

import json
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / ".local" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORTS: dict[str, dict[str, int]] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1440, "height": 900},
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ is a browser test (one xdist unit: tests/conftest.py)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def site() -> Iterator[str]:
    """The local stack in-process, the demo seeded (which publishes the static catalogue to
    the bucket), webshop + /catalogue + /v1 served on a free port, the availability snapshot
    re-published in the background as `podium demo` does (a test that changed seats can publish
    at once: `publish_availability(["gent"])` from chalicelib.inventory.availability). The
    environment is restored afterwards, so the tests that follow see none of it."""
    saved = dict(os.environ)
    from local.stack import LocalStack, forget_app_clients, free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stack = LocalStack(public_url=base)
    stack.start()
    server = schedule = None
    try:
        from app import app
        from local.schedules import start_availability_publishing
        from local.seed import seed
        from local.server import make_server

        forget_app_clients()
        seed()
        server = make_server(app, "127.0.0.1", port)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        schedule = start_availability_publishing()
        yield base
    finally:
        if schedule is not None:
            schedule.stop()
        if server is not None:
            server.shutdown()
            server.server_close()
        from local import stepfunctions

        stepfunctions.uninstall_inprocess_lambda_runner()
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        forget_app_clients()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test-tools` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def page(browser: Any, site: str, viewport_name: str) -> Iterator[Any]:
    """A fresh page at the viewport; nothing leaves the shop's origin (other origins are
    aborted and listed in `page.foreign_requests`)."""
    with guarded_page(browser, viewport_name, [site], base_url=site) as browser_page:
        yield browser_page


@contextmanager
def guarded_page(
    browser: Any, viewport_name: str, origins: list[str], base_url: str | None = None
) -> Iterator[Any]:
    """A fresh context and page at the viewport that may load only these origins; requests to
    any other are aborted and listed in `page.foreign_requests`."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport_name], base_url=base_url, locale="nl-BE", timezone_id="UTC"
    )
    context.set_default_timeout(10_000)
    foreign: list[str] = []
    allowed = (*(origin.rstrip("/") + "/" for origin in origins), "data:", "blob:")

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(allowed):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route(re.compile(r".*"), guard)
    browser_page = context.new_page()
    browser_page.foreign_requests = foreign
    try:
        yield browser_page
    finally:
        context.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, viewport_name: str) -> Callable[..., Path]:
    """`screenshot(page)` → test-artifacts/screenshots/<test>-<viewport>.png (full page)."""

    def take(page: Any, name: str | None = None) -> Path:
        test = name or request.node.originalname
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test}-{viewport_name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def axe_violations(
    page: Any, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """Run axe-core (from .local/node, installed by `make test-tools`) on the page; the
    violations of the given impacts, each as {id, impact, help, targets}."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test-tools`")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in impacts
    ]


# --- the shop with its one other origin (the Stripe double), and a performance to buy -------

MIN_SEATS = 100


def get_json(site: str, path: str, **headers: str) -> tuple[int, Any]:
    request = urllib.request.Request(site + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def post_json(site: str, path: str, body: Any, **headers: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        site + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def stripe_base() -> str:
    """The Stripe double's origin: the stack points the app at it while `site` is up."""
    base = os.environ.get("STRIPE_API_BASE", "")
    assert base, "the local stack runs the Stripe double"
    return base.rstrip("/")


@pytest.fixture(scope="module")
def performance(site: str) -> str:
    """An on-sale performance in Gent, in a seated hall of at least 100 seats (via the API)."""
    _, gent = get_json(site, "/catalogue/nl/gent.json")
    for candidate in gent["performances"]:
        if candidate["sales_status"] != "on_sale":
            continue
        status, plan = get_json(site, f"/v1/performances/{candidate['id']}/seats")
        if status != 200:
            continue
        free = [s for s in plan["seats"] if s["state"] == "free"]
        if len(plan["seats"]) >= MIN_SEATS and len(free) >= 20:
            return candidate["id"]
    pytest.fail(f"the demo has no on-sale performance in Gent with ≥ {MIN_SEATS} seats")


def seat_states(site: str, performance: str) -> dict[str, str]:
    _, plan = get_json(site, f"/v1/performances/{performance}/seats")
    return {seat["id"]: seat["state"] for seat in plan["seats"]}


@pytest.fixture
def shop_page(browser: Any, site: str, viewport_name: str) -> Iterator[Any]:
    """Like `page`, but the Stripe double's hosted page may load too (it is the one other
    origin a buyer visits); anything else is aborted and listed in `foreign_requests`."""
    stripe = stripe_base()
    with guarded_page(browser, viewport_name, [site, stripe], base_url=site) as browser_page:
        yield browser_page
