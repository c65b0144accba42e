"""Sales management's use cases on AWS's DynamoDB Local with the real stores, the checkout's
own steps and a fake payment port: search and detail only within the caller's houses, a
cancel that refunds once however often it is retried, the desk selling and giving comps
without Stripe, and the report adding up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.errors import Problem
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.orders.adapters import SignedTicketIssuer
from chalicelib.orders.mail import ConfirmationMails
from chalicelib.orders.service import CheckoutService
from chalicelib.orders.store import DynamoOrderStore
from chalicelib.payments.model import CheckoutRequest, CheckoutSession
from chalicelib.sales.model import parse_report, parse_search, report_csv
from chalicelib.sales.service import SalesService
from tests import factories as f
from tests.sales_fixtures import performance_of

A, B = "ntgent", "campo"


@dataclass
class Payments:
    """Pays every session at once; refunds keyed like Stripe's idempotency keys."""

    refunds: dict[str, int] = field(default_factory=dict)
    refund_calls: int = 0
    failing: set[str] = field(default_factory=set)  # refund keys that fail once (Stripe down)

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        return self._session(request.order_id, request.amount_cents)

    def get_checkout(self, session_id: str) -> CheckoutSession:
        return self._session(session_id.removeprefix("cs_"), 0)

    def expire_checkout(self, session_id: str) -> CheckoutSession:
        return self.get_checkout(session_id)

    def refund(self, payment_intent: str, amount_cents: int, reason_key: str) -> str:
        self.refund_calls += 1
        if reason_key in self.failing:
            self.failing.discard(reason_key)
            raise ConnectionError("Stripe did not answer")
        self.refunds.setdefault(reason_key, amount_cents)
        return f"re_{reason_key}"

    def refunded(self, payment_intent: str) -> tuple[str | None, int]:
        return None, sum(self.refunds.values())

    def _session(self, order_id: str, amount: int) -> CheckoutSession:
        return CheckoutSession(
            f"cs_{order_id}", "https://pay.example", "complete", "paid", amount, order_id, "pi_1"
        )


class Workflow:
    def start(self, order_id: str, payload: dict[str, Any]) -> None:
        pass


@dataclass
class Outbox:
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def send(self, to: str, subject: str, text: str, html: str) -> None:
        self.sent.append((to, subject, text))


class Files:
    def __init__(self) -> None:
        self.pdfs: dict[str, bytes] = {}

    def put_pdf(self, order_id: str, pdf: bytes) -> None:
        self.pdfs[order_id] = pdf

    def pdf_url(self, order_id: str) -> str:
        return f"https://files.example/{order_id}.pdf"


@dataclass
class Desk:
    sales: SalesService
    checkout: CheckoutService
    payments: Payments
    outbox: Outbox
    files: Files
    clock: FixedClock
    perf_a: str
    perf_b: str

    def hold(self, performance: str, seats: list[str]) -> tuple[str, str]:
        hold, token, _ = self.checkout.inventory.hold(
            performance, {"seats": seats}, f"client:{performance}-{seats[0]}"
        )
        return hold.id, token

    def web_order(self, performance: str, seats: list[str], name: str = "An Peeters") -> str:
        """A webshop order taken through the checkout's own steps to completed."""
        hold_id, token = self.hold(performance, seats)
        order, _ = self.checkout.place(
            {
                "hold_id": hold_id,
                "hold_token": token,
                "lines": [{"seat": s, "tariff": "standaard"} for s in seats],
                "customer": {"name": name, "email": "an@example.be", "language": "nl"},
            }
        )
        self.checkout.confirm_seats(order.id)
        self.checkout.issue_tickets(order.id, self.sales.issuer, self.files)
        self.checkout.send_confirmation(order.id, self.outbox, ConfirmationMails())
        return order.id

    def desk(self, performance: str, seats: list[str], **fields: Any) -> Any:
        hold_id, token = self.hold(performance, seats)
        body = {
            "hold_id": hold_id,
            "hold_token": token,
            "lines": [{"seat": s, "tariff": fields.pop("tariff", "standaard")} for s in seats],
            "customer": {"name": "Bea Balie"},
            "payment": "cash",
            **fields,
        }
        return self.sales.sell_at_desk(frozenset({A}), body, "kassa-1")


