"""Sales management's rules on in-memory fakes (tests/fakes_orders.py), without DynamoDB or
Stripe: the desk sells and gives comps without Stripe; a staff cancel refunds at most what
the order holds, once however often it is retried; an exchange to a cheaper performance
refunds the difference once; another house's orders and holds answer as unknown ones. The
guarantees that rest on a port's promise each have a negative control."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.orders.model import Order, OrderStatus
from chalicelib.sales.schemas import (
    DeskSaleCommand,
    ExchangeCommand,
    OrderCancelCommand,
    SearchQuery,
)
from tests import factories as f
from tests.fakes_orders import FakeOrderStore, FakePaymentGateway, Shop
from tests.unit.test_checkout_service import SEAT_MAP, detail

A = frozenset({"ntgent"})
B = frozenset({"campo"})


def shop(payments: FakePaymentGateway | None = None) -> Shop:
    later = detail("storm-2", starts_at=f.T0 + timedelta(days=10))
    return Shop.build(FixedClock(f.T0), SEAT_MAP, [detail(), later], payments=payments)


def raised(code: str, call: Any, *args: Any, **kwargs: Any) -> Problem:
    with pytest.raises(Problem) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.to_dict("en")
    return caught.value


def desk_hold(
    s: Shop, houses: frozenset[str], performance: str, request: HoldCommand
) -> tuple[Any, str, Any]:
    """POST /v1/admin/performances/{id}/holds: the grant first, then the body."""
    return s.sales.hold(s.sales.desk_grant(houses, performance), request)


def desk_sale(s: Shop, seats: list[str], tariff: str = "standaard", **fields: Any) -> Order:
    hold, token, _ = desk_hold(s, A, "storm-1", parse(HoldCommand, {"seats": seats}))
    body = {
        "hold_id": hold.id,
        "hold_token": token,
        "lines": [{"seat": seat, "tariff": tariff} for seat in seats],
        "customer": {"name": "Bea Balie"},
        "payment": "cash",
        **fields,
    }
    return s.sales.sell_at_desk(A, parse(DeskSaleCommand, body), "kassa-1")


def cancel(s: Shop, order: Order, refund: Any, houses: frozenset[str] = A) -> Order:
    command = parse(OrderCancelCommand, {"refund": refund, "reason": "ziek"})
    return s.sales.cancel(houses, order.id, command, "kassa-1")


# --- the desk --------------------------------------------------------------------------------


def test_a_desk_sale_is_paid_in_hand_issued_at_once_and_never_sees_stripe():
    s = shop()
    order = desk_sale(s, ["zaal-a-3", "zaal-a-4"])
    assert (order.status, order.channel, order.payment_method, order.sold_by) == (
        OrderStatus.COMPLETED,
        "box_office",
        "cash",
        "kassa-1",
    )
    assert order.total_cents == 2 * 2800  # no service fee at the desk
    assert order.customer.email == "" and s.mailer.sent == []  # printed, nothing to mail
    assert len(s.orders.tickets(order.id)) == 2 and order.id in s.files.pdfs
    assert s.payments.sessions == {} and s.payments.refunds == []
    assert s.inventory.state("storm-1", "zaal-a-3") == "sold"


def test_a_desk_sale_sent_again_answers_the_same_order():
    s = shop()
    hold, token, _ = desk_hold(s, A, "storm-1", parse(HoldCommand, {"seats": ["zaal-b-1"]}))
    body = {
        "hold_id": hold.id,
        "hold_token": token,
        "lines": [{"seat": "zaal-b-1", "tariff": "standaard"}],
        "customer": {"name": "Bea", "email": "Bea@Example.be"},
        "payment": "card_terminal",
        "delivery": "email",
    }
    first = s.sales.sell_at_desk(A, parse(DeskSaleCommand, body), "kassa-1")
    again = s.sales.sell_at_desk(A, parse(DeskSaleCommand, body), "kassa-2")
    assert again.id == first.id and len(s.orders.orders) == 1
    assert s.mailer.sent == [("bea@example.be", f"confirmation {first.id}")]


def test_comps_are_free_with_a_reason_and_take_no_payment():
    s = shop()
    comp = desk_sale(s, ["zaal-a-7"], "comp", payment=None, reason="pers")
    assert (comp.total_cents, comp.payment_method, comp.comp_reason) == (0, "comp", "pers")
    assert comp.status is OrderStatus.COMPLETED and s.payments.sessions == {}
    refused = raised("invalid_input", desk_sale, s, ["zaal-a-8"], "comp", reason="pers")
    assert [e.field for e in refused.errors] == ["payment"]  # nothing to pay
    refused = raised("invalid_input", desk_sale, s, ["zaal-a-9"], payment=None)
    assert [e.field for e in refused.errors] == ["payment"]  # 2800 to pay


def test_another_houses_hold_or_performance_is_unknown_at_this_desk():
    s = shop()
    raised("not_found", s.sales.desk_grant, B, "storm-1")
    hold, token, _ = desk_hold(s, A, "storm-1", parse(HoldCommand, {"seats": ["zaal-c-1"]}))
    body = {
        "hold_id": hold.id,
        "hold_token": token,
        "lines": [{"seat": "zaal-c-1", "tariff": "standaard"}],
        "customer": {"name": "Bea"},
        "payment": "cash",
    }
    raised("not_found", s.sales.sell_at_desk, B, parse(DeskSaleCommand, body), "kassa-1")
    assert s.orders.orders == {}


# --- search ----------------------------------------------------------------------------------


def test_search_and_detail_see_only_the_callers_houses():
    s = shop()
    order = s.sold("storm-1", ["zaal-d-1"])
    found, _ = s.sales.search(A, parse(SearchQuery, {"q": "peeters"}, "query"))
    assert [o.id for o in found] == [order.id]
    assert s.sales.search(B, parse(SearchQuery, {"q": order.id}, "query")) == ([], None)
    assert s.sales.search(B, parse(SearchQuery, {}, "query")) == ([], None)
    raised("not_found", s.sales.detail, B, order.id)
    raised("not_found", cancel, s, order, "full", B)


# --- cancel ----------------------------------------------------------------------------------


def test_a_cancel_refunds_at_most_what_was_paid_and_only_once():
    s = shop()
    order = s.sold("storm-1", ["zaal-a-1", "zaal-a-2"])  # 2 x (2800 + 100)
    refused = raised("refund_exceeds_paid", cancel, s, order, {"amount_cents": 5801})
    assert (refused.status, refused.extra["refundable_cents"]) == (422, 5800)
    assert s.payments.refunds == [] and s.orders.orders[order.id].cancelled_at is None

    for _ in range(3):  # the desk clicks again; a retry after a timeout
        cancelled = cancel(s, order, {"amount_cents": 1000})
    assert (cancelled.status, cancelled.refunded_cents) == (OrderStatus.REFUNDED, 1000)
    assert_refund_recorded_once(s, cancelled)
    assert all(t.voided for t in s.orders.tickets(order.id))
    assert s.inventory.state("storm-1", "zaal-a-1") == "free"
    assert s.mailer.sent[-1] == ("an@example.be", f"cancellation {order.id} 1000")
    assert len(s.mailer.sent) == 2  # the confirmation, then one cancellation


def test_a_cancel_that_crashed_refunds_on_retry_what_its_first_try_fixed():
    s = shop()
    cancelled = cancel_crashing_once(s)
    assert_refund_recorded_once(s, cancelled)


def test_a_desk_order_is_paid_back_in_hand_not_through_stripe():
    s = shop()
    order = desk_sale(s, ["zaal-e-1"])
    cancelled = cancel(s, order, "full")
    assert (cancelled.status, cancelled.refunded_cents) == (OrderStatus.REFUNDED, 2200)
    assert s.payments.refunds == []


def test_an_order_still_being_paid_is_not_for_the_desk_to_cancel():
    s = shop()
    order = s.place("storm-1", ["zaal-a-9"])
    raised("order_not_completed", cancel, s, order, "full")


# --- exchange --------------------------------------------------------------------------------


def exchanged_to_cheaper(s: Shop) -> tuple[Order, Order]:
    """A row A seat (2800 + fee) to a row C seat of the same production's later performance
    (2200; the fee travels with the ticket): 600 back on the webshop payment. Sent three
    times, as a desk that did not see the answer would."""
    old = s.sold("storm-1", ["zaal-a-5"])
    hold, token, _ = desk_hold(s, A, "storm-2", parse(HoldCommand, {"seats": ["zaal-c-5"]}))
    body = {
        "hold_id": hold.id,
        "hold_token": token,
        "lines": [{"seat": "zaal-c-5", "tariff": "standaard"}],
        "reason": "kan enkel later",
    }
    news = [s.sales.exchange(A, old.id, parse(ExchangeCommand, body), "kassa-1") for _ in range(3)]
    assert len({new.id for new in news}) == 1
    return s.orders.orders[old.id], s.orders.orders[news[0].id]


def test_an_exchange_to_a_cheaper_performance_refunds_the_difference_once():
    s = shop()
    old, new = exchanged_to_cheaper(s)
    assert (new.performance, new.exchanged_from, new.total_cents) == ("storm-2", old.id, 2300)
    assert (old.status, old.exchanged_to) == (OrderStatus.CANCELLED, new.id)
    assert_difference_refunded_once(s, old, 600)
    assert old.held_cents == 0 and old.exchanges[0].refund_cents == 600
    assert all(t.voided for t in s.orders.tickets(old.id))
    assert len(s.orders.tickets(new.id)) == 1
    assert s.inventory.state("storm-1", "zaal-a-5") == "free"
    assert s.inventory.state("storm-2", "zaal-c-5") == "sold"


def test_an_exchange_to_another_production_or_the_same_performance_is_refused():
    s = shop()
    old = s.sold("storm-1", ["zaal-a-6"])
    hold, token, _ = desk_hold(s, A, "storm-1", parse(HoldCommand, {"seats": ["zaal-c-6"]}))
    body = {
        "hold_id": hold.id,
        "hold_token": token,
        "lines": [{"seat": "zaal-c-6", "tariff": "standaard"}],
    }
    command = parse(ExchangeCommand, body)
    raised("exchange_other_production", s.sales.exchange, A, old.id, command, "kassa-1")
    assert s.payments.refunds == [] and s.orders.orders[old.id].exchanges == ()


# --- the guarantees, and their negative controls ---------------------------------------------


def assert_refund_recorded_once(s: Shop, order: Order) -> None:
    made = s.payments.refunded_cents(order.payment_intent or "")
    assert made == order.refunded_cents, f"refunded {made} at Stripe, {order.refunded_cents} said"


def assert_difference_refunded_once(s: Shop, old: Order, cents: int) -> None:
    made = s.payments.refunded_cents(old.payment_intent or "")
    assert made == cents, f"refunded {made} for a difference of {cents}"


def cancel_crashing_once(s: Shop) -> Order:
    """A partial cancel that refunded at Stripe and crashed before closing the order; the
    retry (another clerk, who chose a full refund) must not refund more than the first."""
    order = s.sold("storm-1", ["zaal-b-5"])
    real_close = s.orders.close_cancelled
    crashes = [True]

    def crashing_close(*args: Any, **kwargs: Any) -> bool:
        if crashes:
            crashes.pop()
            raise ConnectionError("the table did not answer")
        return real_close(*args, **kwargs)

    s.orders.close_cancelled = crashing_close  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        cancel(s, order, {"amount_cents": 500})
    return cancel(s, order, "full")


def test_negative_control_a_gateway_that_ignores_refund_keys_refunds_the_difference_twice():
    s = shop(payments=FakePaymentGateway(honours_keys=False))
    old, _ = exchanged_to_cheaper(s)
    with pytest.raises(AssertionError, match="refunded 1800 for a difference of 600"):
        assert_difference_refunded_once(s, old, 600)


def test_negative_control_a_cancel_that_does_not_fix_its_amount_is_caught():
    s = shop()
    s.orders = FakeOrderStore(s.clock, forgets_cancel_refund=True)
    s.checkout.orders = s.sales.orders = s.orders
    cancelled = cancel_crashing_once(s)
    with pytest.raises(AssertionError, match="refunded 500 at Stripe"):
        assert_refund_recorded_once(s, cancelled)


def test_the_two_performances_share_a_production_and_the_seat_map():
    s = shop()
    first, second = (s.inventory.catalogue.details[p] for p in ("storm-1", "storm-2"))
    assert isinstance(first, PerformanceDetail) and isinstance(second, PerformanceDetail)
    assert first.performance.production == second.performance.production
