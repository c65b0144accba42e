"""The staff API on the local stack, over HTTP, with real Cognito-shaped tokens from moto's
user pool (local/staff.py): who is signed in, what their roles allow, the waiting room's
configuration, and tenant isolation for every admin route of the app — generated from the
app's own routes, so a new route cannot escape it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.http import call, served_stack

pytestmark = pytest.mark.stack

HOUSE_A, HOUSE_B = "ntgent", "campo"  # both in the Gent cluster
REASON_OF_B = "Verborgen reden van de regie"  # why house B blocked a seat: never shown to A


class Site:
    def __init__(self, base: str, port: int) -> None:
        self.base, self.port = base, port

    def call(self, method: str, path: str, body: Any = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return call(self.base, method, path, body, **headers)

    def token(self, role: str, *, house: str | None = None, cluster: str | None = None) -> str:
        scope = {"house": house} if house else {"cluster": cluster}
        status, body = call(
            self.base,
            "POST",
            "/_local/staff-tokens",
            {"memberships": [{"role": role, **scope}]},
        )
        assert status == 200, body
        return str(body["access_token"])


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with served_stack(seeded=True) as (base, _):
        yield Site(base, int(base.rsplit(":", 1)[1]))


def performances_of(site: Site, house: str) -> list[str]:
    _, listing = call(site.base, "GET", f"/v1/performances?cluster=gent&house={house}&limit=50")
    return [p["id"] for p in listing["items"]]


def room_body(site: Site, house: str, **changes: Any) -> dict[str, Any]:
    opens = datetime.now(UTC) + timedelta(days=2)
    return {
        "house": house,
        "performances": performances_of(site, house)[:2],
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "closes_at": (opens + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "admit_per_minute": 300,
        **changes,
    }


@pytest.fixture(scope="module")
def house_b_room(site: Site) -> dict[str, Any]:
    """An object of house B for every admin route to be tried on by house A's staff."""
    room_id = f"room-b-{uuid.uuid4().hex[:8]}"
    token = site.token("house_admin", house=HOUSE_B)
    status, body = site.call(
        "PUT", f"/v1/admin/waiting-rooms/{room_id}", room_body(site, HOUSE_B), token
    )
    assert status == 201, body
    return body


@pytest.fixture(scope="module")
def house_b(site: Site, house_b_room: dict[str, Any]) -> dict[str, Any]:
    """House B's objects, one of each kind an admin route's path names."""
    token = site.token("house_admin", house=HOUSE_B)
    _, detail = call(site.base, "GET", f"/v1/performances/{performances_of(site, HOUSE_B)[0]}")
    hall = detail["hall"]
    status, production = site.call(
        "POST",
        "/v1/admin/productions",
        {
            "title": {"nl": f"Verborgen stuk {uuid.uuid4().hex[:6]}"},
            "genre": "dance",
            "duration_minutes": 60,
        },
        token,
    )
    assert status == 201, production
    starts = datetime.now(UTC) + timedelta(days=40)
    status, performance = site.call(
        "POST",
        "/v1/admin/performances",
        {
            "production": production["id"],
            "hall": hall["id"],
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tariffs": [
                {
                    "id": "standaard",
                    "name": {"nl": "Standaard"},
                    "prices": {hall["price_zones"][0]["id"]: 1500},
                }
            ],
        },
        token,
    )
    assert status == 201, performance
    _, plan = call(site.base, "GET", f"/v1/performances/{performances_of(site, HOUSE_B)[0]}/seats")
    status, blocked = site.call(
        "POST",
        f"/v1/admin/performances/{performance['id']}/blocked-seats",
        {"seats": [plan["seats"][0]["id"]], "reason": REASON_OF_B},
        token,
    )
    assert status == 200, blocked
    _, own_hall = site.call("GET", f"/v1/admin/halls/{hall['id']}", token=token)
    _, own_venue = site.call("GET", f"/v1/admin/venues/{detail['venue']['id']}", token=token)
    return {
        "room": house_b_room,
        "production": production,
        "performance": performance,
        "hall": own_hall,
        "venue": own_venue,
        "order": order_of_b(site),
    }


