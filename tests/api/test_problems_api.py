"""The problems a buyer meets, through Chalice's test client on AWS's DynamoDB Local: each rule
answers its machine `code` with the right status, and its `detail` in the buyer's language."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.catalogue.model import Tariff, TariffConditions
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.errors import CODES, Problem
from chalicelib.core.i18n import LANGUAGES
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.orders.model import HoldAlreadyOrdered, Order
from chalicelib.orders.service import CheckoutService
from chalicelib.orders.store import DynamoOrderStore
from chalicelib.payments.model import CheckoutRequest, CheckoutSession
from tests import factories as f
from tests.inventory_fixtures import ZONES, new_performance, save_in_hall

CLIENT = {"X-Client-Id": "browser-0001", "Content-Type": "application/json"}

# The contract the webshop builds on: every code, and the status it comes with.
STATUS_OF_CODE = {
    "invalid_input": 400,
    "not_found": 404,
    "no_seat_map": 404,
    "seats_taken": 409,
    "seats_gone": 409,
    "hold_ordered": 409,
    "not_on_sale": 422,
    "max_holds_per_client": 422,
    "max_seats_per_hold": 422,
    "max_per_order": 422,
    "hold_sold": 422,
    "hold_extended": 422,
    "hold_expired": 422,
    "not_holdable": 422,  # a staff hold (tests/integration/test_staff_holds.py)
    # the waiting room and its hold gate (tests/api/test_waiting_room_api.py)
    "admission_required": 401,
    "admission_expired": 401,
    "admission_invalid": 403,
    "not_admitted_yet": 409,
    "admission_other_client": 409,
    "identity_busy": 409,
    "admission_lapsed": 422,
    "waiting_room_closed": 422,
    "max_holds_per_identity": 422,
    "max_seats_per_identity": 422,
    # the staff API (tests/unit/test_admin_auth.py, tests/e2e/test_admin_api.py)
    "staff_token_missing": 401,
    "staff_token_invalid": 401,
    "staff_token_expired": 401,
    "role_required": 403,
    # programme management (tests/e2e/test_programme_admin.py)
    "production_has_performances": 409,
    "hall_in_use": 409,
    "performance_not_ready": 422,
    "performance_cancelled": 422,
    "venue_has_halls": 409,
    # sales management (tests/integration/test_sales.py, tests/e2e/test_sales_admin.py)
    "order_not_completed": 422,
    "refund_exceeds_paid": 422,
    "exchange_other_production": 422,
    "ticket_not_exchangeable": 422,
    # door scanning (tests/integration/test_scanning.py)
    "nonce_reused": 409,
}

MIN26 = Tariff(
    id="min26",
    name={"nl": "-26 jaar", "fr": "Moins de 26 ans", "en": "Under 26"},
    prices={"zone-1": 1400, "zone-2": 1100},
    conditions=TariffConditions(max_per_order=1),
)


class Payments:
    """Stands in for Stripe: a checkout page per order, nothing paid."""

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        return CheckoutSession(
            id=f"cs_{request.order_id}",
            url=f"https://pay.example/{request.order_id}",
            status="open",
            payment_status="unpaid",
            amount_total=request.amount_cents,
            order_id=request.order_id,
            payment_intent=None,
        )


class Workflow:
    def start(self, order_id: str, payload: dict[str, Any]) -> None:
        pass


class LosingRace(DynamoOrderStore):
    """Another request placed an order on the same hold between our check and our write."""

    def order_of_hold(self, hold_id: str) -> str | None:
        return None

    def create(self, order: Order) -> None:
        raise HoldAlreadyOrdered(order.hold)


@dataclass
class Shop:
    client: Client
    clock: FixedClock
    inventory: InventoryService
    checkout: CheckoutService

    def hold(self, performance: str, body: Any, **headers: str) -> Any:
        return self.client.http.post(
            f"/v1/performances/{performance}/holds",
            body=json.dumps(body).encode(),
            headers={**CLIENT, **headers},
        )

    def held(self, performance: str, seats: list[str]) -> dict[str, Any]:
        response = self.hold(performance, {"seats": seats})
        assert response.status_code == 201, response.body
        return response.json_body

    def order(self, hold: dict[str, Any], tariff: str = "standaard", **headers: str) -> Any:
        body = {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": seat["id"], "tariff": tariff} for seat in hold["seats"]],
            "customer": {"name": "An Peeters", "email": "an@example.be", "language": "nl"},
        }
        return self.client.http.post(
            "/v1/orders",
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **headers},
        )


@pytest.fixture
def shop(dynamodb: None) -> Iterator[Shop]:
    clock = FixedClock(f.T0)
    inventory = InventoryService(DynamoInventoryStore(), DynamoCatalogueStore(), clock)
    checkout = CheckoutService(
        DynamoOrderStore(),
        inventory,
        Payments(),  # type: ignore[arg-type]
        Workflow(),  # type: ignore[arg-type]
        clock,
        public_url="http://shop.example",
        token_secret=b"test-secret",
    )
    with bootstrap.overridden(inventory=inventory, checkout=checkout), Client(app) as client:
        yield Shop(client, clock, inventory, checkout)


def problem(response: Any, code: str) -> dict[str, Any]:
    """The problem body, after checking it is the one the code's contract promises."""
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json_body
    assert (response.status_code, body.get("code")) == (STATUS_OF_CODE[code], code), body
    assert body["status"] == response.status_code
    assert body["detail"]
    return body


