"""A house's own page (house.html): reached from the programme by the house's name, it shows
the house (name, kind, city, description, website) and only its upcoming performances from the
pre-rendered catalogue, filters them without calling the API, speaks French on request, says
so when a house is not in the region, and has no serious accessibility violations. Programme
cards carry the production's image or the genre's placeholder."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.browser.conftest import axe_violations
from tests.browser.test_pages import catalogue, wait_for_list

HOUSE, CLUSTER = "campo", "gent"


def house_of(site: str, lang: str = "nl") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = catalogue(site, f"{lang}/{CLUSTER}.json")
    house = next(h for h in data["houses"] if h["id"] == HOUSE)
    return house, [p for p in data["performances"] if p["house"] == HOUSE]


def test_house_page_from_the_programme(page: Any, site: str, screenshot: Any) -> None:
    house, performances = house_of(site)
    assert performances, "the demo seeds performances at CAMPO"
    requests: list[str] = []
    page.on("request", lambda request: requests.append(urlsplit(request.url).path))
    page.goto(f"/?cluster={CLUSTER}")
    page.wait_for_selector("#performances li h2")

    page.locator("#performances .meta a", has_text=house["name"]).first.click()
    page.wait_for_url("**/house.html?**")
    assert parse_qs(urlsplit(page.url).query)["house"] == [HOUSE]
    wait_for_list(page, [p["title"] for p in performances])
    assert page.inner_text("h1") == house["name"]
    assert page.inner_text("#house-description") == house["description"]
    assert page.inner_text("#house-meta").endswith(house["city"])
    assert page.get_attribute("#house-website", "href") == house["website"]
    assert page.inner_text("#status") == f"{len(performances)} voorstellingen"
    assert page.locator("#f-house").count() == 0, "the house is the page, not a filter"
    assert page.get_attribute("#back", "href").startswith("/?cluster=gent")
    screenshot(page)

    # Filters narrow the house's own list; clearing them keeps the house.
    genre = performances[0]["genre"]
    page.get_by_label("Genre").select_option(genre)
    wait_for_list(page, [p["title"] for p in performances if p["genre"] == genre])
    page.get_by_role("button", name="Wis filters").click()
    wait_for_list(page, [p["title"] for p in performances])
    assert parse_qs(urlsplit(page.url).query)["house"] == [HOUSE]

    assert axe_violations(page) == []
    assert not [p for p in requests if p.startswith("/v1")], "browsing must not call the API"
    assert page.foreign_requests == []


def test_house_page_in_french_and_an_unknown_house(page: Any, site: str) -> None:
    house, performances = house_of(site, "fr")
    page.goto(f"/house.html?cluster={CLUSTER}&house={HOUSE}&lang=fr")
    wait_for_list(page, [p["title"] for p in performances])
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("#programme-heading") == f"Programme de {house['name']}"
    assert page.inner_text("#house-description") == house["description"]
    assert page.inner_text(".skip") == "Aller au contenu"

    page.goto(f"/house.html?cluster={CLUSTER}&house=nowhere")
    page.wait_for_function("document.querySelector('h1').textContent.includes('niet')")
    assert page.inner_text("h1") == "Dit huis vonden we niet in deze regio."
    assert page.locator("#performances li").count() == 0
    assert page.is_hidden("#filters")


def test_programme_cards_show_an_image(page: Any, site: str) -> None:
    performances = catalogue(site, f"nl/{CLUSTER}.json")["performances"]
    page.goto(f"/?cluster={CLUSTER}")
    page.wait_for_selector("#performances li img")
    shown = page.eval_on_selector_all(
        "#performances li[data-id]",
        """lis => lis.map(li => { const img = li.querySelector('img');
            return { id: li.dataset.id, src: new URL(img.src).pathname, alt: img.alt,
                     loaded: img.complete && img.naturalWidth > 0 }; })""",
    )
    by_id = {p["id"]: p for p in performances}
    for card in shown[:5]:
        expected = by_id[card["id"]]["image"]
        assert expected, "the demo gives every production an image"
        assert card["src"] == expected["url"]
        assert card["alt"] == "", "decorative: the title beside it names the performance"
    page.wait_for_function(
        "[...document.querySelectorAll('#performances li img')].slice(0, 3)"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
