"""The waiting room in a real browser (issue #6): a gated performance shows a banner instead of
a seat picker; the waiting room joins once and keeps the place over a reload, explains the
draw before the opening, admits the buyer, and the performance page then holds seats with the
admission token. Also: sold out, a waiting place with its estimate, a turn that passed (join
again), the connection lost and back, a tampered or expired token sending the buyer to the
room, and the way to the room leaving the widget's iframe for the top window.

The local stack's waiting-room consumer and draw loops run for this module (the `site` fixture
does not start them). One buyer goes the whole way through a room that opens seconds after the
module starts (`soon`): the opening and the 5 s draw settle pass while the other tests run, so
the wait is paid once. The waiting and expired states are answers replayed through
Playwright's routing: a real turn takes at least a minute to lapse."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import (
    SCREENSHOTS,
    axe_violations,
    get_json,
    guarded_page,
    post_json,
    seat_states,
)
from tests.browser.test_journey import hold_seats, pick_seats_with_keyboard

BRUSSELS = ZoneInfo("Europe/Brussels")
CLIENT = "wachtrij-browser-0123456"  # 24 url-safe characters, as the shop's own ids
BANNER_NL = "Deze verkoop verloopt via een wachtrij"
LATER = timedelta(minutes=10)  # a room opening this far ahead stays before_opening
SOON = timedelta(seconds=6)  # time enough to reach the room before it opens
POSITION = re.compile(r"/v1/waiting-rooms/[^/]+/position\?")


# --- the stack's side -------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def waiting_room_loops(site: str) -> Iterator[None]:
    """The SQS consumer that places arrivals and the draw loop, as `podium demo` runs them."""
    from local.consumers import start_waiting_room_consumer, start_waiting_room_draws

    loops = [start_waiting_room_consumer(), start_waiting_room_draws(0.5)]
    try:
        yield
    finally:
        for loop in loops:
            loop.stop()


def new_performance(**changes: Any) -> tuple[str, str]:
    """A fresh performance of the demo's De Storm at NTGent, in a 50-seat studio of its own
    (only the hall and the performance are written: the demo's house stays as it is)."""
    from chalicelib.catalogue.model import CatalogueSet, HallLayout
    from chalicelib.catalogue.store import DynamoCatalogueStore
    from chalicelib.inventory.store import DynamoInventoryStore
    from tests import factories as f
    from tests.inventory_fixtures import ZONES, studio_map

    now = datetime.now(UTC)
    hall_id = "wachtrij-studio"
    seat_map = studio_map(f"{hall_id}-map", hall_id)
    hall = f.hall(
        id=hall_id,
        capacity=seat_map.capacity,
        price_zones=ZONES,
        seat_map=seat_map.id,
        layout=HallLayout.SEATED,
    )
    performance = replace(
        f.performance(
            f"wachtrij-{uuid.uuid4().hex[:10]}",
            starts_at=now + timedelta(days=40),
            sales_opens_at=now - timedelta(days=1),
            **changes,
        ),
        hall=hall_id,
    )
    DynamoCatalogueStore().save_all(CatalogueSet(halls=(hall,), performances=(performance,)))
    DynamoInventoryStore().save_seat_map(hall.house, seat_map)
    return performance.id, performance.house


def open_room(performance: str, house: str, opens_at: datetime) -> str:
    """What staff will do through the admin API: one waiting room for the performance."""
    from chalicelib.bootstrap import container
    from chalicelib.onsale.model import WaitingRoom

    room = WaitingRoom(
        id=f"wachtrij-{uuid.uuid4().hex[:8]}",
        house=house,
        performances=(performance,),
        opens_at=opens_at,
        closes_at=opens_at + timedelta(hours=2),
        admit_per_minute=600,  # one place every 0.1 s
    )
    return container().waiting_room().configure(room).id


@pytest.fixture(scope="module")
def later() -> dict[str, Any]:
    """A performance whose waiting room opens in ten minutes (its holds are gated already)."""
    performance, house = new_performance()
    opens_at = datetime.now(UTC) + LATER
    room = open_room(performance, house, opens_at)
    return {"performance": performance, "room": room, "opens_at": opens_at}


@pytest.fixture(scope="module")
def sold_out() -> dict[str, str]:
    from chalicelib.catalogue.model import PerformanceStatus

    performance, house = new_performance(status=PerformanceStatus.SOLD_OUT)
    room = open_room(performance, house, datetime.now(UTC) + LATER)
    return {"performance": performance, "room": room}


# --- the browser's side -----------------------------------------------------------------------


def room_url(room: str, performance: str) -> str:
    return f"/waiting-room.html?room={room}&performance={performance}&lang=nl"


def wait_for_state(page: Any, state: str, timeout: float = 10_000) -> None:
    page.wait_for_selector(f"#room[data-state='{state}']", timeout=timeout)


def ticket(page: Any, room: str) -> str | None:
    raw = page.evaluate("key => sessionStorage.getItem(key)", f"podium-queue:{room}")
    return json.loads(raw)["ticket"] if raw else None


def record(page: Any, part: str) -> list[Any]:
    """The requests whose URL contains `part`, as they are made."""
    seen: list[Any] = []
    page.on("request", lambda request: seen.append(request) if part in request.url else None)
    return seen


def seed(page: Any, path: str, session: dict[str, Any]) -> None:
    """This browser's id (CLIENT) and sessionStorage entries, in place before the page at `path`
    first runs its scripts (once: a later navigation sees what the page made of them)."""
    script = """([path, client, session]) => {
        if (location.pathname !== path || sessionStorage.getItem('test-seeded')) return;
        sessionStorage.setItem('test-seeded', '1');
        localStorage.setItem('podium-client-id', client);
        for (const [key, value] of Object.entries(session)) {
            sessionStorage.setItem(key, JSON.stringify(value));
        }
    }"""
    page.add_init_script(f"({script})({json.dumps([path, CLIENT, session])})")


def joined(site: str, room: str) -> dict[str, Any]:
    """A place in the room for CLIENT, joined over the API, as the page keeps it."""
    status, body = post_json(site, f"/v1/waiting-rooms/{room}/join", {}, **{"X-Client-Id": CLIENT})
    assert status == 202, body
    return {"ticket": body["ticket"], "first_ahead": None}


def brussels_time(instant: datetime) -> str:
    return instant.astimezone(BRUSSELS).strftime("%H:%M")


def position_answer(state: str, **fields: Any) -> str:
    answer = {
        "state": state,
        "position": None,
        "ahead": None,
        "estimated_wait_seconds": None,
        "admit_at": None,
        "opens_at": datetime.now(UTC).isoformat(),
        "sold_out": False,
        "poll_after_seconds": None,
    }
    return json.dumps(answer | fields)


# --- one buyer the whole way, started first ---------------------------------------------------


@pytest.fixture(scope="module")
def soon(browser: Any, site: str) -> Iterator[dict[str, Any]]:
    """A buyer on a phone who opened a gated performance (screenshot of its banner), followed
    the banner to the room and sees it before the opening, a few seconds ahead of it. The page
    goes on by itself (poll, draw, admission, back to the performance page) while other tests
    run; `states` lists what the room showed, in order."""
    performance, house = new_performance()
    room = open_room(performance, house, datetime.now(UTC) + SOON)
    states: list[str] = []
    with guarded_page(browser, "phone", [site], base_url=site) as page:
        page.expose_function("recordState", lambda state: states.append(state))
        page.add_init_script(
            """{
                let last = null;
                new MutationObserver(() => {
                    const state = document.getElementById('room')?.dataset.state;
                    if (state && state !== last) window.recordState(last = state);
                }).observe(document, { subtree: true, attributeFilter: ['data-state'] });
            }"""
        )
        holds = record(page, f"/v1/performances/{performance}/holds")
        page.goto(f"/performance.html?id={performance}")
        page.locator("#queue").wait_for()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "waiting-room-banner-phone.png"), full_page=True)
        page.get_by_role("link", name="Naar de wachtrij").click()
        wait_for_state(page, "before")
        yield {
            "page": page,
            "performance": performance,
            "room": room,
            "states": states,
            "holds": holds,
        }


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_before_the_opening_the_room_explains_the_draw(
    soon: dict[str, Any], screenshot: Any
) -> None:
    page = soon["page"]
    assert page.inner_text("#state-title") == "De verkoop is nog niet geopend"
    body = page.inner_text("#state-body")
    assert "willekeurige plaats" in body and "niet te vernieuwen" in body
    assert page.get_attribute("#steps li:first-child", "aria-current") == "step"
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    screenshot(page, name="waiting-room-before-opening")


