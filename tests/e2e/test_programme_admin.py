"""Programme management on the local stack, over HTTP, with real staff tokens: productions and
performances written by a house admin and published to the webshop's static catalogue, on sale,
blocked seats and a cancellation; the box office may not write, another house's staff find
nothing, and bad input names its fields and writes nothing."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e import test_admin_api
from tests.e2e.http import call
from tests.e2e.test_admin_api import HOUSE_A, HOUSE_B, Site, performances_of

pytestmark = pytest.mark.stack

site = test_admin_api.site  # the same fixture: a local stack of this module's own


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def production_body(**changes: Any) -> dict[str, Any]:
    return {
        "title": {"nl": f"Het proces {uuid.uuid4().hex[:6]}", "fr": "Le procès", "en": "The Trial"},
        "description": {"nl": "Naar Kafka.", "en": "After Kafka."},
        "genre": "theatre",
        "languages": ["nl"],
        "duration_minutes": 95,
        "age_advice": 14,
        "images": [{"url": "https://images.example.be/proces.jpg"}],
        **changes,
    }


def hall_of(site: Site, house: str) -> dict[str, Any]:
    """A hall of the house with a seat map, as its public performance page shows it."""
    _, detail = call(site.base, "GET", f"/v1/performances/{performances_of(site, house)[0]}")
    return detail["hall"]


def performance_body(site: Site, production: str, house: str = HOUSE_A, **changes: Any):
    hall = hall_of(site, house)
    starts = (datetime.now(UTC) + timedelta(days=30)).replace(hour=19, minute=30, second=0)
    zones = [zone["id"] for zone in hall["price_zones"]]
    return {
        "production": production,
        "hall": hall["id"],
        "starts_at": iso(starts),
        "ends_at": iso(starts + timedelta(hours=2)),
        "sales_opens_at": iso(datetime.now(UTC) - timedelta(hours=1)),
        "tariffs": [
            {
                "id": "standaard",
                "name": {"nl": "Standaard", "fr": "Standard", "en": "Standard"},
                "prices": {zone: 2400 - 300 * i for i, zone in enumerate(zones)},
            },
            {
                "id": "student",
                "name": {"nl": "Student"},
                "prices": {zones[0]: 1200},
                "conditions": {"proof_required": True, "max_per_order": 2},
            },
        ],
        **changes,
    }


def test_a_house_admin_writes_reads_and_deletes_a_production(site):
    token = site.token("house_admin", house=HOUSE_A)
    body = production_body()
    status, created = site.call("POST", "/v1/admin/productions", body, token)
    assert status == 201, created
    assert created["house"] == HOUSE_A and created["title"] == body["title"]
    assert created["images"][0]["alt"] == body["title"]  # the title, when no alt text is given
    path = f"/v1/admin/productions/{created['id']}"
    assert site.call("GET", path, token=token) == (200, created)
    status, replaced = site.call(
        "PUT", path, production_body(title={"nl": "Het slot"}, genre="dance"), token
    )
    assert status == 200 and replaced["title"] == {"nl": "Het slot"}
    assert replaced["genre"] == "dance" and replaced["id"] == created["id"]
    assert site.call("GET", path, token=token) == (200, replaced)
    assert site.call("DELETE", path, token=token) == (204, None)
    status, gone = site.call("GET", path, token=token)
    assert (status, gone["code"]) == (404, "not_found")


def test_the_box_office_may_not_write_and_another_house_finds_nothing(site):
    box_office = site.token("box_office", house=HOUSE_A)
    status, refused = site.call("POST", "/v1/admin/productions", production_body(), box_office)
    assert (status, refused["code"]) == (403, "role_required")
    owner = site.token("house_admin", house=HOUSE_A)
    _, created = site.call("POST", "/v1/admin/productions", production_body(), owner)
    path = f"/v1/admin/productions/{created['id']}"
    status, refused = site.call("GET", path, token=box_office)
    assert (status, refused["code"]) == (403, "role_required")
    other = site.token("house_admin", house=HOUSE_B)
    for method, body in (("GET", None), ("PUT", production_body()), ("DELETE", None)):
        status, answer = site.call(method, path, body, other)
        assert (status, answer["code"]) == (404, "not_found"), method
        assert HOUSE_A not in str(answer)
    # naming a house that is not yours
    status, refused = site.call(
        "POST", "/v1/admin/productions", production_body(house=HOUSE_B), owner
    )
    assert (status, refused["code"]) == (403, "role_required")
    assert site.call("GET", path, token=owner) == (200, created)  # untouched


def test_bad_input_names_every_field_and_writes_nothing(site):
    from chalicelib.catalogue.store import DynamoCatalogueStore

    token = site.token("house_admin", house=HOUSE_A)
    store = DynamoCatalogueStore()
    before = len(store.house_performances(HOUSE_A))
    bad = production_body(
        title={"fr": "Sans néerlandais"}, genre="jazz", duration_minutes=0, colour="red"
    )
    status, problem = site.call("POST", "/v1/admin/productions", bad, token)
    assert (status, problem["code"]) == (400, "invalid_input")
    assert {e["field"] for e in problem["errors"]} == {
        "title.nl",
        "genre",
        "duration_minutes",
        "colour",
    }
    _, production = site.call("POST", "/v1/admin/productions", production_body(), token)
    path = f"/v1/admin/productions/{production['id']}"
    status, _ = site.call("PUT", path, {**production_body(), "images": ["ftp://x"]}, token)
    assert status == 400
    assert site.call("GET", path, token=token) == (200, production)

    body = performance_body(site, production["id"])
    hall_of_b = hall_of(site, HOUSE_B)["id"]
    cases = {
        "hall": {"hall": hall_of_b},  # another house's hall is not one of ours
        "production": {"production": "no-such-production"},
        "ends_at": {"ends_at": body["starts_at"]},
        "tariffs[0].prices.balkon-9": {
            "tariffs": [{**body["tariffs"][0], "prices": {"balkon-9": 100}}]
        },
        "status": {"status": "cancelled"},
    }
    for field, changes in cases.items():
        status, problem = site.call("POST", "/v1/admin/performances", {**body, **changes}, token)
        assert (status, problem.get("code")) == (400, "invalid_input"), (field, problem)
        assert field in {e["field"] for e in problem["errors"]}, (field, problem)
        assert HOUSE_B not in str(problem) and hall_of_b not in str(problem)
    assert len(store.house_performances(HOUSE_A)) == before  # nothing written


def test_a_performance_from_draft_to_on_sale_blocked_seats_and_cancelled(site):
    token = site.token("house_admin", house=HOUSE_A)
    _, production = site.call("POST", "/v1/admin/productions", production_body(), token)
    body = performance_body(site, production["id"])
    status, draft = site.call("POST", "/v1/admin/performances", body, token)
    assert status == 201, draft
    assert (draft["status"], draft["sales_state"], draft["house"]) == (
        "draft",
        "not_yet_on_sale",
        HOUSE_A,
    )
    assert draft["title"] == production["title"] and draft["tariffs"][1]["conditions"] == {
        "max_per_order": 2,
        "proof_required": True,
        "min_age": None,
        "max_age": None,
    }
    ident = draft["id"]
    path = f"/v1/admin/performances/{ident}"
    assert site.call("GET", path, token=token) == (200, draft)
    assert call(site.base, "GET", f"/v1/performances/{ident}")[0] == 404  # a draft is private

    # Seats are blocked before the sale opens, through the inventory's own rule.
    _, plan = call(site.base, "GET", f"/v1/performances/{performances_of(site, HOUSE_A)[0]}/seats")
    seats = [seat["id"] for seat in plan["seats"][:2]]
    status, blocked = site.call(
        "POST", f"{path}/blocked-seats", {"seats": seats, "reason": "camera"}, token
    )
    assert (status, blocked["blocked"]) == (200, seats), blocked
    status, problem = site.call(
        "POST", f"{path}/blocked-seats", {"seats": ["no-such-seat"], "reason": ""}, token
    )
    assert status == 400 and {e["field"] for e in problem["errors"]} == {"reason"}

    status, replaced = site.call("PUT", path, {**body, "hold_minutes": 10}, token)
    assert (status, replaced["hold_minutes"], replaced["status"]) == (200, 10, "draft")
    status, on_sale = site.call("POST", f"{path}/on-sale", None, token)
    assert (status, on_sale["status"], on_sale["sales_state"]) == (200, "on_sale", "on_sale")

    # Public now: its page, its seat plan with the blocked seats, the static catalogue.
    status, public = call(site.base, "GET", f"/v1/performances/{ident}")
    assert (status, public["sales_status"]) == (200, "on_sale")
    _, plan = call(site.base, "GET", f"/v1/performances/{ident}/seats")
    states = {seat["id"]: seat["state"] for seat in plan["seats"]}
    assert [states[s] for s in seats] == ["blocked", "blocked"]
    _, published = call(site.base, "GET", "/catalogue/nl/gent.json")
    assert ident in {p["id"] for p in published["performances"]}
    _, availability = call(site.base, "GET", "/catalogue/availability/gent.json")
    assert ident in availability["performances"]

    status, refused = site.call("DELETE", f"/v1/admin/productions/{production['id']}", token=token)
    assert (status, refused["code"]) == (409, "production_has_performances")

    status, cancelled = site.call("POST", f"{path}/cancel", None, token)
    assert (status, cancelled["status"]) == (202, "cancelled")
    assert cancelled["sales_state"] == "cancelled" and cancelled["refunds"]["done"]  # no buyers
    _, public = call(site.base, "GET", f"/v1/performances/{ident}")
    assert public["sales_status"] == "cancelled"
    status, refused = site.call("PUT", path, body, token)
    assert (status, refused["code"]) == (422, "performance_cancelled")
    status, refused = site.call("POST", f"{path}/on-sale", None, token)
    assert (status, refused["code"]) == (422, "performance_cancelled")


def test_performance_routes_refuse_the_box_office_and_hide_from_other_houses(site):
    owner = site.token("house_admin", house=HOUSE_A)
    _, production = site.call("POST", "/v1/admin/productions", production_body(), owner)
    _, draft = site.call(
        "POST", "/v1/admin/performances", performance_body(site, production["id"]), owner
    )
    path = f"/v1/admin/performances/{draft['id']}"
    box_office = site.token("box_office", house=HOUSE_A)
    status, refused = site.call("POST", f"{path}/on-sale", None, box_office)
    assert (status, refused["code"]) == (403, "role_required")
    other = site.token("house_admin", house=HOUSE_B)
    for method, suffix in (("GET", ""), ("POST", "/on-sale"), ("POST", "/cancel")):
        status, answer = site.call(method, path + suffix, None, other)
        assert (status, answer["code"]) == (404, "not_found"), suffix
    # a cluster admin of the cluster reaches both houses
    cluster = site.token("cluster_admin", cluster="gent")
    assert site.call("GET", path, token=cluster) == (200, draft)
    assert site.call("GET", path, token=owner)[1]["status"] == "draft"  # nothing changed


def test_staff_see_blocked_held_seats_and_give_blocked_ones_back_to_sale(site):
    owner = site.token("house_admin", house=HOUSE_A)
    _, production = site.call("POST", "/v1/admin/productions", production_body(), owner)
    _, draft = site.call(
        "POST", "/v1/admin/performances", performance_body(site, production["id"]), owner
    )
    path = f"/v1/admin/performances/{draft['id']}"
    assert site.call("POST", f"{path}/on-sale", None, owner)[0] == 200
    _, plan = call(site.base, "GET", f"/v1/performances/{draft['id']}/seats")
    desk, other, held = [seat["id"] for seat in plan["seats"][:3]]
    body = {"seats": [desk, other], "reason": "mengtafel"}
    assert site.call("POST", f"{path}/blocked-seats", body, owner)[0] == 200
    status, hold = call(
        site.base,
        "POST",
        f"/v1/performances/{draft['id']}/holds",
        {"seats": [held]},
        **{"X-Client-Id": "staff-plan-buyer-1"},
    )
    assert status == 201, hold

    # The box office reads the real state of every seat; marketing and scanners may not.
    status, staff = site.call("GET", f"{path}/seats", token=site.token("box_office", house=HOUSE_A))
    assert status == 200, staff
    seats = {seat["id"]: seat for seat in staff["seats"]}
    assert seats[desk]["state"] == "blocked" and seats[desk]["reason"] == "mengtafel"
    assert seats[desk]["blocked_at"] is not None
    assert [(b["seat"], b["reason"]) for b in staff["blocked"]] == [
        (desk, "mengtafel"),
        (other, "mengtafel"),
    ]
    assert seats[held] | {"state": "held", "hold": hold["hold_id"], "paying": False} == seats[held]
    assert seats[held]["held_until"] == hold["expires_at"]
    assert staff["summary"]["blocked_seats"] == 2 and staff["summary"]["held_seats"] == 1
    for role in ("marketing", "scanner"):
        status, refused = site.call("GET", f"{path}/seats", token=site.token(role, house=HOUSE_A))
        assert (status, refused["code"]) == (403, "role_required"), role

    # A held seat is never "unblocked" into free: 409 naming it, the blocked one stays blocked.
    release = f"{path}/blocked-seats/release"
    status, refused = site.call("POST", release, {"seats": [desk, held]}, owner)
    assert (status, refused["code"], refused["unavailable"]) == (409, "seats_taken", [held])
    status, refused = site.call("POST", release, {"seats": [desk, "no-such-seat"]}, owner)
    assert status == 400 and refused["errors"][0]["field"] == "seats"
    box_office = site.token("box_office", house=HOUSE_A)
    assert site.call("POST", release, {"seats": [desk]}, box_office)[0] == 403
    assert site.call("GET", f"{path}/seats", token=owner)[1]["seats"] == staff["seats"]

    status, released = site.call("POST", release, {"seats": [desk, other]}, owner)
    assert (status, released["released"]) == (200, [desk, other]), released
    _, public = call(site.base, "GET", f"/v1/performances/{draft['id']}/seats")
    assert {s["id"]: s["state"] for s in public["seats"]}[desk] == "free"
    status, _ = call(
        site.base,
        "POST",
        f"/v1/performances/{draft['id']}/holds",
        {"seats": [desk, other]},
        **{"X-Client-Id": "staff-plan-buyer-2"},
    )
    assert status == 201
    _, staff = site.call("GET", f"{path}/seats", token=owner)
    assert staff["blocked"] == [] and staff["summary"]["held_seats"] == 3


def seat_map_json(section: str = "zaal") -> dict[str, Any]:
    return {
        "sections": [{"id": section, "name": {"nl": "Zaal", "fr": "Salle", "en": "Hall"}}],
        "seats": [
            {"section": section, "row": "1", "number": n, "x": 10.0 * n, "y": 5.0, "zone": zone}
            for n, zone in ((1, "voor"), (2, "voor"), (3, "achter"))
        ],
    }


def hall_body(venue: str, **changes: Any) -> dict[str, Any]:
    return {
        "venue": venue,
        "name": "Studio",
        "layout": "seated",
        "capacity": 120,
        "price_zones": [
            {"id": "voor", "name": {"nl": "Voor"}, "rank": 1, "color": "#aa0000"},
            {"id": "achter", "name": {"nl": "Achter", "en": "Back"}, "rank": 2, "color": "#0000aa"},
        ],
        **changes,
    }


def test_venues_halls_and_seat_maps_in_json_and_csv(site):
    token = site.token("house_admin", house=HOUSE_A)
    venue_body = {
        "name": "Nieuwe Vleugel",
        "address": "Sint-Baafsplein 17",
        "city": "Gent",
        "accessibility": {"nl": "Lift aan de zijingang."},
    }
    status, venue = site.call("POST", "/v1/admin/venues", venue_body, token)
    assert (status, venue["house"]) == (201, HOUSE_A), venue
    status, moved = site.call(
        "PUT", f"/v1/admin/venues/{venue['id']}", {**venue_body, "city": "Gent-Centrum"}, token
    )
    assert (status, moved["city"]) == (200, "Gent-Centrum")
    status, hall = site.call("POST", "/v1/admin/halls", hall_body(venue["id"]), token)
    assert (status, hall["seat_map"], hall["capacity"]) == (201, None, 120), hall
    path = f"/v1/admin/halls/{hall['id']}"
    assert site.call("GET", path, token=token) == (200, hall)

    status, mapped = site.call("PUT", f"{path}/seat-map", seat_map_json(), token)
    assert status == 200, mapped
    assert (mapped["seat_map"]["seats"], mapped["capacity"]) == (3, 3)
    first_map = mapped["seat_map"]["id"]
    csv = "section,row,seat,x,y,zone,attributes\nzaal,1,1,10,5,voor,aisle\nzaal,1,2,20,5,achter,\n"
    status, from_csv = _put_csv(site, f"{path}/seat-map", csv, token)
    assert status == 200, from_csv
    assert from_csv["seat_map"]["seats"] == 2 and from_csv["seat_map"]["id"] != first_map
    status, problem = _put_csv(site, f"{path}/seat-map", csv + "zaal,1,3,30,5,loge,\n", token)
    assert (status, [e["field"] for e in problem["errors"]]) == (400, ["line 4: zone"])
    status, problem = site.call("PUT", f"{path}/seat-map", {**seat_map_json(), "hall": "x"}, token)
    assert (status, problem["errors"][0]["field"]) == (400, "hall")
    _, now = site.call("GET", path, token=token)
    assert now["seat_map"] == from_csv["seat_map"]["id"] and now["capacity"] == 2  # unchanged

    # a zone priced or in the map cannot be dropped
    status, problem = site.call(
        "PUT", path, hall_body(venue["id"], price_zones=hall_body("x")["price_zones"][:1]), token
    )
    assert (status, problem["errors"][0]["field"]) == (400, "price_zones")

    # on sale in the new hall: the public seat plan is the imported map; then it is in use
    _, production = site.call("POST", "/v1/admin/productions", production_body(), token)
    body = performance_body(site, production["id"])
    body["hall"] = hall["id"]
    body["tariffs"] = [
        {"id": "standaard", "name": {"nl": "Standaard"}, "prices": {"voor": 1800, "achter": 1200}}
    ]
    body["status"] = "on_sale"
    status, performance = site.call("POST", "/v1/admin/performances", body, token)
    assert (status, performance["venue"]) == (201, venue["id"]), performance
    _, plan = call(site.base, "GET", f"/v1/performances/{performance['id']}/seats")
    assert [s["id"] for s in plan["seats"]] == ["zaal-1-1", "zaal-1-2"]
    status, refused = site.call("PUT", f"{path}/seat-map", seat_map_json(), token)
    assert (status, refused["code"]) == (409, "hall_in_use")
    assert refused["performances"] == [performance["id"]]


def test_halls_refuse_the_box_office_and_hide_from_other_houses(site):
    owner = site.token("house_admin", house=HOUSE_A)
    _, venue = site.call(
        "POST", "/v1/admin/venues", {"name": "Zolder", "address": "Plein 1", "city": "Gent"}, owner
    )
    _, hall = site.call("POST", "/v1/admin/halls", hall_body(venue["id"]), owner)
    box_office = site.token("box_office", house=HOUSE_A)
    status, refused = site.call(
        "PUT", f"/v1/admin/halls/{hall['id']}/seat-map", seat_map_json(), box_office
    )
    assert (status, refused["code"]) == (403, "role_required")
    other = site.token("house_admin", house=HOUSE_B)
    for method, path, body in (
        ("GET", f"/v1/admin/halls/{hall['id']}", None),
        ("PUT", f"/v1/admin/halls/{hall['id']}", hall_body(venue["id"])),
        ("PUT", f"/v1/admin/halls/{hall['id']}/seat-map", seat_map_json()),
        ("GET", f"/v1/admin/venues/{venue['id']}", None),
    ):
        status, answer = site.call(method, path, body, other)
        assert (status, answer["code"]) == (404, "not_found"), path
    # house B cannot put a hall in house A's venue either: it is not one of B's venues
    status, problem = site.call("POST", "/v1/admin/halls", hall_body(venue["id"]), other)
    assert (status, problem["errors"][0]["field"]) == (400, "venue")
    assert site.call("GET", f"/v1/admin/halls/{hall['id']}", token=owner) == (200, hall)


def _put_csv(site: Site, path: str, text: str, token: str) -> tuple[int, Any]:
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        site.base + path,
        data=text.encode(),
        method="PUT",
        headers={"Content-Type": "text/csv", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_cancelling_refunds_every_buyer_and_mails_them(site):
    import urllib.request

    token = site.token("house_admin", house=HOUSE_A)
    _, production = site.call("POST", "/v1/admin/productions", production_body(), token)
    body = performance_body(site, production["id"], status="on_sale")
    status, performance = site.call("POST", "/v1/admin/performances", body, token)
    assert status == 201, performance
    ident = performance["id"]
    _, plan = call(site.base, "GET", f"/v1/performances/{ident}/seats")
    free = [seat["id"] for seat in plan["seats"] if seat["state"] == "free"]
    box_office = site.token("box_office", house=HOUSE_A)
    orders = []
    for n, seats in enumerate((free[:2], free[2:3])):
        status, hold = call(
            site.base,
            "POST",
            f"/v1/performances/{ident}/holds",
            {"seats": seats},
            **{"X-Client-Id": f"cancel-test-{n}-{ident[-8:]}"},
        )
        assert status == 201, hold
        email = f"koper{n}-{ident[-6:]}@example.be"
        sale = {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": s, "tariff": "standaard"} for s in seats],
            "customer": {"name": f"Koper {n}", "email": email, "language": "nl"},
            "payment": "cash",
        }
        status, order = site.call("POST", "/v1/admin/box-office/sales", sale, box_office)
        assert (status, order.get("status")) == (201, "completed"), order
        orders.append((order["order_id"], email))

    status, refused = site.call("POST", f"/v1/admin/performances/{ident}/cancel", None, box_office)
    assert (status, refused["code"]) == (403, "role_required")
    status, cancelled = site.call(
        "POST", f"/v1/admin/performances/{ident}/cancel", {"reason": "ziekte in de cast"}, token
    )
    assert (status, cancelled["status"]) == (202, "cancelled"), cancelled
    assert cancelled["refunds"]["queued"] == 2 and cancelled["refunds"]["checkouts_paying"] == 0
    # refunded in the background by the queue's consumer; the performance says how far
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        _, shown = site.call("GET", f"/v1/admin/performances/{ident}", token=token)
        if shown["refunds"]["done"]:
            break
        time.sleep(0.2)
    assert shown["refunds"] | {"refunded_cents": 0} == {
        "to_refund": 0,
        "refunded": 2,
        "refunded_cents": 0,
        "checkouts_paying": 0,
        "done": True,
    }
    for order_id, _ in orders:
        _, order = site.call("GET", f"/v1/admin/orders/{order_id}", token=token)
        assert order["status"] == "refunded" and all(t["void"] for t in order["tickets"])
        assert order["cancellation"]["reason"] == "ziekte in de cast"
    with urllib.request.urlopen(site.base + "/outbox", timeout=10) as page:
        outbox = page.read().decode()
    assert all(email in outbox for _, email in orders) and "is geannuleerd" in outbox
    # asked again: nothing refunded twice
    status, again = site.call("POST", f"/v1/admin/performances/{ident}/cancel", None, token)
    assert (status, again["refunds"]["queued"], again["refunds"]["done"]) == (202, 0, True)


def test_lists_hold_only_the_callers_houses(site):
    token = site.token("house_admin", house=HOUSE_A)
    _, production = site.call("POST", "/v1/admin/productions", production_body(), token)
    _, draft = site.call(
        "POST", "/v1/admin/performances", performance_body(site, production["id"]), token
    )
    status, listing = site.call(
        "GET", f"/v1/admin/performances?production={production['id']}", token=token
    )
    assert status == 200 and [p["id"] for p in listing["items"]] == [draft["id"]]
    assert listing["items"][0]["status"] == "draft" and listing["next"] is None
    for kind in ("productions", "performances", "venues", "halls"):
        status, listing = site.call("GET", f"/v1/admin/{kind}", token=token)
        assert status == 200 and listing["items"], kind
        assert {item["house"] for item in listing["items"]} == {HOUSE_A}, kind
    _, drafts = site.call("GET", "/v1/admin/performances?status=draft", token=token)
    assert draft["id"] in {p["id"] for p in drafts["items"]}
    assert {p["status"] for p in drafts["items"]} == {"draft"}
    status, refused = site.call("GET", f"/v1/admin/halls?house={HOUSE_B}", token=token)
    assert (status, refused["code"]) == (403, "role_required")
    status, bad = site.call("GET", "/v1/admin/performances?status=gone&colour=red", token=token)
    assert status == 400 and {e["field"] for e in bad["errors"]} == {"status", "colour"}
    cluster = site.token("cluster_admin", cluster="gent")
    _, both = site.call("GET", "/v1/admin/venues", token=cluster)
    assert {HOUSE_A, HOUSE_B} <= {v["house"] for v in both["items"]}
    box_office = site.token("box_office", house=HOUSE_A)
    status, refused = site.call("GET", "/v1/admin/productions", token=box_office)
    assert (status, refused["code"]) == (403, "role_required")


def test_a_venue_or_hall_in_use_is_not_deleted(site):
    token = site.token("house_admin", house=HOUSE_A)
    venue_body = {"name": "Kelder", "address": "Plein 2", "city": "Gent"}
    _, venue = site.call("POST", "/v1/admin/venues", venue_body, token)
    _, hall = site.call("POST", "/v1/admin/halls", hall_body(venue["id"]), token)
    _, production = site.call("POST", "/v1/admin/productions", production_body(), token)
    body = performance_body(site, production["id"])
    body["hall"] = hall["id"]
    body["tariffs"] = [{"id": "standaard", "name": {"nl": "Standaard"}, "prices": {"voor": 900}}]
    status, performance = site.call("POST", "/v1/admin/performances", body, token)
    assert status == 201, performance
    status, refused = site.call("DELETE", f"/v1/admin/venues/{venue['id']}", token=token)
    assert (status, refused["code"], refused["halls"]) == (409, "venue_has_halls", [hall["id"]])
    status, refused = site.call("DELETE", f"/v1/admin/halls/{hall['id']}", token=token)
    assert (status, refused["code"]) == (409, "hall_in_use")
    _, empty = site.call("POST", "/v1/admin/halls", hall_body(venue["id"]), token)
    other = site.token("house_admin", house=HOUSE_B)
    status, hidden = site.call("DELETE", f"/v1/admin/halls/{empty['id']}", token=other)
    assert (status, hidden["code"]) == (404, "not_found")
    assert site.call("DELETE", f"/v1/admin/halls/{empty['id']}", token=token) == (204, None)
    assert site.call("GET", f"/v1/admin/halls/{empty['id']}", token=token)[0] == 404


def test_staff_lists_come_a_page_at_a_time_house_by_house(site):
    from chalicelib.core.paging import encode_cursor

    cluster = site.token("cluster_admin", cluster="gent")
    for kind in ("performances", "productions", "venues", "halls"):
        # Performances by start time (drafts and past ones too), the others by id.
        def key(item: dict[str, str]) -> tuple[str, ...]:
            return (item["house"], item.get("starts_at", ""), item["id"])

        seen: list[tuple[str, ...]] = []
        cursor = None
        while True:
            path = f"/v1/admin/{kind}?limit=7" + (f"&next={cursor}" if cursor else "")
            status, page = site.call("GET", path, token=cluster)
            assert status == 200 and 0 < len(page["items"]) <= 7, (kind, page)
            seen += [key(item) for item in page["items"]]
            cursor = page["next"]
            if cursor is None:
                break
        assert seen == sorted(seen) and len(set(seen)) == len(seen), kind  # once, in order
        houses = sorted({house for house, *_ in seen})
        assert {HOUSE_A, HOUSE_B} <= set(houses), kind
        whole = []
        for house in houses:  # each house's own list, one page: the same objects
            _, page = site.call("GET", f"/v1/admin/{kind}?house={house}&limit=100", token=cluster)
            assert page["next"] is None
            whole += [key(item) for item in page["items"]]
        assert whole == seen, kind
        if kind == "performances":
            assert [i for _, _, i in seen] != sorted(i for _, _, i in seen)  # not by id
            starts = sorted(s for _, s, _ in seen)
            middle = starts[len(starts) // 2]
            _, later = site.call("GET", f"/v1/admin/performances?from={middle}", token=cluster)
            assert later["items"] and all(p["starts_at"] >= middle for p in later["items"])
            day = middle[:10]  # a date: that day in Brussels (its UTC hours differ)
            status, dated = site.call(
                "GET", f"/v1/admin/performances?from={day}&to={day}&limit=100", token=cluster
            )
            assert status == 200 and dated["items"], dated

    admin_a = site.token("house_admin", house=HOUSE_A)
    theirs = encode_cursor(HOUSE_B, "2026-12-01T19:00:00Z#any-performance", "performances")
    status, refused = site.call("GET", f"/v1/admin/performances?next={theirs}", token=admin_a)
    assert (status, [e["field"] for e in refused["errors"]]) == (400, ["next"])
    halls_cursor = encode_cursor(HOUSE_A, "any-hall", "halls")
    status, refused = site.call("GET", f"/v1/admin/venues?next={halls_cursor}", token=admin_a)
    assert (status, [e["field"] for e in refused["errors"]]) == (400, ["next"])
    by_id = encode_cursor(HOUSE_A, "any-performance", "performances")  # an old cursor
    status, refused = site.call("GET", f"/v1/admin/performances?next={by_id}", token=admin_a)
    assert (status, [e["field"] for e in refused["errors"]]) == (400, ["next"])
    bad = "/v1/admin/performances?from=2026-13-01&to=2026-12-01"
    status, refused = site.call("GET", bad, token=admin_a)
    assert (status, [e["field"] for e in refused["errors"]]) == (400, ["from"])
    backwards = "/v1/admin/performances?from=2026-12-02&to=2026-12-01"
    status, refused = site.call("GET", backwards, token=admin_a)
    assert (status, [e["field"] for e in refused["errors"]]) == (400, ["to"])
    status, refused = site.call("GET", "/v1/admin/venues?from=2026-12-01", token=admin_a)
    assert (status, [e["field"] for e in refused["errors"]]) == (400, ["from"])
    for limit in ("0", "101", "many"):
        status, bad = site.call("GET", f"/v1/admin/halls?limit={limit}", token=admin_a)
        assert (status, [e["field"] for e in bad["errors"]]) == (400, ["limit"]), limit
    status, one = site.call("GET", "/v1/admin/halls?limit=1", token=admin_a)
    assert status == 200 and len(one["items"]) == 1
