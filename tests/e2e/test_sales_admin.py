"""Sales management over HTTP on the local stack, with real staff tokens from moto's user pool:
the box office sells at the desk (no Stripe) and gives comps, staff find and read orders of
their own house only, a paid webshop order is cancelled with a partial refund through the
Stripe double exactly once however often it is retried, the confirmation is resent, and the
sales report comes as JSON and CSV. Marketing may read reports but sell nothing; another
house's staff get 404."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local.stack import LocalStack
from tests.e2e.http import call, served_stack

pytestmark = pytest.mark.stack

A, B = "ntgent", "campo"


class Site:
    def __init__(self, base: str, stack: LocalStack) -> None:
        self.base, self.stack = base, stack
        self._tokens: dict[tuple[str, str], str] = {}

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, **h: str):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return call(self.base, method, path, body, **headers, **h)

    def token(self, role: str, house: str) -> str:
        if (role, house) not in self._tokens:
            status, body = call(
                self.base,
                "POST",
                "/_local/staff-tokens",
                {"memberships": [{"role": role, "house": house}]},
            )
            assert status == 200, body
            self._tokens[role, house] = str(body["access_token"])
        return self._tokens[role, house]

    def hold(self, performance: str, seats: list[str]) -> dict[str, Any]:
        status, body = self.call(
            "POST",
            f"/v1/performances/{performance}/holds",
            {"seats": seats},
            **{"X-Client-Id": f"desk-{performance[-10:]}-{seats[0]}"},
        )
        assert status == 201, body
        return body

    def staff_hold(self, performance: str, body: dict[str, Any], house: str = A) -> dict[str, Any]:
        """The desk's own hold route, under staff rules."""
        path = f"/v1/admin/performances/{performance}/holds"
        status, hold = self.call("POST", path, body, self.token("box_office", house))
        assert status == 201, hold
        return hold

    def desk_body(self, performance: str, seats: list[str], **fields: Any) -> dict[str, Any]:
        house = B if performance.startswith(f"test-sales-{B}-") else A
        hold = self.staff_hold(performance, {"seats": seats}, house)
        tariff = fields.pop("tariff", "standaard")
        return {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": s, "tariff": tariff} for s in seats],
            "customer": {"name": "Bea Balie"},
            "payment": "cash",
            **fields,
        }

    def outbox(self) -> str:
        with urllib.request.urlopen(self.base + "/outbox", timeout=10) as page:
            return page.read().decode()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with served_stack() as (base, stack):
        yield Site(base, stack)


@pytest.fixture(scope="module")
def shows(site: Site) -> dict[str, str]:
    from tests.sales_fixtures import performance_of

    now = datetime.now(UTC)
    opens, starts = now - timedelta(days=1), now + timedelta(days=20)
    shows = {house: performance_of(house, starts, opens) for house in (A, B)}
    shows["later"] = performance_of(A, starts + timedelta(days=7), opens)  # the same production
    # started half an hour ago: the webshop closed at the start, the desk sells until the end
    shows["playing"] = performance_of(A, now - timedelta(minutes=30), opens)
    shows["unopened"] = performance_of(A, starts, now + timedelta(days=3))  # public: not yet
    return shows


def paid_web_order(
    site: Site, performance: str, seats: list[str], email: str = "wout@example.be"
) -> dict[str, Any]:
    """A webshop order paid on the Stripe double's page, through the saga to its tickets."""
    order = waiting_web_order(site, performance, seats, email)
    site.stack.stripe.pay(order["payment_url"].rsplit("/", 1)[-1])
    return order_reaching(site, order, "completed")


def waiting_web_order(
    site: Site, performance: str, seats: list[str], email: str, language: str = "nl"
) -> dict[str, Any]:
    """A webshop order whose saga waits for the payment."""
    from chalicelib.bootstrap import container

    hold = site.hold(performance, seats)
    status, order = site.call(
        "POST",
        "/v1/orders",
        {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": s, "tariff": "standaard"} for s in seats],
            "customer": {"name": "Wout Webshop", "email": email, "language": language},
        },
    )
    assert status == 201, order
    deadline = time.monotonic() + 15
    while container().checkout().orders.task_token(order["order_id"]) is None:
        assert time.monotonic() < deadline, "the saga never started waiting"
        time.sleep(0.05)
    return order