@pytest.fixture
def desk(dynamodb: None) -> Iterator[Desk]:
    clock = FixedClock(f.T0)
    inventory = InventoryService(DynamoInventoryStore(), DynamoCatalogueStore(), clock)
    payments = Payments()
    checkout = CheckoutService(
        DynamoOrderStore(),
        inventory,
        payments,  # type: ignore[arg-type]
        Workflow(),  # type: ignore[arg-type]
        clock,
        public_url="http://shop.example",
        token_secret=b"test-secret",
    )
    outbox, files = Outbox(), Files()
    sales = SalesService(
        checkout,
        SignedTicketIssuer(b"ticket-secret-of-at-least-32-bytes!"),
        files,
        outbox,
        ConfirmationMails(),
    )
    opens = f.T0 - timedelta(days=1)
    perf_a = performance_of(A, f.T0 + timedelta(days=10), opens)
    perf_b = performance_of(B, f.T0 + timedelta(days=10), opens)
    yield Desk(sales, checkout, payments, outbox, files, clock, perf_a, perf_b)


def raised(code: str, call: Any, *args: Any, **kwargs: Any) -> Problem:
    with pytest.raises(Problem) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def test_search_finds_only_the_callers_houses_orders_by_text_id_performance_and_page(desk):
    mine = desk.web_order(desk.perf_a, ["zaal-c-1"], name="Jérôme Dewaele")
    desk.clock.advance(minutes=1)
    other = desk.web_order(desk.perf_b, ["zaal-c-1"], name="Jérôme Dewaele")
    houses = frozenset({A})
    found, _ = desk.sales.search(houses, parse_search({"q": "jerome"}))  # accents, case
    assert [o.id for o in found] == [mine]
    assert desk.sales.search(houses, parse_search({"q": other}))[0] == []  # B's id: nothing
    assert [o.id for o in desk.sales.search(houses, parse_search({"q": mine}))[0]] == [mine]
    raised("not_found", desk.sales.detail, houses, other)
    assert desk.sales.search(houses, parse_search({"performance": desk.perf_b}))[0] == []

    desk.clock.advance(minutes=1)
    newer = desk.web_order(desk.perf_a, ["zaal-c-2"])
    page, cursor = desk.sales.search(houses, parse_search({"limit": "1"}))
    assert [o.id for o in page] == [newer] and cursor
    page, cursor = desk.sales.search(houses, parse_search({"limit": "1", "next": cursor}))
    assert ([o.id for o in page], cursor) == ([mine], None)
    both = frozenset({A, B})  # a cluster admin: house by house, newest first
    assert len(desk.sales.search(both, parse_search({}))[0]) == 3
    tomorrow = (f.T0 + timedelta(days=1)).date().isoformat()
    assert desk.sales.search(houses, parse_search({"from": tomorrow}))[0] == []
    raised("invalid_input", parse_search, {"limit": "0", "colour": "red"})


def test_detail_has_lines_customer_payment_tickets_and_history(desk):
    order_id = desk.web_order(desk.perf_a, ["zaal-c-1", "zaal-c-2"])
    detail = desk.sales.detail(frozenset({A}), order_id)
    assert len(detail.tickets) == 2 and detail.pdf_url
    assert [h.status for h in detail.order.history] == ["awaiting_payment", "paid", "completed"]
    assert detail.order.payment_intent == "pi_1"


