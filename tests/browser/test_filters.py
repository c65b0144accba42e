"""The home page's filters (house, genre, dates in Europe/Brussels, title text) work on the
pre-rendered catalogue JSON in the browser: the list matches the JSON filtered the same way,
the filters live in the URL (a reload keeps them), "Wis filters" clears them, the API is never
called, and the filtered page stays accessible at phone and desktop widths."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from tests.browser.conftest import axe_violations
from tests.browser.test_pages import catalogue, titles_on, wait_for_list

BRUSSELS = ZoneInfo("Europe/Brussels")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def day_of(performance: dict[str, Any]) -> str:
    starts = datetime.fromisoformat(performance["starts_at"].replace("Z", "+00:00"))
    return starts.astimezone(BRUSSELS).date().isoformat()


def titles(performances: list[dict[str, Any]]) -> list[str]:
    return [p["title"] for p in performances]


def open_page(page: Any, path: str) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(urlsplit(request.url).path))
    page.goto(path)
    page.wait_for_selector("#performances li h2")
    return requests


def assert_shown(page: Any, expected: list[dict[str, Any]], count: str) -> None:
    assert expected, "the demo data should give this filter some matches"
    wait_for_list(page, titles(expected))
    assert titles_on(page) == titles(expected)
    assert page.inner_text("#status") == count


def no_api(requests: list[str], page: Any) -> None:
    assert [p for p in requests if p.startswith("/v1")] == [], "filtering must not call the API"
    assert page.foreign_requests == []


def test_house_genre_and_date_filters_match_the_catalogue(page: Any, site: str) -> None:
    gent = catalogue(site, "nl/gent.json")["performances"]
    requests = open_page(page, "/?cluster=gent&lang=nl")

    page.get_by_label("Genre").select_option("dance")
    dance = [p for p in gent if p["genre"] == "dance"]
    assert_shown(page, dance, f"{len(dance)} voorstellingen")
    assert {
        o for o in page.eval_on_selector_all("#f-genre option", "os => os.map(o => o.text)")
    } >= {
        "Alle genres",
        "Dans",
        "Theater",
    }
    page.get_by_label("Genre").select_option("")

    house = next(p["house"] for p in gent if p["genre"] == "theatre")
    page.get_by_label("Locatie").select_option(house)
    at_house = [p for p in gent if p["house"] == house]
    assert_shown(page, at_house, f"{len(at_house)} voorstellingen")
    page.get_by_label("Genre").select_option("theatre")
    both = [p for p in at_house if p["genre"] == "theatre"]
    assert_shown(page, both, f"{len(both)} voorstellingen")
    page.get_by_label("Locatie").select_option("")
    page.get_by_label("Genre").select_option("")

    days = sorted({day_of(p) for p in gent})
    start, end = days[1], days[3]
    page.get_by_label("Vanaf").fill(start)
    page.get_by_label("Tot en met").fill(end)
    in_range = [p for p in gent if start <= day_of(p) <= end]
    assert_shown(page, in_range, f"{len(in_range)} voorstellingen")
    query = parse_qs(urlsplit(page.url).query)
    assert query["from"] == [start] and query["to"] == [end]
    no_api(requests, page)


def test_text_search_ignores_case_and_accents(page: Any, site: str) -> None:
    gent = catalogue(site, "nl/gent.json")["performances"]
    requests = open_page(page, "/?cluster=gent&lang=nl")
    page.get_by_label("Zoek op titel").fill("ZWERM")
    zwerm = [p for p in gent if "zwerm" in p["title"].lower()]
    assert_shown(page, zwerm, f"{len(zwerm)} voorstellingen")
    badges = set(page.eval_on_selector_all(".badge", "bs => bs.map(b => b.textContent)"))
    assert "Geannuleerd" in badges, "the cancelled Zwerm keeps its badge"

    page.get_by_label("Zoek op titel").fill("geen-titel-zoals-deze")
    wait_for_list(page, [])
    assert page.inner_text("#status") == "Geen voorstellingen gevonden."
    assert page.is_visible("#empty")

    # An accented French title, found by typing it without accents in capitals.
    clusters = catalogue(site, "fr/clusters.json")["items"]
    found = None
    for item in clusters:
        for p in catalogue(site, f"fr/{item['id']}.json")["performances"]:
            word = next((w for w in p["title"].split() if fold(w) != w.lower()), None)
            if word:
                found = (item["id"], word)
                break
        if found:
            break
    assert found, "the demo has an accented French title"
    cluster, word = found
    performances = catalogue(site, f"fr/{cluster}.json")["performances"]
    requests += open_page(page, f"/?cluster={cluster}&lang=fr")
    page.get_by_label("Rechercher un titre").fill(fold(word).upper())
    expected = [p for p in performances if fold(word) in fold(p["title"])]
    count = "1 représentation" if len(expected) == 1 else f"{len(expected)} représentations"
    assert_shown(page, expected, count)
    no_api(requests, page)


def test_filters_survive_reload_clear_and_stay_accessible(
    page: Any, site: str, screenshot: Any
) -> None:
    gent = catalogue(site, "nl/gent.json")["performances"]
    requests = open_page(page, "/?cluster=gent&lang=nl")
    start = sorted({day_of(p) for p in gent})[2]
    page.get_by_label("Genre").select_option("youth")
    page.get_by_label("Vanaf").fill(start)
    page.get_by_label("Zoek op titel").fill("ikarus")
    expected = [
        p
        for p in gent
        if p["genre"] == "youth" and day_of(p) >= start and "ikarus" in p["title"].lower()
    ]
    assert_shown(page, expected, f"{len(expected)} voorstellingen")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {
        "cluster": ["gent"],
        "lang": ["nl"],
        "genre": ["youth"],
        "from": [start],
        "q": ["ikarus"],
    }

    page.reload()
    page.wait_for_selector("#performances li h2")
    assert_shown(page, expected, f"{len(expected)} voorstellingen")
    assert page.get_by_label("Genre").input_value() == "youth"
    assert page.get_by_label("Vanaf").input_value() == start
    assert page.get_by_label("Zoek op titel").input_value() == "ikarus"
    for link in page.locator("#performances li h2 a").all():
        assert link.get_attribute("href").startswith("/performance.html?id=")
        assert link.get_attribute("href").endswith("&lang=nl")
    screenshot(page)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)

    page.get_by_role("button", name="Wis filters").click()
    assert_shown(page, gent, f"{len(gent)} voorstellingen")
    assert page.get_by_label("Genre").input_value() == ""
    assert page.get_by_label("Zoek op titel").input_value() == ""
    assert set(parse_qs(urlsplit(page.url).query)) == {"cluster", "lang"}

    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.get_by_label("Genre").select_option("music")
    music = [p for p in catalogue(site, "en/gent.json")["performances"] if p["genre"] == "music"]
    assert_shown(page, music, f"{len(music)} performances")
    assert page.get_by_role("button", name="Clear").is_visible()
    no_api(requests, page)