def order_reaching(site: Site, order: dict[str, Any], final: str) -> dict[str, Any]:
    headers = {"X-Order-Token": order["access_token"]}
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        _, state = site.call("GET", f"/v1/orders/{order['order_id']}", **headers)
        if state["status"] == final:
            return state
        time.sleep(0.1)
    raise AssertionError(f"order stuck in {state['status']}")


def test_the_box_office_sells_at_the_desk_and_gives_comps_without_stripe(site, shows):
    box = site.token("box_office", A)
    status, sold = site.call(
        "POST",
        "/v1/admin/box-office/sales",
        site.desk_body(shows[A], ["zaal-a-3", "zaal-a-4"]),
        box,
    )
    assert status == 201, sold
    assert (sold["status"], sold["channel"], sold["payment"]["method"]) == (
        "completed",
        "box_office",
        "cash",
    )
    assert sold["total_cents"] == 2 * 2800 and sold["payment"]["session"] is None
    assert len(sold["tickets"]) == 2 and sold["pdf_url"]
    with urllib.request.urlopen(sold["pdf_url"], timeout=10) as pdf:
        assert pdf.read(5) == b"%PDF-"  # print-at-home, or printed at the desk
    _, plan = site.call("GET", f"/v1/performances/{shows[A]}/seats")
    assert {s["id"]: s["state"] for s in plan["seats"]}["zaal-a-3"] == "unavailable"

    comp_body = site.desk_body(shows[A], ["zaal-b-7"], tariff="comp", payment=None)
    status, bad = site.call("POST", "/v1/admin/box-office/sales", comp_body, box)
    assert (status, [e["field"] for e in bad["errors"]]) == (400, ["reason"])
    status, comp = site.call(
        "POST", "/v1/admin/box-office/sales", {**comp_body, "reason": "pers"}, box
    )
    assert status == 201 and comp["total_cents"] == 0 and comp["payment"]["comp_reason"] == "pers"

    body = site.desk_body(shows[A], ["zaal-e-1"])
    marketing = site.token("marketing", A)
    status, refused = site.call("POST", "/v1/admin/box-office/sales", body, marketing)
    assert (status, refused["code"]) == (403, "role_required")
    status, refused = site.call(
        "POST", "/v1/admin/box-office/sales", body, site.token("box_office", B)
    )
    assert (status, refused["code"]) == (404, "not_found")  # A's hold, to B's desk
    _, plan = site.call("GET", f"/v1/performances/{shows[A]}/seats")
    assert {s["id"]: s["state"] for s in plan["seats"]}["zaal-e-1"] == "unavailable"  # still held


def test_staff_search_and_read_their_own_houses_orders_only(site, shows):
    box_a, box_b = site.token("box_office", A), site.token("box_office", B)
    body = site.desk_body(shows[B], ["zaal-d-4"], customer={"name": "Zoë Verborgen"})
    status, b_order = site.call("POST", "/v1/admin/box-office/sales", body, box_b)
    assert status == 201, b_order
    body = site.desk_body(shows[A], ["zaal-d-4"], customer={"name": "Zoë Zichtbaar"})
    _, a_order = site.call("POST", "/v1/admin/box-office/sales", body, box_a)

    status, found = site.call("GET", "/v1/admin/orders?q=zoe", token=box_a)
    assert status == 200 and [o["order_id"] for o in found["items"]] == [a_order["order_id"]]
    assert "Verborgen" not in str(found) and found["next"] is None
    _, by_id = site.call("GET", f"/v1/admin/orders?q={b_order['order_id']}", token=box_a)
    assert by_id["items"] == []
    _, page = site.call("GET", f"/v1/admin/orders?performance={shows[A]}&limit=1", token=box_a)
    assert len(page["items"]) == 1 and page["next"]
    status, detail = site.call("GET", f"/v1/admin/orders/{a_order['order_id']}", token=box_a)
    assert status == 200 and detail["lines"][0]["place"] == "zaal-d-4"
    assert [h["status"] for h in detail["history"]] == ["paid", "completed"]
    status, hidden = site.call("GET", f"/v1/admin/orders/{b_order['order_id']}", token=box_a)
    assert (status, hidden["code"]) == (404, "not_found")
    status, bad = site.call("GET", "/v1/admin/orders?from=yesterday&colour=red", token=box_a)
    assert status == 400 and {e["field"] for e in bad["errors"]} == {"from", "colour"}
    status, _ = site.call("GET", "/v1/admin/orders", token=site.token("marketing", A))
    assert status == 403