# --- the static states, at phone and desktop width --------------------------------------------


@pytest.mark.parametrize("viewport_name", ["desktop"])  # at phone width: `soon`, above
def test_a_gated_performance_shows_the_banner_and_the_room_keeps_the_place(
    page: Any, later: dict[str, Any], screenshot: Any
) -> None:
    joins = record(page, "/join")
    page.goto(f"/performance.html?id={later['performance']}")
    page.locator("#queue").wait_for()
    assert page.inner_text("#queue-title") == BANNER_NL
    assert page.is_hidden("#picker"), "no seats to pick in vain"
    screenshot(page, name="waiting-room-banner")

    page.get_by_role("link", name="Naar de wachtrij").click()
    page.wait_for_url(re.compile(r"/waiting-room\.html\?"))
    wait_for_state(page, "before")
    opening = page.inner_text("#state-body .opening")
    assert brussels_time(later["opens_at"]) in opening, "the opening in Brussels time"
    assert page.inner_text("#show").startswith("De Storm · ")
    assert page.get_attribute("#back", "href") == (
        f"/performance.html?id={later['performance']}&lang=nl"
    )
    first = ticket(page, later["room"])
    assert first
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    screenshot(page, name="waiting-room-before-opening")

    page.reload()
    wait_for_state(page, "before")
    assert ticket(page, later["room"]) == first, "a reload keeps the place"
    assert [r.method for r in joins] == ["POST"], "joined once"
    assert page.foreign_requests == []


