"""Sales management's rules without AWS: what staff may ask, cursors, and how a report adds up
(money kept = paid minus refunded, comps are tickets without revenue, exchanged orders count with
their replacement, orders never paid do not count)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.core.errors import Problem
from chalicelib.core.paging import decode_cursor, encode_cursor
from chalicelib.orders.model import (
    Consents,
    Customer,
    Exchange,
    Order,
    OrderLine,
    OrderStatus,
    StoredTicket,
)
from chalicelib.sales.model import (
    PerformanceFacts,
    build_report,
    exchanged_tickets,
    parse_cancel,
    parse_desk_sale,
    parse_exchange,
    parse_report,
    parse_search,
    report_csv,
)
from tests import factories as f

KEY = "2026-12-01T09:00:00Z#o-0000000000000000000000000000000"


def line(tariff: str = "standaard", price: int = 2200, fee: int = 100) -> OrderLine:
    return OrderLine("zaal-c-1", "Zaal rij C stoel 1", "zone-2", tariff, tariff, price, fee)


def order(**changes) -> Order:
    base = Order(
        id="o-1",
        house="ntgent",
        performance="p-1",
        hold="h-1",
        lines=(line(), line()),
        customer=Customer("An", "an@example.be", "nl"),
        consents=Consents(),
        status=OrderStatus.COMPLETED,
        created_at=f.T0,
        pay_before=f.T0,
        token_digest="x",
    )
    return replace(base, **changes)


def fields(call, *args) -> set[str]:
    with pytest.raises(Problem) as caught:
        call(*args)
    return {e.field for e in caught.value.errors}


def test_search_parameters_and_cursors():
    assert parse_search({"q": "o-" + "a" * 31}).order_id == "o-" + "a" * 31
    assert parse_search({"q": " Peeters "}).text == "Peeters"
    day = parse_search({"from": "2026-12-01", "to": "2026-12-01"})
    assert day.since.isoformat() == "2026-11-30T23:00:00+00:00"  # a Brussels day
    assert fields(parse_search, {"q": "x", "limit": "101", "status": "lost", "colour": "red"}) == {
        "q",
        "limit",
        "status",
        "colour",
    }
    assert fields(parse_search, {"from": "2026-12-02", "to": "2026-12-01"}) == {"to"}
    assert decode_cursor(encode_cursor("campo", KEY)) == ("campo", KEY)
    assert decode_cursor("bm90IG91cnM") is None and fields(parse_search, {"next": "zz"}) == {"next"}


def test_a_cancel_wants_a_refund_and_a_reason():
    assert parse_cancel({"refund": "full", "reason": " ziek  geworden "}).reason == "ziek geworden"
    assert parse_cancel({"refund": {"amount_cents": 0}, "reason": "x"}).amount_cents == 0
    assert fields(parse_cancel, {"refund": {"amount_cents": -1}}) == {
        "refund.amount_cents",
        "reason",
    }
    assert fields(parse_cancel, {"refund": "half", "reason": "x", "why": 1}) == {"refund", "why"}


def test_the_desk_needs_a_known_payment_a_comps_reason_and_an_email_to_mail():
    base = {"hold_id": "h", "hold_token": "t", "lines": [{"seat": "s", "tariff": "comp"}]}
    assert fields(parse_desk_sale, {**base, "payment": "iou"}) == {"payment", "reason"}
    assert fields(parse_desk_sale, {**base, "reason": "pers", "delivery": "email"}) == {
        "customer.email"
    }
    sale = parse_desk_sale({**base, "reason": "pers", "customer": {"name": "Bea"}})
    assert sale.comps == 1 and not sale.has_email and sale.delivery == "print"


def test_the_report_counts_money_kept_tickets_comps_and_occupancy():
    facts = {"p-1": PerformanceFacts("p-1", "De Storm", f.T0 + timedelta(days=3), 40)}
    orders = [
        order(),  # 2 tickets, 4600
        order(id="o-2", channel="box_office", lines=(line("comp", 0, 0),)),
        order(id="o-3", status=OrderStatus.CANCELLED),  # never paid
        order(id="o-4", status=OrderStatus.REFUNDED, refunded_cents=4400, cancelled_at=f.T0),
        order(id="o-5", status=OrderStatus.CANCELLED, exchanged_to="o-6", cancelled_at=f.T0),
        order(id="o-6", created_at=f.T0 + timedelta(days=1), exchanged_from="o-5"),
    ]
    report = build_report(orders, facts)
    assert report["totals"] == {
        "orders": 4,
        "tickets": 5,
        "comps": 1,
        "revenue_cents": 4600 + 0 + 200 + 4600,
        "refunded_cents": 4400,
    }
    (row,) = report["performances"]
    assert (row["title"], row["capacity"], row["occupancy_percent"]) == ("De Storm", 40, 12.5)
    assert [d["date"] for d in report["days"]] == ["2026-12-01", "2026-12-02"]
    assert {t["tariff"]: t["revenue_cents"] for t in report["tariffs"]} == {
        "comp": 0,
        "standaard": 9200,
    }
    assert {c["channel"]: c["tickets"] for c in report["channels"]} == {"box_office": 1, "web": 4}
    rows = report_csv(report).splitlines()
    assert rows[0] == (
        "section,key,title,starts_at,orders,tickets,comps,revenue_cents,refunded_cents,"
        "capacity,occupancy_percent"
    )
    assert rows[1].startswith("performance,p-1,De Storm,2026-12-04T09:00:00Z,4,5,1,9400")
    assert rows[-1].startswith("total,,,,4,5,1,9400,4400")
    assert fields(parse_report, {"format": "xlsx", "performance": "Bad Id"}) == {
        "format",
        "performance",
    }


# --- exchanges -------------------------------------------------------------------------------

FAMILY = ("t-0", "t-1", "t-2")  # a family of three, 3 x (2200 + 100) = 6900


def family(**changes) -> Order:
    return order(id="o-old", lines=(line(), line(), line()), tickets=FAMILY, **changes)


def moved(new: str, refund: int, *tickets: str) -> Exchange:
    return Exchange(new, tickets, 2300 * len(tickets), refund, f.T0, "kassa-1")


def totals(*orders: Order) -> dict[str, int]:
    return build_report(list(orders), {})["totals"]


def test_an_exchange_names_the_tickets_that_move_or_moves_all():
    base = {"hold_id": "h", "hold_token": "t", "lines": [{"seat": "s", "tariff": "x"}]}
    assert parse_exchange(base).tickets is None
    assert parse_exchange({**base, "tickets": ["t-1"]}).tickets == ("t-1",)
    assert fields(parse_exchange, {**base, "tickets": []}) == {"tickets"}
    assert fields(parse_exchange, {**base, "tickets": ["t-1", "t-1", 3]}) == {
        "tickets[1]",
        "tickets[2]",
    }


def test_only_valid_tickets_of_the_order_move_and_absent_means_every_valid_one():
    def ticket(i: int, **changes) -> StoredTicket:
        base = StoredTicket(f"t-{i}", i, "o-old", "ntgent", "p-1", "s", "l", "x", 2200, "An", "q")
        return replace(base, **changes)

    tickets = [ticket(0), ticket(1, exchanged_to="o-new"), ticket(2), ticket(3, voided=True)]
    assert [t.id for t in exchanged_tickets(tickets, None)] == ["t-0", "t-2"]
    assert [t.id for t in exchanged_tickets(tickets, ("t-2", "t-0"))] == ["t-2", "t-0"]
    assert fields(exchanged_tickets, tickets, ("t-0", "t-9")) == {"tickets[1]"}
    with pytest.raises(Problem) as caught:
        exchanged_tickets(tickets, ("t-0", "t-1", "t-3"))
    assert (caught.value.status, caught.value.code) == (422, "ticket_not_exchangeable")
    assert {e.field for e in caught.value.errors} == {"tickets[1]", "tickets[2]"}
    assert fields(exchanged_tickets, [ticket(1, voided=True)], None) == {"tickets"}


def test_a_whole_exchange_counts_with_the_new_order_only():
    old = family(
        status=OrderStatus.CANCELLED,
        cancelled_at=f.T0,
        exchanged_to="o-new",
        exchanges=(moved("o-new", 900, *FAMILY),),
        refunded_cents=900,
    )
    new = order(
        id="o-new", performance="p-2", lines=(line(price=1900),) * 3, exchanged_from="o-old"
    )
    assert totals(old, new) == {
        "orders": 1,
        "tickets": 3,
        "comps": 0,
        "revenue_cents": 6000,  # 6900 paid, 900 back
        "refunded_cents": 0,  # a price difference, not a refund
    }


def test_a_partial_exchange_to_a_dearer_seat_counts_each_ticket_once_with_its_money():
    old = family(exchanges=(moved("o-new", 0, "t-2"),))
    new = order(
        id="o-new",
        performance="p-2",
        lines=(line(price=2800),),  # 600 more, paid at the desk
        exchanged_from="o-old",
        exchange_paid_cents=600,
    )
    assert old.kept_lines == old.lines[:2] and old.held_cents == 4600
    report = build_report([old, new], {})
    assert (report["totals"]["tickets"], report["totals"]["revenue_cents"]) == (3, 6900 + 600)
    per_performance = {
        p["performance"]: (p["tickets"], p["revenue_cents"]) for p in report["performances"]
    }
    assert per_performance == {"p-1": (2, 4600), "p-2": (1, 2900)}


def test_a_partial_exchange_to_a_cheaper_seat_counts_the_refund_once():
    old = family(exchanges=(moved("o-new", 600, "t-1"),), refunded_cents=600)
    new = order(id="o-new", performance="p-2", lines=(line(price=1600),), exchanged_from="o-old")
    assert old.held_cents == 4600 and old.own_refunded_cents == 0
    assert totals(old, new) == {
        "orders": 2,
        "tickets": 3,
        "comps": 0,
        "revenue_cents": 6900 - 600,
        "refunded_cents": 0,
    }


def test_a_cancel_after_a_partial_exchange_refunds_only_what_the_remaining_tickets_hold():
    exchanged = family(exchanges=(moved("o-new", 600, "t-1"),), refunded_cents=600)
    refundable = exchanged.held_cents  # what SalesService.cancel may refund at most
    assert refundable == 4600  # the two tickets left, never the moved one's value again
    old = replace(
        exchanged,
        status=OrderStatus.REFUNDED,
        cancelled_at=f.T0,
        refunded_cents=600 + refundable,
    )
    new = order(id="o-new", performance="p-2", lines=(line(price=1600),), exchanged_from="o-old")
    assert old.held_cents == 0
    assert totals(old, new) == {
        "orders": 2,
        "tickets": 1,  # the moved ticket still stands
        "comps": 0,
        "revenue_cents": 1700,  # 6900 paid, 600 + 4600 refunded
        "refunded_cents": 4600,
    }