def test_a_paid_order_cancelled_with_a_partial_refund_refunds_once_through_stripe(site, shows):
    from tests.e2e.http import stripe_gateway

    order = paid_web_order(site, shows[A], ["zaal-c-6", "zaal-c-7"])
    admin = site.token("house_admin", A)
    path = f"/v1/admin/orders/{order['order_id']}"
    status, resent = site.call("POST", f"{path}/resend", token=site.token("box_office", A))
    assert (status, resent["sent_to"]) == (202, "wout@example.be")
    too_much = {"refund": {"amount_cents": 9999}, "reason": "annulatie"}
    status, refused = site.call("POST", f"{path}/cancel", too_much, admin)
    assert (status, refused["code"]) == (422, "refund_exceeds_paid")
    status, _ = site.call(
        "POST", f"{path}/cancel", {"refund": "full", "reason": "x"}, site.token("box_office", B)
    )
    assert status == 404

    partial = {"refund": {"amount_cents": 4400}, "reason": "voorstelling verplaatst"}
    status, cancelled = site.call("POST", f"{path}/cancel", partial, admin)
    assert status == 200, cancelled
    assert (cancelled["status"], cancelled["refunded_cents"]) == ("refunded", 4400)
    assert all(t["void"] for t in cancelled["tickets"]) and cancelled["pdf_url"] is None
    assert cancelled["cancellation"]["reason"] == "voorstelling verplaatst"
    status, again = site.call("POST", f"{path}/cancel", {"refund": "full", "reason": "?"}, admin)
    assert status == 200 and again["refunded_cents"] == 4400
    intent = cancelled["payment"]["payment_intent"]
    assert stripe_gateway().refunded(intent)[1] == 4400  # Stripe's word: refunded once
    _, plan = site.call("GET", f"/v1/performances/{shows[A]}/seats")
    assert {s["id"]: s["state"] for s in plan["seats"]}["zaal-c-6"] == "free"
    page = site.outbox()
    assert "is geannuleerd" in page and "€\u00a044,00" in page
    status, refused = site.call("POST", f"{path}/resend", token=admin)
    assert (status, refused["code"]) == (422, "order_not_completed")