def test_sold_out_says_so_and_leads_back_to_the_programme(
    page: Any, sold_out: dict[str, str], screenshot: Any
) -> None:
    page.goto(room_url(sold_out["room"], sold_out["performance"]))
    wait_for_state(page, "sold_out")
    assert page.inner_text("#state-title") == "Uitverkocht"
    assert "niet langer te wachten" in page.inner_text("#state-body")
    assert "rolstoelplaats" in page.inner_text("#state-body")  # kept apart, not sold out
    back = page.get_by_role("link", name="Naar het programma")
    assert back.get_attribute("href") == "/?lang=nl"
    assert page.is_hidden("#steps")
    page.wait_for_function(
        "document.getElementById('announce').textContent.includes('Uitverkocht')"
    )
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    screenshot(page, name="waiting-room-sold-out")


def test_waiting_shows_place_ahead_and_wait_then_a_passed_turn_joins_again(
    page: Any, site: str, later: dict[str, Any], viewport_name: str, screenshot: Any
) -> None:
    admit_at = datetime.now(UTC) + timedelta(seconds=185)
    answers = [
        position_answer(
            "waiting",
            position=134,
            ahead=133,
            estimated_wait_seconds=185,
            admit_at=admit_at.isoformat(),
            poll_after_seconds=30,
        ),
        position_answer("expired", position=134, ahead=0, estimated_wait_seconds=0),
    ]

    def replay(route: Any) -> None:
        route.fulfill(status=200, content_type="application/json", body=answers.pop(0))

    page.route(POSITION, replay)
    place = joined(site, later["room"])
    seed(page, "/waiting-room.html", {f"podium-queue:{later['room']}": place})
    page.clock.install()
    page.goto(room_url(later["room"], later["performance"]))
    wait_for_state(page, "waiting")
    assert page.inner_text("#stat-position") == "134"
    assert page.inner_text("#stat-ahead") == "133"
    assert page.inner_text("#stat-wait") == "ongeveer 3 minuten"
    assert page.inner_text("#turn-at") == f"Je bent rond {brussels_time(admit_at)} aan de beurt."
    assert page.get_attribute("#steps li:nth-child(3)", "aria-current") == "step"
    assert page.evaluate("document.getElementById('progress').max") == 100
    page.wait_for_function("document.getElementById('announce').textContent.includes('134')")
    assert page.title().startswith("Plaats 134 — Wachtrij")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    screenshot(page, name="waiting-room-waiting")

    page.clock.fast_forward("00:31")  # the next answer is due after poll_after_seconds
    wait_for_state(page, "expired")
    assert page.inner_text("#state-title") == "Je beurt is voorbij"
    screenshot(page, name="waiting-room-expired")
    if viewport_name != "phone":
        return
    page.unroute(POSITION)
    page.get_by_role("button", name="Opnieuw aansluiten").click()
    wait_for_state(page, "before")
    assert ticket(page, later["room"]) not in (None, place["ticket"]), "a new place, at the back"