def order_of_b(site: Site) -> dict[str, Any]:
    """A box office sale of house B: the first free seat of a seeded performance on sale."""
    token = site.token("box_office", house=HOUSE_B)
    for performance in performances_of(site, HOUSE_B):
        _, detail = call(site.base, "GET", f"/v1/performances/{performance}")
        _, plan = call(site.base, "GET", f"/v1/performances/{performance}/seats")
        for seat in (s for s in plan.get("seats", []) if s["state"] == "free"):
            tariff = next(
                (
                    t["id"]
                    for t in detail.get("tariffs", [])
                    if any(p["zone"] == seat["zone"] and p["cents"] > 0 for p in t["prices"])
                ),
                None,
            )
            status, hold = call(
                site.base,
                "POST",
                f"/v1/performances/{performance}/holds",
                {"seats": [seat["id"]]},
                **{"X-Client-Id": "house-b-desk-0001"},
            )
            if tariff is None or status != 201:
                break
            sale = {
                "hold_id": hold["hold_id"],
                "hold_token": hold["hold_token"],
                "lines": [{"seat": seat["id"], "tariff": tariff}],
                "customer": {"name": "Brecht Verborgen-Koper"},
                "payment": "cash",
            }
            status, order = site.call("POST", "/v1/admin/box-office/sales", sale, token)
            assert status == 201, order
            return {**order, "id": order["order_id"]}
    raise AssertionError("no performance of house B on sale to sell a seat of")


def test_who_is_signed_in_and_what_their_role_allows(site):
    status, me = site.call("GET", "/v1/admin/me", token=site.token("box_office", house=HOUSE_A))
    assert status == 200
    assert me["memberships"] == [{"role": "box_office", "house": HOUSE_A, "cluster": None}]
    assert me["houses"]["sales"] == [HOUSE_A] and me["houses"]["programme"] == []
    cluster = site.token("cluster_admin", cluster="gent")
    _, admin = site.call("GET", "/v1/admin/me", token=cluster)
    assert HOUSE_A in admin["houses"]["programme"] and HOUSE_B in admin["houses"]["programme"]
    assert "cc-kortrijk" not in admin["houses"]["programme"]  # another cluster


def test_no_token_a_forged_token_and_the_wrong_role(site):
    status, body = site.call("GET", "/v1/admin/me")
    assert (status, body["code"]) == (401, "staff_token_missing")
    token = site.token("house_admin", house=HOUSE_A)
    head, payload, signature = token.split(".")
    claims = json.loads(_unb64(payload))
    claims["cognito:groups"] = ["cluster:gent:cluster_admin"]  # promoting oneself
    forged = f"{head}.{_b64(json.dumps(claims).encode())}.{signature}"
    status, body = site.call("GET", "/v1/admin/me", token=forged)
    assert (status, body["code"]) == (401, "staff_token_invalid")
    scanner = site.token("scanner", house=HOUSE_A)
    status, body = site.call("GET", "/v1/admin/waiting-rooms/anything", token=scanner)
    assert (status, body["code"]) == (403, "role_required")


def test_staff_configure_a_waiting_room_and_read_it_back(site):
    token = site.token("house_admin", house=HOUSE_A)
    room_id = f"room-a-{uuid.uuid4().hex[:8]}"
    path = f"/v1/admin/waiting-rooms/{room_id}"
    body = room_body(site, HOUSE_A)
    del body["house"]  # their only house
    status, created = site.call("PUT", path, body, token)
    assert status == 201, created
    assert created["house"] == HOUSE_A and created["drawn_at"] is None
    assert created["session_minutes"] == 15 and created["max_holds_per_identity"] == 2
    status, again = site.call("PUT", path, {**body, "admit_per_minute": 120}, token)
    assert (status, again["admit_per_minute"]) == (200, 120)
    status, read = site.call("GET", path, token=token)
    assert (status, read) == (200, again)
    # The seat plan now names the room for its performances (from 15 minutes before opening).
    status, bad = site.call("PUT", path, {**body, "admit_per_minute": 0, "colour": "red"}, token)
    assert status == 400
    assert {e["field"] for e in bad["errors"]} == {"admit_per_minute", "colour"}
    status, bad = site.call(
        "PUT", path, {**body, "performances": performances_of(site, HOUSE_B)[:1]}, token
    )
    assert (status, bad["errors"][0]["field"]) == (400, "performances[0]")  # not our house
    assert site.call("GET", path, token=token)[1] == again  # bad input changed nothing