def test_the_sales_report_as_json_and_csv_for_reporting_roles(site, shows):
    marketing = site.token("marketing", A)
    status, report = site.call(
        "GET", f"/v1/admin/reports/sales?performance={shows[A]}", token=marketing
    )
    assert status == 200, report
    (row,) = report["performances"]
    assert row["performance"] == shows[A] and row["capacity"] == 50
    assert row["tickets"] >= 1 and row["occupancy_percent"] == round(100 * row["tickets"] / 50, 1)
    assert {c["channel"] for c in report["channels"]} <= {"web", "box_office"}
    request = urllib.request.Request(
        f"{site.base}/v1/admin/reports/sales?performance={shows[A]}&format=csv",
        headers={"Authorization": f"Bearer {marketing}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/csv")
        text = answer.read().decode()
    assert text.startswith("section,key,title") and f"performance,{shows[A]}" in text
    status, hidden = site.call(
        "GET", f"/v1/admin/reports/sales?performance={shows[B]}", token=marketing
    )
    assert (status, hidden["code"]) == (404, "not_found")
    status, _ = site.call("GET", "/v1/admin/reports/sales", token=site.token("scanner", A))
    assert status == 403


def test_an_exchange_moves_the_tickets_to_another_performance_and_refunds_the_difference(
    site, shows
):
    from tests.e2e.http import stripe_gateway

    order = paid_web_order(site, shows[A], ["zaal-a-8"])  # zone 1: 2800 + 100
    box = site.token("box_office", A)
    hold = site.staff_hold(shows["later"], {"seats": ["zaal-e-8"]})  # zone 2: 2200
    body = {
        "hold_id": hold["hold_id"],
        "hold_token": hold["hold_token"],
        "lines": [{"seat": "zaal-e-8", "tariff": "standaard"}],
        "reason": "kan niet op de eerste datum",
    }
    path = f"/v1/admin/orders/{order['order_id']}/exchange"
    status, refused = site.call("POST", path, body, site.token("marketing", A))
    assert (status, refused["code"]) == (403, "role_required")
    status, new = site.call("POST", path, body, box)
    assert status == 201, new
    assert (new["performance"], new["status"], new["total_cents"]) == (
        shows["later"],
        "completed",
        2300,
    )
    assert new["exchanged_from"] == order["order_id"] and len(new["tickets"]) == 1
    status, again = site.call("POST", path, body, box)
    assert (status, again["order_id"]) == (201, new["order_id"])  # retried: the same exchange
    _, old = site.call("GET", f"/v1/admin/orders/{order['order_id']}", token=box)
    assert old["exchanged_to"] == new["order_id"] and all(t["void"] for t in old["tickets"])
    intent = old["payment"]["payment_intent"]
    assert stripe_gateway().refunded(intent)[1] == 600  # the difference, once


def test_cancelling_a_performance_refunds_every_buyer_once_in_the_background(site, shows):
    """Paid webshop orders and a desk sale are refunded by the queue's consumer (one Stripe
    refund failing once comes back and succeeds), a checkout paid only after the cancellation
    is refunded by its saga with no tickets; each buyer mailed once, the door revokes every
    ticket, and asking again queues nothing."""
    import re

    from chalicelib.catalogue.model import CatalogueSet
    from chalicelib.catalogue.store import DynamoCatalogueStore
    from tests import factories
    from tests.sales_fixtures import performance_of

    now = datetime.now(UTC)
    show = performance_of(A, now + timedelta(days=25), now - timedelta(days=1))
    # This stack is not seeded: the cancellation republishes the cluster's catalogue.
    DynamoCatalogueStore().save_all(CatalogueSet(clusters=(factories.cluster(),)))
    tag = show[-6:]
    paid = [
        paid_web_order(site, show, [f"zaal-a-{n}"], f"koper{n}-{tag}@example.be") for n in (1, 2, 3)
    ]
    admin = site.token("house_admin", A)
    _, at_desk = site.call(
        "POST", "/v1/admin/box-office/sales", site.desk_body(show, ["zaal-b-1"]), admin
    )
    late = waiting_web_order(site, show, ["zaal-c-1", "zaal-c-2"], f"laat-{tag}@example.be", "fr")
    early = site.hold(show, ["zaal-d-1"])

    site.stack.stripe.fail_next("/v1/refunds", status=400)  # the first refund fails, once
    path = f"/v1/admin/performances/{show}"
    status, cancelled = site.call("POST", f"{path}/cancel", {"reason": "ziekte"}, admin)
    assert status == 202, cancelled
    assert cancelled["status"] == "cancelled"
    assert cancelled["refunds"]["queued"] == 4 and cancelled["refunds"]["checkouts_paying"] == 1
    # a hold taken before the cancellation buys nothing after it
    status, refused = site.call(
        "POST",
        "/v1/orders",
        {
            "hold_id": early["hold_id"],
            "hold_token": early["hold_token"],
            "lines": [{"seat": "zaal-d-1", "tariff": "standaard"}],
            "customer": {"name": "Te Laat", "email": f"te-laat-{tag}@example.be"},
        },
    )
    assert (status, refused.get("code")) == (422, "not_on_sale"), refused

    site.stack.stripe.pay(late["payment_url"].rsplit("/", 1)[-1])  # paid after the cancel
    refunded_late = order_reaching(site, late, "refunded")
    assert refunded_late["tickets"] == []
    deadline = time.monotonic() + 30  # the failed refund comes back after the visibility timeout
    while time.monotonic() < deadline:
        _, performance = site.call("GET", path, token=admin)
        if performance["refunds"]["done"]:
            break
        time.sleep(0.25)
    refunds = performance["refunds"]
    assert (refunds["to_refund"], refunds["refunded"], refunds["done"]) == (0, 5, True), refunds

    from tests.e2e.http import stripe_gateway

    per_intent: dict[str, int] = {}
    for event in site.stack.stripe.events("refund.created"):
        intent = event["data"]["object"]["payment_intent"]
        per_intent[intent] = per_intent.get(intent, 0) + 1
    tickets = []
    for order in [*paid, late]:
        _, detail = site.call("GET", f"/v1/admin/orders/{order['order_id']}", token=admin)
        assert detail["status"] == "refunded", detail
        intent = detail["payment"]["payment_intent"]
        assert per_intent[intent] == 1  # exactly one refund per buyer
        assert stripe_gateway().refunded(intent)[1] == detail["total_cents"]
        assert all(t["void"] for t in detail["tickets"])
        tickets += [t["id"] for t in detail["tickets"]]
    _, desk_order = site.call("GET", f"/v1/admin/orders/{at_desk['order_id']}", token=admin)
    assert desk_order["status"] == "refunded" and all(t["void"] for t in desk_order["tickets"])
    tickets += [t["id"] for t in desk_order["tickets"]]
    assert len(tickets) == 4  # the late checkout never had any

    outbox = site.outbox()
    for n in (1, 2, 3):
        subjects = re.findall(rf"<h2>([^<]*)</h2><p>Aan / To: koper{n}-{tag}@", outbox)
        assert sum("geannuleerd" in s for s in subjects) == 1, subjects
    late_mails = re.findall(rf"<h2>([^<]*)</h2><p>Aan / To: laat-{tag}@", outbox)
    assert len(late_mails) == 1 and late_mails[0].endswith("est annulée"), late_mails

    scanner = site.token("scanner", A)
    _, keys = site.call("GET", f"/v1/scan/keys?performance={show}", token=scanner)
    assert set(tickets) <= set(keys["revoked"])

    status, again = site.call("POST", f"{path}/cancel", None, admin)
    assert status == 202 and again["refunds"]["queued"] == 0 and again["refunds"]["done"]


def test_one_ticket_of_three_moves_to_a_cheaper_performance_and_the_others_stay_valid(site, shows):
    """The box office's real case: one of a family can only come on the later date."""
    order = paid_web_order(site, shows[A], ["zaal-b-4", "zaal-b-5", "zaal-b-6"])  # 3 x 2900
    box, scanner = site.token("box_office", A), site.token("scanner", A)
    path = f"/v1/admin/orders/{order['order_id']}"
    _, before = site.call("GET", path, token=box)
    stay, move, stay_too = before["tickets"]
    hold = site.staff_hold(shows["later"], {"seats": ["zaal-d-8"]})  # zone 2: 2200 + the fee
    body = {
        "tickets": [move["id"]],
        "hold_id": hold["hold_id"],
        "hold_token": hold["hold_token"],
        "lines": [{"seat": "zaal-d-8", "tariff": "standaard"}],
        "reason": "kan enkel zaterdag",
    }
    status, bad = site.call(
        "POST", f"{path}/exchange", {**body, "tickets": [move["id"], stay["id"]]}, box
    )
    assert (status, [e["field"] for e in bad["errors"]]) == (400, ["lines"])
    answers = [site.call("POST", f"{path}/exchange", body, box) for _ in range(3)]  # 2 retries
    assert [status for status, _ in answers] == [201, 201, 201], answers[0]
    new = answers[0][1]
    assert {a["order_id"] for _, a in answers} == {new["order_id"]}
    assert (new["performance"], new["total_cents"], new["exchanged_from"]) == (
        shows["later"],
        2300,
        order["order_id"],
    )
    assert new["replaces"] == [move["id"]]

    assert site.stack.stripe.drain(10)  # the refund's webhook came and changed nothing
    _, old = site.call("GET", path, token=box)
    assert (old["status"], old["refunded_cents"], old["exchanged_to"]) == ("completed", 600, None)
    assert old["exchanges"][0]["order_id"] == new["order_id"]
    assert old["exchanges"][0]["tickets"] == [move["id"]]
    assert [(t["void"], t["exchanged_to"]) for t in old["tickets"]] == [
        (False, None),
        (True, new["order_id"]),
        (False, None),
    ]
    intent = old["payment"]["payment_intent"]
    refunds = [
        e
        for e in site.stack.stripe.events("refund.created")
        if e["data"]["object"]["payment_intent"] == intent
    ]
    assert [r["data"]["object"]["amount"] for r in refunds] == [600]  # one refund, the difference

    def check_in(performance: str, ticket: dict[str, Any]) -> dict[str, Any]:
        payload = {"performance": performance, "payload": ticket["qr"], "scanner": "deur-1"}
        status, verdict = site.call("POST", "/v1/scan/checkins", payload, scanner)
        assert status == 200, verdict
        return verdict

    assert check_in(shows[A], stay)["verdict"] == "accepted"
    assert check_in(shows[A], stay_too)["verdict"] == "accepted"
    refused = check_in(shows[A], move)
    assert (refused["verdict"], refused["reason"]) == ("revoked", "exchanged")
    assert check_in(shows["later"], new["tickets"][0])["verdict"] == "accepted"
    site.hold(shows[A], ["zaal-b-5"])  # its seat: on sale again, held by someone else
    _, plan = site.call("GET", f"/v1/performances/{shows[A]}/seats")
    states = {s["id"]: s["state"] for s in plan["seats"]}
    assert states["zaal-b-4"] == states["zaal-b-6"] == "unavailable"  # still sold


def test_the_desk_sells_from_a_staff_hold_after_the_public_sales_closed(site, shows):
    playing = shows["playing"]
    status, refused = site.call(
        "POST",
        f"/v1/performances/{playing}/holds",
        {"seats": ["zaal-c-1"]},
        **{"X-Client-Id": "late-buyer-0001"},
    )
    assert (status, refused["code"], refused["sales_status"]) == (
        422,
        "not_on_sale",
        "sales_closed",
    )
    box = site.token("box_office", A)
    path = f"/v1/admin/performances/{playing}/holds"
    hold = site.staff_hold(playing, {"quantity": 2, "zone": "zone-2"})
    assert len(hold["seats"]) == 2 and hold["hold_token"] and hold["expires_at"]
    seats = [s["id"] for s in hold["seats"]]
    body = {
        "hold_id": hold["hold_id"],
        "hold_token": hold["hold_token"],
        "lines": [{"seat": s, "tariff": "standaard"} for s in seats],
        "customer": {"name": "Laatkomer"},
        "payment": "card_terminal",
    }
    status, sold = site.call("POST", "/v1/admin/box-office/sales", body, box)
    assert status == 201, sold
    assert (sold["status"], sold["performance"], len(sold["tickets"])) == (
        "completed",
        playing,
        2,
    )
    status, taken = site.call("POST", path, {"seats": [seats[0], "zaal-e-10"]}, box)
    assert (status, taken["code"], taken["unavailable"]) == (409, "seats_taken", [seats[0]])

    # 30 seats and a wheelchair place in one hold, before the public opening; then released
    unopened = shows["unopened"]
    thirty = ["zaal-a-1", *(f"zaal-{row}-{n}" for row in "bcd" for n in range(1, 11))][:30]
    big = site.staff_hold(unopened, {"seats": thirty})
    assert len(big["seats"]) == 30
    headers = {"X-Hold-Token": big["hold_token"]}
    status, _ = site.call("DELETE", f"/v1/holds/{big['hold_id']}", **headers)
    assert status == 204
    _, plan = site.call("GET", f"/v1/performances/{unopened}/seats")
    assert {s["id"]: s["state"] for s in plan["seats"]}["zaal-a-1"] == "free"

    status, refused = site.call("POST", path, {"quantity": 99}, box)
    assert (status, refused["code"], refused["max"]) == (422, "max_seats_per_hold", 98)
    status, bad = site.call("POST", path, {"quantity": 2, "colour": "red"}, box)
    assert (status, bad["errors"][0]["field"]) == (400, "colour")
    status, hidden = site.call("POST", path, {"quantity": 1}, site.token("box_office", B))
    assert (status, hidden["code"]) == (404, "not_found")
    status, refused = site.call("POST", path, {"quantity": 1}, site.token("marketing", A))
    assert (status, refused["code"]) == (403, "role_required")