# --- what goes wrong, at phone width ----------------------------------------------------------


def tampered_token(room: str) -> str:
    return "eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoid2FjaHRyaWoifQ.bm90LWEtc2lnbmF0dXJl"


def expired_token(room: str) -> str:
    """A genuine admission of this browser for the room, ended five minutes ago (as a browser
    whose clock runs slow would still believe it)."""
    from chalicelib.bootstrap import container
    from chalicelib.core.ids import digest
    from chalicelib.onsale.model import Admission

    now = datetime.now(UTC)
    signer = container().signer()
    return signer.admission_token(
        Admission(
            room=room,
            ticket=signer.new_ticket(room),
            client=digest(f"client:{CLIENT}"),
            email=None,
            issued_at=now - timedelta(minutes=20),
            expires_at=now - timedelta(minutes=5),
        )
    )


@pytest.mark.parametrize("viewport_name", ["phone"])
@pytest.mark.parametrize(
    ("make_token", "code", "notice"),
    [
        (tampered_token, "admission_invalid", "Je toegang tot de verkoop was niet meer geldig."),
        (expired_token, "admission_expired", "Je tijd om plaatsen te kiezen is voorbij."),
    ],
    ids=["tampered", "expired"],
)
def test_a_stale_token_sends_the_buyer_to_the_waiting_room(
    page: Any, later: dict[str, Any], make_token: Any, code: str, notice: str
) -> None:
    room, performance = later["room"], later["performance"]
    until = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    stored = {"token": make_token(room), "room": room, "performances": [performance]}
    seed(page, "/performance.html", {f"podium-admission:{room}": stored | {"expires_at": until}})
    page.goto(f"/performance.html?id={performance}")
    page.wait_for_function("!document.getElementById('picker').hidden")
    assert page.is_visible("#admission"), "the page trusts the token until the gate speaks"

    pick_seats_with_keyboard(page, 1)
    page.click("#hold-seats")
    page.wait_for_url(re.compile(r"/waiting-room\.html\?"))
    assert f"room={room}" in page.url and f"reason={code}" in page.url
    assert page.inner_text("#reason") == notice
    stale = page.evaluate("k => sessionStorage.getItem(k)", f"podium-admission:{room}")
    assert stale is None, "the stale token is gone"


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_connection_lost_keeps_the_place_and_retries(
    page: Any, site: str, later: dict[str, Any], screenshot: Any
) -> None:
    place = joined(site, later["room"])
    seed(page, "/waiting-room.html", {f"podium-queue:{later['room']}": place})
    joins = record(page, "/join")
    page.clock.install()
    page.goto(room_url(later["room"], later["performance"]))
    wait_for_state(page, "before")

    page.context.set_offline(True)
    page.clock.fast_forward("00:31")  # past the next poll (at most 30 s before the opening)
    page.locator("#connection").wait_for()
    assert "Je plaats in de wachtrij blijft bewaard" in page.inner_text("#connection-text")
    assert page.get_by_role("button", name="Nu opnieuw proberen").is_visible()
    assert page.get_attribute("#room", "data-state") == "before", "the place is still shown"
    screenshot(page, name="waiting-room-connection-lost")

    page.context.set_offline(False)
    page.clock.fast_forward("00:03")  # past the first back-off (2 s, give or take a fifth)
    page.locator("#connection").wait_for(state="hidden")
    wait_for_state(page, "before")
    assert ticket(page, later["room"]) == place["ticket"] and joins == [], "no second join"


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_from_the_widget_frame_the_waiting_room_opens_in_the_top_window(
    page: Any, site: str, later: dict[str, Any]
) -> None:
    """A house's page framing the shop's performance page, as widget.js does (served here by
    the test, on the shop's origin: Chromium keeps pages of other origins off 127.0.0.1): the
    way to the waiting room leaves the frame for the top window."""
    src = f"/performance.html?id={later['performance']}&amp;lang=nl"
    house = f"<!doctype html><title>Huis</title><iframe title='Podium' src='{src}'></iframe>"
    page.route(
        f"{site}/house-page.html", lambda route: route.fulfill(body=house, content_type="text/html")
    )
    page.goto("/house-page.html")
    link = page.frame_locator("iframe").get_by_role("link", name="Naar de wachtrij")
    link.wait_for()
    assert link.get_attribute("target") == "_top"
    assert link.get_attribute("href").startswith(f"{site}/waiting-room.html?room={later['room']}")

    link.click()
    page.wait_for_url(re.compile(re.escape(site) + r"/waiting-room\.html\?"))
    assert page.main_frame.child_frames == [], "the room is the top window, not in a frame"


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_french_then_english_keep_the_place(page: Any, site: str, later: dict[str, Any]) -> None:
    place = joined(site, later["room"])
    seed(page, "/waiting-room.html", {f"podium-queue:{later['room']}": place})
    joins = record(page, "/join")
    page.goto(room_url(later["room"], later["performance"]).replace("lang=nl", "lang=fr"))
    wait_for_state(page, "before")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("#heading") == "File d'attente"
    assert page.inner_text("#state-title") == "La vente n'est pas encore ouverte"
    assert "place tirée au sort" in page.inner_text("#state-body")
    assert page.get_attribute("#back", "href").endswith("&lang=fr")

    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    wait_for_state(page, "before")
    assert page.inner_text("#state-title") == "Sales have not opened yet"
    assert "random place in line" in page.inner_text("#state-body")
    assert page.inner_text("#how-title") == "How the waiting room works"
    assert ticket(page, later["room"]) == place["ticket"] and joins == [], "the same place"