def test_podium_token_prints_the_token_alone(site):
    done = subprocess.run(
        [sys.executable, "-m", "local.cli", "token", "--role", "box_office", "--house", HOUSE_A],
        env={**os.environ, "PODIUM_PORT": str(site.port)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", token) and done.stdout.count("\n") == 1
    status, me = site.call("GET", "/v1/admin/me", token=token)
    assert status == 200 and me["houses"]["sales"] == [HOUSE_A]


# --- tenant isolation: every admin route, house A's staff, house B's objects ----------------

# For each path parameter of an admin route: house B's object of that kind.
OBJECTS_OF_B = {
    "room_id": lambda b: b["room"]["id"],
    "production_id": lambda b: b["production"]["id"],
    "performance_id": lambda b: b["performance"]["id"],
    "order_id": lambda b: b["order"]["id"],
    "hall_id": lambda b: b["hall"]["id"],
    "venue_id": lambda b: b["venue"]["id"],
}
# Where each of house B's objects is read back by its owner, to see that nothing changed.
OWN_PATH_OF_B = {
    "room": "/v1/admin/waiting-rooms/{}",
    "production": "/v1/admin/productions/{}",
    "performance": "/v1/admin/performances/{}",
    "order": "/v1/admin/orders/{}",
    "hall": "/v1/admin/halls/{}",
    "venue": "/v1/admin/venues/{}",
}


def admin_routes() -> list[tuple[str, str]]:
    from app import app

    return sorted(
        (path, method)
        for path, methods in app.routes.items()
        if path.startswith("/v1/admin/")
        for method in methods
    )


def test_every_admin_route_is_in_the_isolation_matrix():
    for path, _ in admin_routes():
        for name in re.findall(r"\{(\w+)\}", path):
            assert name in OBJECTS_OF_B, f"{path}: no house B object for {{{name}}} in the matrix"


@pytest.mark.parametrize(("path", "method"), admin_routes())
def test_house_a_staff_never_reach_house_b(site, house_b, path, method):
    concrete = re.sub(r"\{(\w+)\}", lambda m: OBJECTS_OF_B[m.group(1)](house_b), path)
    unknown = re.sub(r"\{(\w+)\}", "no-such-object", path)
    ids_of_b = [obj["id"] for obj in house_b.values()]
    secrets_of_b = {
        HOUSE_B,
        *house_b["room"]["performances"],
        house_b["production"]["title"]["nl"],
        house_b["order"]["customer"]["name"],
        house_b["venue"]["name"],
        REASON_OF_B,
    }
    body = room_body(site, HOUSE_A) if method in ("PUT", "POST", "PATCH") else None
    for role in ("cluster_admin", "house_admin", "box_office", "marketing", "scanner"):
        token = (
            site.token(role, cluster="zuidwest")
            if role == "cluster_admin"
            else site.token(role, house=HOUSE_A)
        )
        status, answer = site.call(method, concrete, body, token)
        if "{" in path:
            assert status in (403, 404), (role, method, path, status, answer)
            if method == "GET":  # a read cannot even tell it from an object that is not there
                unknown_answer = site.call(method, unknown, body, token)
                echoed = json.dumps(answer)
                for ident in ids_of_b:
                    echoed = echoed.replace(ident, "no-such-object")
                assert (status, json.loads(echoed)) == unknown_answer, (role, method, path)
        else:
            assert status < 500, (role, method, path, status, answer)
        text = json.dumps(answer)
        for ident in ids_of_b:  # the id the caller sent, echoed ("no hall with id …")
            text = text.replace(ident, "no-such-object")
        leaked = {s for s in secrets_of_b if s in text}
        assert not leaked, (role, method, path, leaked)
    owner = site.token("house_admin", house=HOUSE_B)
    for kind, own_path in OWN_PATH_OF_B.items():
        _, after = site.call("GET", own_path.format(house_b[kind]["id"]), token=owner)
        assert _stable(after) == _stable(house_b[kind]), kind  # nothing of B changed


def _stable(obj: dict[str, Any]) -> dict[str, Any]:
    """An object as compared before and after: without the alias `id` the matrix adds, and
    without signed links (a PDF link is signed anew on every read)."""
    return {k: v for k, v in obj.items() if k not in ("id", "pdf_url")}


def _b64(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