def test_cancel_with_a_partial_refund_refunds_once_voids_tickets_frees_seats_and_mails(desk):
    order_id = desk.web_order(desk.perf_a, ["zaal-c-1", "zaal-c-2"])
    houses, body = frozenset({A}), {"refund": {"amount_cents": 4400}, "reason": "ziek"}
    raised(
        "refund_exceeds_paid",
        desk.sales.cancel,
        houses,
        order_id,
        {**body, "refund": {"amount_cents": 4601}},
        "s",
    )
    raised("invalid_input", desk.sales.cancel, houses, order_id, {"refund": "half"}, "s")
    assert desk.sales.detail(houses, order_id).order.cancelled_at is None  # no partial write
    order = desk.sales.cancel(houses, order_id, body, "kassa-1")
    again = desk.sales.cancel(houses, order_id, {"refund": "full", "reason": "retry"}, "kassa-1")
    assert (order.status.value, order.refunded_cents) == ("refunded", 4400)
    assert again.refunded_cents == 4400 and again.cancel_reason == "ziek"
    assert sum(desk.payments.refunds.values()) == 4400  # once, whatever the retry asked
    tickets = desk.sales.detail(houses, order_id).tickets
    assert tickets and all(t.voided for t in tickets)
    plan = desk.checkout.inventory.seat_plan(desk.perf_a)
    assert plan.states["zaal-c-1"].value == "free"
    assert "geannuleerd" in desk.outbox.sent[-1][1] and "€ 44,00" in desk.outbox.sent[-1][2]
    assert len([m for m in desk.outbox.sent if "geannuleerd" in m[1]]) == 1
    raised("not_found", desk.sales.cancel, frozenset({B}), order_id, body, "s")
    raised("order_not_completed", desk.sales.resend, houses, order_id)


def test_a_cancel_retried_after_a_crash_before_closing_refunds_once(desk, monkeypatch):
    order_id = desk.web_order(desk.perf_a, ["zaal-c-3"])
    houses = frozenset({A})
    store = desk.sales.orders
    real = store.close_cancelled
    monkeypatch.setattr(store, "close_cancelled", lambda *a: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError):
        desk.sales.cancel(houses, order_id, {"refund": "full", "reason": "x"}, "s")
    monkeypatch.setattr(store, "close_cancelled", real)
    order = desk.sales.cancel(houses, order_id, {"refund": {"amount_cents": 5}, "reason": "x"}, "s")
    assert order.refunded_cents == 2300 and desk.payments.refunds == {
        f"{order_id}-staff-cancel": 2300
    }


def test_the_desk_sells_for_cash_issues_tickets_at_once_and_stripe_is_never_asked(desk):
    order = desk.desk(desk.perf_a, ["zaal-a-5", "zaal-a-6"], payment="card_terminal")
    assert order.status.value == "completed" and order.channel == "box_office"
    assert order.total_cents == 2 * 2800  # no service fee at the desk
    assert order.payment_method == "card_terminal" and order.sold_by == "kassa-1"
    assert order.payment_session is None and len(order.tickets) == 2
    assert order.id in desk.files.pdfs and desk.outbox.sent == []  # printed, not mailed
    assert desk.checkout.inventory.seat_plan(desk.perf_a).states["zaal-a-5"].value == "sold"
    cancelled = desk.sales.cancel(frozenset({A}), order.id, {"refund": "full", "reason": "x"}, "s")
    assert cancelled.refunded_cents == 5600 and desk.payments.refund_calls == 0  # cash back


def test_comps_need_a_reason_and_cost_nothing_and_a_mailed_sale_is_mailed(desk):
    raised("invalid_input", desk.desk, desk.perf_a, ["zaal-b-1"], tariff="comp", payment=None)
    comp = desk.desk(
        desk.perf_a, ["zaal-b-2"], tariff="comp", payment=None, reason="pers: De Standaard"
    )
    assert (comp.total_cents, comp.payment_method, comp.comp_reason) == (
        0,
        "comp",
        "pers: De Standaard",
    )
    mailed = desk.desk(
        desk.perf_a,
        ["zaal-b-3"],
        delivery="email",
        customer={"name": "Cas", "email": "cas@example.be", "language": "en"},
    )
    assert mailed.status.value == "completed" and desk.outbox.sent[-1][0] == "cas@example.be"
    raised("not_found", desk.sales.sell_at_desk, frozenset({B}), _hold_body(desk), "s")


def _hold_body(desk: Desk) -> dict[str, Any]:
    hold_id, token = desk.hold(desk.perf_a, ["zaal-e-9"])
    return {
        "hold_id": hold_id,
        "hold_token": token,
        "lines": [{"seat": "zaal-e-9", "tariff": "standaard"}],
        "customer": {"name": "X"},
        "payment": "cash",
    }