def in_each_language(code: str, send: Any) -> dict[str, dict[str, Any]]:
    """The same request asked in Dutch, French and English: the problem body per language."""
    bodies = {}
    for lang in LANGUAGES:
        response = send({"Accept-Language": lang})
        assert response.headers["Content-Language"] == lang
        bodies[lang] = problem(response, code)
    return bodies


def said(bodies: dict[str, dict[str, Any]], **words: str) -> None:
    """Each language's detail says its words (numbers and labels interpolated in each)."""
    assert {lang: words[lang] in body["detail"] for lang, body in bodies.items()} == {
        lang: True for lang in LANGUAGES
    }, bodies


def raised(code: str, call: Any, *args: Any) -> Problem:
    with pytest.raises(Problem) as caught:
        call(*args)
    assert (caught.value.status, caught.value.code) == (STATUS_OF_CODE[code], code)
    return caught.value


def test_the_contract_table_is_the_code_registry():
    kind_status = {
        "invalid-input": 400,
        "unauthorized": 401,
        "forbidden": 403,
        "not-found": 404,
        "conflict": 409,
        "rule-broken": 422,
    }
    assert {code: kind_status[kind] for code, kind in CODES.items()} == STATUS_OF_CODE


# --- holds ---------------------------------------------------------------------------------


def test_seats_just_taken(shop):
    p = new_performance()
    shop.held(p, ["zaal-d-3"])
    lost = shop.hold(p, {"seats": ["zaal-d-2", "zaal-d-3"]}, **{"X-Client-Id": "browser-0002"})
    assert problem(lost, "seats_taken")["unavailable"] == ["zaal-d-3"]


def test_best_available_and_standing_room_shortfall(shop):
    p = new_performance(pool_capacity=2)
    zone_1 = [f"zaal-{row}-{n}" for row in "ab" for n in range(1, 11)]
    shop.inventory.block(p, zone_1, "technical")
    best = problem(shop.hold(p, {"quantity": 2, "zone": "zone-1"}), "seats_gone")
    standing = problem(shop.hold(p, {"quantity": 3, "pool": "staan"}), "seats_gone")
    assert best["unavailable"] == standing["unavailable"] == []
    assert "staanplaatsen" in standing["detail"] and "staanplaatsen" not in best["detail"]


def test_not_on_sale_yet(shop):
    p = new_performance(sales_opens_at=f.T0 + timedelta(days=1))
    body = problem(shop.hold(p, {"quantity": 1}), "not_on_sale")
    assert body["sales_status"] == "not_yet_on_sale"
    assert body["detail"] == "De verkoop voor deze voorstelling is nog niet gestart."


def test_a_staff_hold_says_why_the_performance_is_not_holdable(shop):
    from chalicelib.catalogue.model import PerformanceStatus

    p = new_performance(status=PerformanceStatus.CANCELLED)
    detail = DynamoCatalogueStore().own_performance({"ntgent"}, p)
    refused = raised("not_holdable", shop.inventory.staff_hold, detail, HoldCommand(quantity=1))
    assert refused.to_dict("fr")["reason"] == "cancelled"
    assert refused.to_dict("fr")["detail"] == "Cette représentation est annulée."


def test_holds_per_buyer_limit(shop):
    p = new_performance(max_holds_per_client=1)
    shop.held(p, ["zaal-e-1"])
    body = problem(
        shop.hold(p, {"seats": ["zaal-e-2"]}, **{"Accept-Language": "en"}), "max_holds_per_client"
    )
    assert (body["limit"], body["max"]) == ("max_holds_per_client", 1)
    assert "at most 1 reservation at a time" in body["detail"]  # singular for one


def test_seats_per_hold_limit_in_each_language(shop):
    p = new_performance()
    bodies = in_each_language("max_seats_per_hold", lambda h: shop.hold(p, {"quantity": 11}, **h))
    assert {(b["limit"], b["max"]) for b in bodies.values()} == {("max_seats_per_hold", 10)}
    said(bodies, nl="10 plaatsen", fr="10 places", en="10 seats")