# --- the same buyer, admitted: last, when the draw has long passed ----------------------------


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_admitted_the_buyer_holds_seats_with_the_token(
    soon: dict[str, Any], site: str, screenshot: Any
) -> None:
    page, performance, room = soon["page"], soon["performance"], soon["room"]
    # The draw comes 5 s after the opening; the first place is admitted at once.
    page.wait_for_url(re.compile(r"/performance\.html\?id="), timeout=30_000)
    page.wait_for_function("!document.getElementById('picker').hidden")
    states = soon["states"]
    assert states[0] == "joining" and states[-1] == "admitted", states
    assert states.index("before") < states.index("admitted"), states
    assert page.is_hidden("#queue")
    key = f"podium-admission:{room}"
    admission = page.evaluate("k => JSON.parse(sessionStorage.getItem(k))", key)
    assert admission["token"] and admission["room"] == room
    assert page.is_visible("#admission")
    assert re.fullmatch(r"1[45]:\d\d", page.inner_text("#admission-countdown"))
    assert page.inner_text("#admission-label") == "Het is jouw beurt. Je hebt nog"
    screenshot(page, name="waiting-room-admitted")

    [seat] = pick_seats_with_keyboard(page, 1)
    hold_seats(page)
    assert soon["holds"][-1].headers.get("x-admission-token") == admission["token"]
    held = page.evaluate("JSON.parse(sessionStorage.getItem('podium-hold')).hold")
    status, view = get_json(
        site, f"/v1/holds/{held['hold_id']}", **{"X-Hold-Token": held["hold_token"]}
    )
    assert status == 200 and view["state"] == "active", view
    assert [s["id"] for s in view["seats"]] == [seat]
    assert seat_states(site, performance)[seat] == "unavailable"
    assert page.is_hidden("#admission"), "the basket's clock counts now"
