"""The webshop's pages in a real browser: the home page browses the pre-rendered catalogue
only, switches cluster and language, is accessible (axe) at phone and desktop widths; the
order page tells a buyer when an order does not exist; and the home page stays small and
self-hosted."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import axe_violations

WEBSHOP = Path(__file__).resolve().parents[2] / "webshop"
HOME_BUDGET_BYTES = 100 * 1024


def catalogue(site: str, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{site}/catalogue/{path}", timeout=10) as response:
        return json.load(response)


def titles_on(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#performances li h2", "hs => hs.map(h => h.firstChild.textContent.trim())"
    )


def wait_for_list(page: Any, expected: list[str]) -> None:
    page.wait_for_function(
        """expected => {
            const hs = [...document.querySelectorAll('#performances li h2')];
            return JSON.stringify(hs.map(h => h.firstChild.textContent.trim()))
                === JSON.stringify(expected);
        }""",
        arg=expected,
    )


def open_home(page: Any, requests: list[str]) -> None:
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/")
    page.wait_for_selector("#performances li h2")


def test_home_lists_gent_from_the_static_catalogue(page: Any, site: str, screenshot: Any) -> None:
    requests: list[str] = []
    gent = catalogue(site, "nl/gent.json")
    expected = [p["title"] for p in gent["performances"]]
    assert expected, "the demo seeds performances in Gent"

    open_home(page, requests)
    wait_for_list(page, expected)
    assert titles_on(page) == expected
    assert page.get_attribute("html", "lang") == "nl"
    assert page.inner_text("#heading") == "Programma"
    assert page.inner_text("#status") == f"{len(expected)} voorstellingen"
    gent_button = page.get_by_role("button", name="Gent")
    assert gent_button.get_attribute("aria-pressed") == "true"
    screenshot(page)

    paths = [urlsplit(url).path for url in requests]
    assert "/catalogue/nl/gent.json" in paths
    assert not [p for p in paths if p.startswith("/v1")], "browsing must not call the API"
    assert page.foreign_requests == []


def test_switching_cluster_and_language(page: Any, site: str) -> None:
    requests: list[str] = []
    clusters = catalogue(site, "nl/clusters.json")["items"]
    other = next(c for c in clusters if c["id"] != "gent")
    open_home(page, requests)

    page.get_by_role("button", name=other["name"], exact=True).click()
    other_nl = catalogue(site, f"nl/{other['id']}.json")
    wait_for_list(page, [p["title"] for p in other_nl["performances"]])
    assert f"cluster={other['id']}" in page.url
    assert (
        page.get_by_role("button", name=other["name"], exact=True).get_attribute("aria-pressed")
        == "true"
    )

    page.get_by_role("button", name="FR", exact=True).click()
    other_fr = catalogue(site, f"fr/{other['id']}.json")
    wait_for_list(page, [p["title"] for p in other_fr["performances"]])
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert page.inner_text("#heading") == "Programme"
    assert page.inner_text("#status") == f"{len(other_fr['performances'])} représentations"
    assert "lang=fr" in page.url
    assert page.get_by_role("button", name="FR", exact=True).get_attribute("aria-pressed") == (
        "true"
    )
    french_badges = {"En vente", "Bientôt en vente", "Vente clôturée", "Complet", "Annulé"}
    badges = set(page.eval_on_selector_all(".badge", "bs => bs.map(b => b.textContent)"))
    assert badges and badges <= french_badges, badges

    paths = [urlsplit(url).path for url in requests]
    assert not [p for p in paths if p.startswith("/v1")], "browsing must not call the API"
    assert page.foreign_requests == []


def test_home_has_no_serious_accessibility_violations(page: Any) -> None:
    open_home(page, [])
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_unknown_order_says_not_found(page: Any, screenshot: Any) -> None:
    page.goto("/order.html?order=ord_doesnotexist&token=nope")
    page.wait_for_function("document.getElementById('status').textContent !== ''")
    assert page.inner_text("#status") == "Deze bestelling vonden we niet."
    assert page.is_hidden("#pdf")
    screenshot(page)

    page.goto("/order.html?order=ord_doesnotexist&token=nope&lang=fr")
    page.wait_for_function("document.getElementById('status').textContent !== ''")
    assert page.inner_text("#status") == "Commande introuvable."
    assert page.foreign_requests == []


# --- budget: no browser -----------------------------------------------------------------------

REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
CSS_REFERENCE = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""")
JS_IMPORT = re.compile(r"""\bimport\s*(?:[\w*{}\s,]+from\s*)?\(?\s*["']([^"']+)["']""")
ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+[a-z0-9](?::\d+)?""", re.IGNORECASE)


def _references(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return REFERENCE.findall(text)
    if path.suffix == ".css":
        return [a or b for a, b in CSS_REFERENCE.findall(text)]
    if path.suffix in (".js", ".mjs"):
        return JS_IMPORT.findall(text)
    return []


def home_page_files() -> tuple[list[Path], list[str]]:
    """index.html and the webshop files it pulls in (following CSS url()/@import and JS
    imports); and every reference that is not a file of the webshop."""
    files: list[Path] = []
    external: list[str] = []
    todo = [WEBSHOP / "index.html"]
    while todo:
        path = todo.pop()
        if path in files:
            continue
        files.append(path)
        for reference in _references(path):
            if reference.startswith(("data:", "#", "mailto:", "tel:")):
                continue
            parts = urlsplit(reference)
            if parts.scheme or parts.netloc:
                external.append(f"{path.name}: {reference}")
                continue
            if not parts.path or parts.path.endswith("/"):
                continue  # a link to a page (e.g. href="/"), not a resource of this page
            base = WEBSHOP if parts.path.startswith("/") else path.parent
            target = (base / parts.path.lstrip("/")).resolve()
            assert target.is_relative_to(WEBSHOP) and target.is_file(), (
                f"{path.name} references {reference}, which is not a file under webshop/"
            )
            if target.suffix in (".html",) and target != WEBSHOP / "index.html":
                continue  # a link to another page, not loaded with the home page
            todo.append(target)
    return files, external


@pytest.mark.parametrize("budget", [HOME_BUDGET_BYTES])
def test_home_page_weight_is_within_budget(budget: int) -> None:
    files, _ = home_page_files()
    names = {f.name for f in files}
    assert {"index.html", "style.css", "catalogue.js"} <= names, names
    total = sum(f.stat().st_size for f in files)
    assert total <= budget, {f.name: f.stat().st_size for f in files}


def test_home_page_uses_no_third_party_origin() -> None:
    files, external = home_page_files()
    assert external == [], "the home page references other origins"
    for path in files:
        found = [
            m.group(0)
            for m in ABSOLUTE_URL.finditer(path.read_text(encoding="utf-8"))
            if "www.w3.org" not in m.group(0)  # XML namespaces name, they do not load
        ]
        assert found == [], f"{path.name} names another origin: {found}"