def test_the_report_per_performance_day_tariff_and_channel_and_its_csv(desk):
    desk.web_order(desk.perf_a, ["zaal-c-1", "zaal-c-2"])  # 2 x (2200 + 100)
    desk.desk(desk.perf_a, ["zaal-a-5"])  # 2800 cash
    desk.desk(desk.perf_a, ["zaal-a-6"], tariff="comp", payment=None, reason="artiest")
    cancelled = desk.web_order(desk.perf_a, ["zaal-d-1"])
    desk.sales.cancel(
        frozenset({A}), cancelled, {"refund": {"amount_cents": 2200}, "reason": "x"}, "s"
    )
    desk.web_order(desk.perf_b, ["zaal-c-1"])  # house B: never in A's report
    report = desk.sales.report(frozenset({A}), parse_report({"performance": desk.perf_a}))
    (row,) = report["performances"]
    assert (row["tickets"], row["comps"], row["capacity"]) == (4, 1, 50)
    assert row["occupancy_percent"] == 8.0
    assert report["totals"]["revenue_cents"] == 4600 + 2800 + 0 + 100  # the kept fee
    channels = {c["channel"]: c["revenue_cents"] for c in report["channels"]}
    assert channels == {"web": 4700, "box_office": 2800}
    tariffs = {t["tariff"]: t["tickets"] for t in report["tariffs"]}
    assert tariffs == {"standaard": 3, "comp": 1}
    assert [d["date"] for d in report["days"]] == [f.T0.date().isoformat()]
    raised(
        "not_found", desk.sales.report, frozenset({A}), parse_report({"performance": desk.perf_b})
    )
    text = report_csv(report)
    assert text.splitlines()[0].startswith("section,key,title")
    assert f"performance,{desk.perf_a}," in text and B not in text


def test_an_exchange_to_another_performance_of_the_production_refunds_the_difference(desk):
    houses = frozenset({A})
    later = performance_of(A, f.T0 + timedelta(days=12), f.T0 - timedelta(days=1))
    other = performance_of(
        A, f.T0 + timedelta(days=12), f.T0 - timedelta(days=1), production="other"
    )
    old = desk.web_order(desk.perf_a, ["zaal-a-7"])  # zone 1: 2800 + 100
    hold_id, token = desk.hold(other, ["zaal-c-5"])
    body = {
        "hold_id": hold_id,
        "hold_token": token,
        "lines": [{"seat": "zaal-c-5", "tariff": "standaard"}],
    }
    raised("exchange_other_production", desk.sales.exchange, houses, old, body, "s")
    hold_id, token = desk.hold(later, ["zaal-c-5"])  # zone 2: 2200, 600 back
    body = {**body, "hold_id": hold_id, "hold_token": token}
    raised("invalid_input", desk.sales.exchange, houses, old, {**body, "payment": "cash"}, "s")
    new = desk.sales.exchange(houses, old, body, "kassa-1")
    again = desk.sales.exchange(houses, old, body, "kassa-1")
    assert again.id == new.id and new.performance == later and new.exchanged_from == old
    assert (new.status.value, new.total_cents, len(new.tickets)) == ("completed", 2300, 1)
    assert desk.payments.refunds == {f"{old}-exchange": 600}
    replaced = desk.sales.detail(houses, old)
    assert replaced.order.exchanged_to == new.id and all(t.voided for t in replaced.tickets)
    assert desk.checkout.inventory.seat_plan(desk.perf_a).states["zaal-a-7"].value == "free"
    report = desk.sales.report(houses, parse_report({"performance": later}))
    assert (report["totals"]["revenue_cents"], report["totals"]["tickets"]) == (2300, 1)
    before = desk.sales.report(houses, parse_report({"performance": desk.perf_a}))
    assert before["totals"]["orders"] == 0  # the money went with the tickets
    up = desk.web_order(later, ["zaal-c-8"])  # 2200 + 100 → zone 1: 600 to pay
    hold_id, token = desk.hold(desk.perf_a, ["zaal-b-8"])
    body = {
        "hold_id": hold_id,
        "hold_token": token,
        "lines": [{"seat": "zaal-b-8", "tariff": "standaard"}],
    }
    raised("invalid_input", desk.sales.exchange, houses, up, body, "s")
    paid = desk.sales.exchange(houses, up, {**body, "payment": "cash"}, "kassa-1")
    assert (paid.total_cents, paid.payment_method) == (2900, "stripe+cash")
