"""Sales management's use cases on AWS's DynamoDB Local with the real stores, the checkout's
own steps and a fake payment port: search and detail only within the caller's houses, a
cancel that refunds once however often it is retried, the desk selling and giving comps
without Stripe, and the report adding up."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse, render
from chalicelib.core.errors import Problem
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.orders.adapters import SignedTicketIssuer
from chalicelib.orders.mail import ConfirmationMails
from chalicelib.orders.schemas import OrderCommand
from chalicelib.orders.service import CheckoutService
from chalicelib.orders.store import DynamoOrderStore
from chalicelib.payments.model import CheckoutRequest, CheckoutSession
from chalicelib.sales.model import report_csv
from chalicelib.sales.schemas import (
    DeskSaleCommand,
    ExchangeCommand,
    OrderCancelCommand,
    ReportQuery,
    SearchQuery,
)
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


def parse_search(params: dict[str, str]) -> SearchQuery:
    return parse(SearchQuery, params, "query")


def parse_report(params: dict[str, str]) -> ReportQuery:
    return parse(ReportQuery, params, "query")


def command(model: Any, body: Any) -> Any:
    return body if isinstance(body, model) else parse(model, body)


class Staff:
    """The sales service as the admin routes call it: each body read by its edge model first
    (a bad one is a 400 before the service is reached), the report rendered as on the wire."""

    def __init__(self, service: SalesService) -> None:
        self.service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(self.service, name)

    def cancel(self, houses: frozenset[str], order_id: str, body: Any, staff: str) -> Any:
        return self.service.cancel(houses, order_id, command(OrderCancelCommand, body), staff)

    def sell_at_desk(self, houses: frozenset[str], body: Any, staff: str) -> Any:
        return self.service.sell_at_desk(houses, command(DeskSaleCommand, body), staff)

    def exchange(self, houses: frozenset[str], order_id: str, body: Any, staff: str) -> Any:
        return self.service.exchange(houses, order_id, command(ExchangeCommand, body), staff)

    def hold(self, houses: frozenset[str], performance_id: str, body: Any) -> Any:
        grant = self.service.desk_grant(houses, performance_id)
        return self.service.hold(grant, command(HoldCommand, body))

    def report(self, houses: frozenset[str], query: ReportQuery) -> Any:
        return render(self.service.report(houses, query))


@dataclass
class Desk:
    sales: Staff
    checkout: CheckoutService
    payments: Payments
    outbox: Outbox
    files: Files
    clock: FixedClock
    perf_a: str
    perf_b: str

    def hold(self, performance: str, seats: list[str]) -> tuple[str, str]:
        hold, token, _ = self.checkout.inventory.hold(
            performance, HoldCommand(seats=seats), f"client:{performance}-{seats[0]}"
        )
        return hold.id, token

    def web_order(self, performance: str, seats: list[str], name: str = "An Peeters") -> str:
        """A webshop order taken through the checkout's own steps to completed."""
        hold_id, token = self.hold(performance, seats)
        order, _ = self.checkout.place(
            parse(
                OrderCommand,
                {
                    "hold_id": hold_id,
                    "hold_token": token,
                    "lines": [{"seat": s, "tariff": "standaard"} for s in seats],
                    "customer": {"name": name, "email": "an@example.be", "language": "nl"},
                },
            )
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
    orders = DynamoOrderStore()
    checkout = CheckoutService(
        orders,
        inventory,
        payments,  # type: ignore[arg-type]
        Workflow(),  # type: ignore[arg-type]
        clock,
        public_url="http://shop.example",
        token_secret=b"test-secret",
    )
    outbox, files = Outbox(), Files()
    sales = Staff(
        SalesService(
            checkout,
            SignedTicketIssuer(b"ticket-secret-of-at-least-32-bytes!"),
            files,
            outbox,
            ConfirmationMails(),
            DynamoCatalogueStore(),
            orders,
        )
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
    # Houses of this test's own: the session's table holds other modules' orders of A and B.
    a, b = (f"search-{name}-{uuid.uuid4().hex[:8]}" for name in ("a", "b"))
    opens = f.T0 - timedelta(days=1)
    perf_a, perf_b = (performance_of(h, f.T0 + timedelta(days=10), opens) for h in (a, b))
    mine = desk.web_order(perf_a, ["zaal-c-1"], name="Jérôme Dewaele")
    desk.clock.advance(minutes=1)
    other = desk.web_order(perf_b, ["zaal-c-1"], name="Jérôme Dewaele")
    houses = frozenset({a})
    found, _ = desk.sales.search(houses, parse_search({"q": "jerome"}))  # accents, case
    assert [o.id for o in found] == [mine]
    assert desk.sales.search(houses, parse_search({"q": other}))[0] == []  # B's id: nothing
    assert [o.id for o in desk.sales.search(houses, parse_search({"q": mine}))[0]] == [mine]
    raised("not_found", desk.sales.detail, houses, other)
    assert desk.sales.search(houses, parse_search({"performance": perf_b}))[0] == []

    desk.clock.advance(minutes=1)
    newer = desk.web_order(perf_a, ["zaal-c-2"])
    page, cursor = desk.sales.search(houses, parse_search({"limit": "1"}))
    assert [o.id for o in page] == [newer] and cursor
    page, cursor = desk.sales.search(houses, parse_search({"limit": "1", "next": cursor}))
    assert ([o.id for o in page], cursor) == ([mine], None)
    both = frozenset({a, b})  # a cluster admin: house by house, newest first
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
    assert "geannuleerd" in desk.outbox.sent[-1][1] and "€\u00a044,00" in desk.outbox.sent[-1][2]
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
    assert desk.payments.refunds == {f"{new.id}-exchange": 600}
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


def _totals(desk: Desk, *performances: str) -> tuple[int, int, int]:
    """Tickets, revenue and refunds of these performances (the table holds other tests' too)."""
    rows = [
        desk.sales.report(frozenset({A}), parse_report({"performance": p}))["totals"]
        for p in performances
    ]
    return tuple(sum(r[k] for r in rows) for k in ("tickets", "revenue_cents", "refunded_cents"))


def _exchange_body(desk: Desk, performance: str, seats: list[str], **fields: Any) -> dict:
    hold_id, token = desk.hold(performance, seats)
    lines = [{"seat": seat, "tariff": "standaard"} for seat in seats]
    return {"hold_id": hold_id, "hold_token": token, "lines": lines, **fields}


def test_one_ticket_of_a_family_moves_to_a_cheaper_performance_the_others_stay(desk):
    houses = frozenset({A})
    later = performance_of(A, f.T0 + timedelta(days=12), f.T0 - timedelta(days=1))
    old = desk.web_order(desk.perf_a, ["zaal-a-1", "zaal-a-2", "zaal-a-3"])  # 3 x (2800 + 100)
    t0, t1, t2 = desk.sales.detail(houses, old).order.tickets
    body = _exchange_body(desk, later, ["zaal-c-9"], tickets=[t1])  # zone 2: 2200, 600 back

    bad = [
        ({**body, "tickets": ["t-" + "0" * 31]}, "invalid_input"),  # not this order's
        ({**body, "tickets": [t0, t1]}, "invalid_input"),  # two tickets, one line
        ({**body, "payment": "cash"}, "invalid_input"),  # nothing to pay
    ]
    for wrong, code in bad:
        raised(code, desk.sales.exchange, houses, old, wrong, "s")
    same = _exchange_body(desk, desk.perf_a, ["zaal-e-1"], tickets=[t1])
    raised("exchange_other_production", desk.sales.exchange, houses, old, same, "s")
    raised("not_found", desk.sales.exchange, frozenset({B}), old, body, "s")
    theirs = _exchange_body(desk, desk.perf_b, ["zaal-c-9"], tickets=[t1])  # B's hold
    raised("not_found", desk.sales.exchange, houses, old, theirs, "s")
    untouched = desk.sales.detail(houses, old)
    assert untouched.order.exchanges == () and not any(t.voided for t in untouched.tickets)

    new = desk.sales.exchange(houses, old, body, "kassa-1")
    for _ in range(2):
        assert desk.sales.exchange(houses, old, body, "kassa-1").id == new.id  # retried
    assert (new.status.value, new.total_cents, new.replaces) == ("completed", 2300, (t1,))
    assert desk.payments.refunds == {f"{new.id}-exchange": 600} and desk.payments.refund_calls

    kept = desk.sales.detail(houses, old)
    assert (kept.order.status.value, kept.order.cancelled_at, kept.order.exchanged_to) == (
        "completed",
        None,
        None,
    )
    assert [(t.id, t.voided, t.exchanged_to) for t in kept.tickets] == [
        (t0, False, None),
        (t1, True, new.id),
        (t2, False, None),
    ]
    (record,) = kept.order.exchanges
    assert (record.order, record.tickets, record.moved_cents, record.refund_cents) == (
        new.id,
        (t1,),
        2900,
        600,
    )
    assert kept.order.refunded_cents == 600 and kept.order.held_cents == 5800
    states = desk.checkout.inventory.seat_plan(desk.perf_a).states
    assert [states[s].value for s in ("zaal-a-1", "zaal-a-2", "zaal-a-3")] == [
        "sold",
        "free",
        "sold",
    ]
    raised(
        "ticket_not_exchangeable",
        desk.sales.exchange,
        houses,
        old,
        {**_exchange_body(desk, later, ["zaal-c-10"]), "tickets": [t1]},
        "s",
    )

    assert _totals(desk, desk.perf_a, later) == (3, 8700 - 600, 0)

    # Cancelling the old order now: its two tickets, at most what it holds for them.
    raised(
        "refund_exceeds_paid",
        desk.sales.cancel,
        houses,
        old,
        {"refund": {"amount_cents": 5801}, "reason": "x"},
        "s",
    )
    cancelled = desk.sales.cancel(houses, old, {"refund": "full", "reason": "ziek"}, "s")
    assert cancelled.refunded_cents == 600 + 5800
    assert desk.payments.refunds[f"{old}-staff-cancel"] == 5800
    assert desk.checkout.inventory.seat_plan(desk.perf_a).states["zaal-a-1"].value == "free"
    assert desk.checkout.inventory.seat_plan(later).states["zaal-c-9"].value == "sold"
    new_tickets = desk.sales.detail(houses, new.id).tickets
    assert new_tickets and not any(t.voided for t in new_tickets)  # the moved one stands
    assert _totals(desk, desk.perf_a, later) == (1, 2300, 5800)
    # 8700 paid through Stripe, 600 + 5800 back: the house keeps the new ticket's 2300
    assert sum(desk.payments.refunds.values()) == 6400


def test_a_desk_order_partly_exchanged_to_a_dearer_seat_pays_the_difference_at_the_desk(desk):
    houses = frozenset({A})
    later = performance_of(A, f.T0 + timedelta(days=12), f.T0 - timedelta(days=1))
    old = desk.desk(desk.perf_a, ["zaal-d-1", "zaal-d-2"])  # 2 x 2200 cash, no fee
    t0, _ = old.tickets
    body = _exchange_body(desk, later, ["zaal-a-9"], tickets=[t0])  # zone 1: 2800
    raised("invalid_input", desk.sales.exchange, houses, old.id, body, "s")  # payment missing
    new = desk.sales.exchange(houses, old.id, {**body, "payment": "card_terminal"}, "kassa-1")
    assert (new.total_cents, new.exchange_paid_cents, new.channel) == (2800, 600, "box_office")
    assert desk.payments.refund_calls == 0
    assert _totals(desk, desk.perf_a, later) == (2, 4400 + 600, 0)

    cancelled = desk.sales.cancel(houses, new.id, {"refund": "full", "reason": "x"}, "s")
    assert cancelled.refunded_cents == 2800 and desk.payments.refund_calls == 0  # in hand
    left = desk.sales.detail(houses, old.id)
    assert [t.voided for t in left.tickets] == [True, False] and left.order.held_cents == 2200
    assert desk.checkout.inventory.seat_plan(later).states["zaal-a-9"].value == "free"


def test_an_exchange_cut_short_by_a_crash_is_finished_by_its_retry_refunding_once(
    desk, monkeypatch
):
    houses = frozenset({A})
    later = performance_of(A, f.T0 + timedelta(days=12), f.T0 - timedelta(days=1))
    old = desk.web_order(desk.perf_a, ["zaal-b-4", "zaal-b-5"])  # zone 1
    t0, _ = desk.sales.detail(houses, old).order.tickets
    body = _exchange_body(desk, later, ["zaal-e-4"], tickets=[t0])  # zone 2: 600 back
    inventory = desk.sales.inventory
    real = inventory.give_back
    monkeypatch.setattr(inventory, "give_back", lambda *a: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError):
        desk.sales.exchange(houses, old, body, "kassa-1")
    assert desk.payments.refunds == {}
    monkeypatch.setattr(inventory, "give_back", real)
    new = desk.sales.exchange(houses, old, body, "kassa-1")
    assert new.status.value == "completed" and desk.payments.refunds == {f"{new.id}-exchange": 600}
    assert desk.checkout.inventory.seat_plan(desk.perf_a).states["zaal-b-4"].value == "free"
    assert desk.sales.detail(houses, old).order.refunded_cents == 600
    # the other ticket moves too (absent = every valid one): the old order is closed
    rest = desk.sales.exchange(houses, old, _exchange_body(desk, later, ["zaal-e-5"]), "kassa-1")
    closed = desk.sales.detail(houses, old).order
    assert (closed.status.value, closed.exchanged_to, closed.refunded_cents) == (
        "cancelled",
        rest.id,
        1200,
    )
    assert _totals(desk, desk.perf_a, later) == (2, 4600, 0)


def test_refunds_of_an_exchanged_order_on_the_shared_payment_are_not_recorded_twice(
    desk, monkeypatch
):
    """The new order pays with the old one's Stripe payment: Stripe's refund webhook, which
    names the old order, must not count the new order's refunds on the old one again."""
    houses = frozenset({A})
    later = performance_of(A, f.T0 + timedelta(days=12), f.T0 - timedelta(days=1))
    old = desk.web_order(desk.perf_a, ["zaal-e-6", "zaal-e-7"])  # zone 2: 2 x 2300
    t0, _ = desk.sales.detail(houses, old).order.tickets
    body = _exchange_body(desk, later, ["zaal-b-6"], tickets=[t0], payment="cash")  # +600
    new = desk.sales.exchange(houses, old, body, "kassa-1")
    assert (new.total_cents, new.exchange_paid_cents, new.payment_method) == (
        2900,
        600,
        "stripe+cash",
    )
    cancelled = desk.sales.cancel(houses, new.id, {"refund": "full", "reason": "x"}, "s")
    assert cancelled.refunded_cents == 2900  # 2300 through Stripe, the desk's 600 in hand
    assert desk.payments.refunds == {f"{new.id}-staff-cancel": 2300}
    stripe_total = sum(desk.payments.refunds.values())
    monkeypatch.setattr(desk.payments, "refunded", lambda intent: (old, stripe_total))
    assert desk.checkout.refund_news("pi_1") == "already known"
    kept = desk.sales.detail(houses, old)
    assert kept.order.refunded_cents == 0 and kept.order.status.value == "completed"
    assert [t.voided for t in kept.tickets] == [True, False]
    # A refund made in the Stripe dashboard on top is the old order's own.
    monkeypatch.setattr(desk.payments, "refunded", lambda intent: (old, stripe_total + 500))
    assert desk.checkout.refund_news("pi_1") == "partly refunded"
    assert desk.sales.detail(houses, old).order.refunded_cents == 500


def test_two_exchanges_racing_for_one_ticket_move_it_once_and_the_loser_is_undone(
    desk, monkeypatch
):
    houses = frozenset({A})
    later = performance_of(A, f.T0 + timedelta(days=12), f.T0 - timedelta(days=1))
    old = desk.web_order(desk.perf_a, ["zaal-d-5", "zaal-d-6"])
    t0, _ = desk.sales.detail(houses, old).order.tickets
    first = _exchange_body(desk, later, ["zaal-e-2"], tickets=[t0])
    second = _exchange_body(desk, later, ["zaal-e-3"], tickets=[t0])
    store = desk.sales.orders
    real = store.record_exchange

    def racing(*args: Any) -> bool:
        # The other clerk's exchange of the same ticket lands between our checks and write.
        monkeypatch.setattr(store, "record_exchange", real)
        desk.sales.exchange(houses, old, first, "kassa-2")
        return real(*args)

    monkeypatch.setattr(store, "record_exchange", racing)
    raised("ticket_not_exchangeable", desk.sales.exchange, houses, old, second, "kassa-1")
    (record,) = desk.sales.detail(houses, old).order.exchanges
    loser = store.get(store.order_of_hold(second["hold_id"]))
    assert loser.status.value == "cancelled" and record.order != loser.id
    states = desk.checkout.inventory.seat_plan(later).states
    assert (states["zaal-e-2"].value, states["zaal-e-3"].value) == ("sold", "free")
    assert desk.payments.refunds == {}  # same zone: nothing to refund, nothing refunded


def test_the_desk_and_an_exchange_sell_from_staff_holds_outside_the_public_window(desk):
    """After the webshop closed (the performance started) and before the public opening of
    the later one, staff hold through their own rules and sell from those holds."""
    houses = frozenset({A})
    later = performance_of(
        A, f.T0 + timedelta(days=20), f.T0 + timedelta(days=15), with_house=False
    )
    order_id = desk.web_order(desk.perf_a, ["zaal-c-3"])
    desk.clock.advance(days=10, minutes=15)  # perf_a started: its public sales are closed
    refused = raised(
        "not_on_sale",
        desk.checkout.inventory.hold,
        desk.perf_a,
        HoldCommand(seats=["zaal-d-1"]),
        "c",
    )
    assert refused.extra["sales_status"] == "sales_closed"
    hold, token, _ = desk.sales.hold(houses, desk.perf_a, {"seats": ["zaal-d-1", "zaal-d-2"]})
    sold = desk.sales.sell_at_desk(
        houses,
        {
            "hold_id": hold.id,
            "hold_token": token,
            "lines": [{"seat": s, "tariff": "standaard"} for s in hold.seats],
            "customer": {"name": "Laatkomer"},
            "payment": "card_terminal",
        },
        "kassa-1",
    )
    assert sold.status.value == "completed" and len(sold.lines) == 2
    raised("not_found", desk.sales.hold, frozenset({B}), desk.perf_a, {"seats": ["zaal-d-3"]})

    # the later performance is not on public sale yet: the exchange holds through staff rules
    raised("not_on_sale", desk.checkout.inventory.hold, later, HoldCommand(seats=["zaal-e-3"]), "c")
    new_hold, new_token, _ = desk.sales.hold(houses, later, {"seats": ["zaal-e-3"]})
    new = desk.sales.exchange(
        houses,
        order_id,
        {
            "hold_id": new_hold.id,
            "hold_token": new_token,
            "lines": [{"seat": "zaal-e-3", "tariff": "standaard"}],
        },
        "kassa-1",
    )
    assert new.performance == later and new.exchanged_from == order_id