def test_a_bought_hold_cannot_be_released(shop):
    p = new_performance()
    hold = shop.held(p, ["zaal-c-1"])
    shop.inventory.sell(hold["hold_id"])
    released = shop.client.http.delete(
        f"/v1/holds/{hold['hold_id']}", headers={"X-Hold-Token": hold["hold_token"]}
    )
    problem(released, "hold_sold")


def test_a_hold_is_extended_once_and_not_when_expired(shop):
    p = new_performance()
    once = shop.held(p, ["zaal-c-2"])
    shop.inventory.extend(once["hold_id"], once["hold_token"])
    raised("hold_extended", shop.inventory.extend, once["hold_id"], once["hold_token"])
    lapsed = shop.held(p, ["zaal-c-3"])
    shop.clock.advance(minutes=16)
    expired = raised("hold_expired", shop.inventory.extend, lapsed["hold_id"], lapsed["hold_token"])
    assert str(expired) == "Your reservation has expired; choose your seats again."


def test_a_performance_without_seat_map(shop):
    hall = f.hall(id="studio-no-map", seat_map="never-imported", price_zones=ZONES)
    # Not on sale yet: a snapshot of what is on sale in the shared table skips it.
    opens = f.T0 + timedelta(days=1)
    performance = replace(f.performance("test-no-map", sales_opens_at=opens), hall=hall.id)
    save_in_hall(performance, hall, None)
    problem(shop.client.http.get(f"/v1/performances/{performance.id}/seats"), "no_seat_map")


def test_unknown_ids_and_bad_input(shop):
    problem(shop.client.http.get("/v1/holds/h-123"), "not_found")
    problem(shop.client.http.get("/v1/performances/nope/seats"), "not_found")
    body = problem(shop.hold(new_performance(), {"quantity": 0}), "invalid_input")
    assert body["detail"] == "Ongeldige waarde voor: quantity"
    assert body["errors"][0]["field"] == "quantity"


# --- orders --------------------------------------------------------------------------------


def test_ordering_an_expired_hold(shop):
    hold = shop.held(new_performance(), ["zaal-c-4"])
    shop.clock.advance(minutes=16)
    body = problem(shop.order(hold), "hold_expired")
    assert body["detail"] == "Je reservatie is verlopen. Kies je plaatsen opnieuw."


def test_two_orders_racing_for_one_hold(shop):
    hold = shop.held(new_performance(), ["zaal-c-5"])
    shop.checkout.orders = LosingRace()
    problem(shop.order(hold, **{"Accept-Language": "fr"}), "hold_ordered")


def test_tickets_per_order_at_a_tariff(shop):
    tariffs = (*f.performance().tariffs, MIN26)
    hold = shop.held(new_performance(tariffs=tariffs), ["zaal-c-6", "zaal-c-7"])
    bodies = in_each_language("max_per_order", lambda h: shop.order(hold, "min26", **h))
    limits = {(b["limit"], b["tariff"], b["max"]) for b in bodies.values()}
    assert limits == {("max_per_order", "min26", 1)}
    said(
        bodies,
        nl="1 ticket aan het tarief '-26 jaar'",
        fr="1 billet au tarif « Moins de 26 ans »",
        en="1 ticket at tariff 'Under 26'",
    )


# --- languages -----------------------------------------------------------------------------


def test_detail_and_title_follow_the_language_asked(shop):
    p = new_performance()
    shop.held(p, ["zaal-b-5"])
    requests = {
        "seats_taken": lambda h: shop.hold(
            p, {"seats": ["zaal-b-5"]}, **{"X-Client-Id": "browser-0009", **h}
        ),
        "not_found": lambda h: shop.client.http.get("/v1/holds/h-404", headers=h),
        "invalid_input": lambda h: shop.hold(p, {"quantity": "two"}, **h),
    }
    for code, send in requests.items():
        bodies = in_each_language(code, send)
        assert len({b["detail"] for b in bodies.values()}) == 3, bodies
        assert len({b["title"] for b in bodies.values()}) == 3, bodies
        # A language we do not speak gets Dutch, as everything else does.
        unsupported = send({"Accept-Language": "de-DE,de;q=0.9"})
        assert problem(unsupported, code)["detail"] == bodies["nl"]["detail"]
        assert unsupported.headers["Content-Language"] == "nl"


def test_lang_in_the_query_wins_over_accept_language(shop):
    response = shop.client.http.get("/v1/holds/h-404?lang=fr", headers={"Accept-Language": "en"})
    body = problem(response, "not_found")
    assert body["detail"] == "Il n'y a pas de réservation avec l'identifiant 'h-404'."
    assert body["title"] == "Introuvable"
