"""The checkout's rules on in-memory fakes (tests/fakes_orders.py), without DynamoDB or
Stripe: an order on a valid hold, priced in cents with VAT and the service fee; the saga's
paths to tickets and money or to neither; and each step repeated without a second charge,
refund, ticket or mail. The guarantees that rest on a port's promise each have a negative
control: the same scenario on a fake that breaks the promise makes the assertion fire."""

from __future__ import annotations

import pytest

from chalicelib.catalogue.model import PerformanceDetail, Tariff, TariffConditions
from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.core.ids import digest
from chalicelib.orders.model import OrderStatus, vat_included
from chalicelib.orders.schemas import OrderCommand
from chalicelib.orders.service import PaidAfterAll, PaymentFailed, SeatsLost, order_token
from tests import factories as f
from tests.fakes_orders import TOKEN_SECRET, FakeIssuer, FakePaymentGateway, FreshIdIssuer, Shop
from tests.inventory_fixtures import ZONES, studio_map

SEAT_MAP = studio_map("m", "studio")
TARIFFS = (
    Tariff("standaard", {"nl": "Standaard"}, {"zone-1": 2800, "zone-2": 2200}),
    Tariff(
        "min26",
        {"nl": "-26"},
        {"zone-1": 1400, "zone-2": 1100},
        TariffConditions(max_per_order=1),
    ),
    Tariff("gratis", {"nl": "Genodigde"}, {"zone-1": 0, "zone-2": 0}),
)
HALL = f.hall(id="studio", price_zones=ZONES, seat_map="m", capacity=SEAT_MAP.capacity)


def detail(performance_id: str = "storm-1", **changes: object) -> PerformanceDetail:
    return PerformanceDetail(
        performance=f.performance(performance_id, hall=HALL.id, tariffs=TARIFFS, **changes),
        production=f.production(),
        house=f.house(),
        venue=f.venue(),
        hall=HALL,
    )


def shop(payments: FakePaymentGateway | None = None, issuer: FakeIssuer | None = None) -> Shop:
    return Shop.build(FixedClock(f.T0), SEAT_MAP, [detail()], payments=payments, issuer=issuer)


def raised(code: str, call: object, *args: object) -> Problem:
    with pytest.raises(Problem) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.code == code, caught.value.to_dict("en")
    return caught.value


# --- placing an order ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "when", "count"),
    [
        ("nl", "vrijdag 4 december 2026, 10:00", "2 tickets"),
        ("fr", "vendredi 4 décembre 2026, 10:00", "2 billets"),
        ("en", "Friday 4 December 2026, 10:00", "2 tickets"),
    ],
)
def test_the_payment_page_speaks_the_buyers_language_in_brussels_time(lang, when, count):
    """Stripe's page shows the order's one line: the show at its Brussels time (09:00 UTC is
    10:00 in December) and the count in the buyer's language; paying leads back to the order
    page in that language (issue #15: a French buyer came back to a Dutch page, and the line
    said 09:00Z and "tickets")."""
    s = shop()
    hold, token = s.inventory.hold("storm-1", ["zaal-a-5", "zaal-a-6"])
    customer = {"name": "Anne", "email": "anne@example.be", "language": lang}
    s.checkout.place(parse(OrderCommand, s.order_body(hold, token, customer=customer)))

    (request,) = s.payments.requests
    assert request.description.endswith(f" — {when} — {count}"), request.description
    assert request.language == lang
    assert request.success_url.endswith(f"&lang={lang}") and request.cancel_url.endswith(lang)
    assert "Z" not in request.description.split(" — ")[2]


def test_an_order_on_a_valid_hold_is_priced_in_cents_with_vat_and_the_fee():
    s = shop()
    hold, token = s.inventory.hold("storm-1", ["zaal-a-5", "zaal-c-3", "zaal-c-4"])
    body = s.order_body(hold, token, ["standaard", "min26", "gratis"])
    order, access = s.checkout.place(parse(OrderCommand, body))

    assert [line.place for line in order.lines] == list(hold.seats)  # lines = the held seats
    assert [(line.price_cents, line.fee_cents) for line in order.lines] == [
        (2800, 100),
        (1100, 100),
        (0, 0),  # a free ticket carries no fee
    ]
    assert order.total_cents == 2800 + 1100 + 200
    assert order.vat_cents == vat_included(3900, 6) + vat_included(200, 21)
    assert order.status is OrderStatus.AWAITING_PAYMENT
    assert order.token_digest == digest(access) and access == order_token(
        order.id, b"fake-order-token-secret"
    )
    assert order.payment_url and s.workflow.started == {order.id: {"order_id": order.id}}
    assert order.pay_before == s.inventory.holds[hold.id].held_until  # the extended hold
    assert s.payments.sessions[order.payment_session or ""].amount_total == order.total_cents


def test_placing_the_same_hold_again_answers_the_same_order_and_payment():
    s = shop()
    hold, token = s.inventory.hold("storm-1", ["zaal-a-5"])
    command = parse(OrderCommand, s.order_body(hold, token))
    first, token_1 = s.checkout.place(command)
    again, token_2 = s.checkout.place(command)
    assert (again.id, again.payment_url, token_2) == (first.id, first.payment_url, token_1)
    assert len(s.orders.orders) == 1 and len(s.payments.sessions) == 1


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([{"seat": "zaal-a-5", "tariff": "standaard"}], "lines"),  # a held seat left out
        (
            [
                {"seat": "zaal-a-5", "tariff": "standaard"},
                {"seat": "zaal-a-9", "tariff": "standaard"},  # not held
            ],
            "lines",
        ),
        (
            [{"seat": "zaal-a-5", "tariff": "vip"}, {"seat": "zaal-a-6", "tariff": "standaard"}],
            "lines[0].tariff",
        ),
    ],
)
def test_lines_must_be_the_held_seats_with_known_tariffs(lines, field):
    s = shop()
    hold, token = s.inventory.hold("storm-1", ["zaal-a-5", "zaal-a-6"])
    command = parse(OrderCommand, s.order_body(hold, token, lines=lines))
    refused = raised("invalid_input", s.checkout.place, command)
    assert field in [error.field for error in refused.errors]
    assert s.orders.orders == {} and s.payments.sessions == {}  # nothing written


def test_a_tariff_limited_per_order_is_refused_beyond_its_maximum():
    s = shop()
    hold, token = s.inventory.hold("storm-1", ["zaal-a-5", "zaal-a-6"])
    command = parse(OrderCommand, s.order_body(hold, token, ["min26", "min26"]))
    refused = raised("max_per_order", s.checkout.place, command)
    assert (refused.status, refused.extra["max"]) == (422, 1)
    assert s.orders.orders == {}


def test_an_expired_hold_or_a_wrong_token_places_no_order():
    s = shop()
    hold, token = s.inventory.hold("storm-1", ["zaal-a-5"])
    raised("not_found", s.checkout.place, parse(OrderCommand, s.order_body(hold, "wrong")))
    s.clock.advance(minutes=16)
    raised("hold_expired", s.checkout.place, parse(OrderCommand, s.order_body(hold, token)))
    assert s.orders.orders == {}


def test_no_order_on_a_cancelled_performance():
    s = shop()
    hold, token = s.inventory.hold("storm-1", ["zaal-a-5"])
    s.orders.cancelled_performances.add(("ntgent", "storm-1"))
    raised("not_on_sale", s.checkout.place, parse(OrderCommand, s.order_body(hold, token)))


# --- the saga --------------------------------------------------------------------------------


def test_payment_sells_the_seats_issues_the_tickets_and_mails_them():
    s = shop()
    order = s.place("storm-1", ["zaal-a-5", "zaal-a-6"])
    s.until_paid(order.id)
    s.payments.pay(order.id)
    assert s.checkout.payment_news(order.payment_session or "") == "paid"  # the webhook
    assert s.workflow.successes == [(f"task-{order.id}", {"payment_intent": f"pi_{order.id}"})]

    assert s.after_payment(order.id) == "completed"
    done = s.orders.orders[order.id]
    assert (done.status, done.payment_intent, done.mailed) == (
        OrderStatus.COMPLETED,
        f"pi_{order.id}",
        True,
    )
    assert [s.inventory.state("storm-1", seat) for seat in ("zaal-a-5", "zaal-a-6")] == [
        "sold",
        "sold",
    ]
    assert [t.place for t in s.orders.tickets(order.id)] == ["zaal-a-5", "zaal-a-6"]
    assert list(done.tickets) == [t.id for t in s.orders.tickets(order.id)]
    assert s.files.pdfs[order.id].startswith(b"%PDF-")
    assert s.mailer.sent == [("an@example.be", f"confirmation {order.id}")]
    view = s.checkout.view(order.id, order_token(order.id, TOKEN_SECRET), s.files)
    assert view.pdf_url and len(view.tickets) == 2
    raised("not_found", s.checkout.view, order.id, "not-the-token", s.files)


@pytest.mark.parametrize("how", ["declined", "expired"])
def test_no_payment_releases_the_seats_and_cancels(how: str):
    s = shop()
    order = s.place("storm-1", ["zaal-a-5"])
    s.until_paid(order.id)
    if how == "declined":
        s.payments.decline(order.id)
        assert s.checkout.payment_news(order.payment_session or "") == "failed"
        s.checkout.cancel(order.id)
    else:
        s.clock.advance(minutes=30)
        with pytest.raises(PaymentFailed):
            s.checkout.payment_timed_out(order.id)
        s.checkout.cancel(order.id)
    s.checkout.cancel(order.id)  # a retried step: nothing more happens
    assert s.orders.orders[order.id].status is OrderStatus.CANCELLED
    assert s.inventory.state("storm-1", "zaal-a-5") == "free"
    assert s.payments.refunds == [] and s.mailer.sent == [] and s.orders.tickets(order.id) == []


def test_cancelling_finds_a_payment_made_in_the_last_moment_and_sells_instead():
    s = shop()
    order = s.place("storm-1", ["zaal-a-5"])
    s.until_paid(order.id)
    s.payments.pay(order.id)
    with pytest.raises(PaidAfterAll):
        s.checkout.cancel(order.id)
    assert s.after_payment(order.id) == "completed"  # the saga's Catch → ConfirmSeats


def test_paid_after_the_seats_were_lost_is_refunded_in_full_once_with_an_apology():
    s = shop()
    order = s.place("storm-1", ["zaal-a-5", "zaal-a-6"])
    s.until_paid(order.id)
    s.clock.advance(minutes=25)  # the hold ran out...
    s.inventory.hold("storm-1", ["zaal-a-6"])  # ...and someone else took a seat
    s.payments.pay(order.id)  # Bancontact settled late

    with pytest.raises(SeatsLost):
        s.checkout.confirm_seats(order.id)
    for _ in range(3):  # the Refund step, retried
        s.checkout.refund(order.id, "seatslost", s.mailer, s.writer)
    refunded = s.orders.orders[order.id]
    assert (refunded.status, refunded.refunded_cents) == (OrderStatus.REFUNDED, 2 * 2900)
    assert_refunded_once(s, f"pi_{order.id}", 2 * 2900)
    assert s.mailer.sent == [("an@example.be", f"apology {order.id}")]
    assert s.orders.tickets(order.id) == []
    assert s.inventory.state("storm-1", "zaal-a-6") == "held"  # the other buyer's, untouched


def test_every_step_repeated_charges_refunds_issues_and_mails_once():
    s = shop()
    order = s.place("storm-1", ["zaal-a-5", "zaal-a-6"])
    for _ in range(3):  # Step Functions retries; Stripe delivers its news again
        s.until_paid(order.id)
    s.payments.pay(order.id)
    for _ in range(3):
        s.checkout.confirm_seats(order.id)
        s.checkout.issue_tickets(order.id, s.issuer, s.files)
    for _ in range(3):
        s.checkout.send_confirmation(order.id, s.mailer, s.writer)
    assert_one_payment_page(s, order.id)
    assert_tickets_once(s, order.id, 2)
    assert s.mailer.sent == [("an@example.be", f"confirmation {order.id}")]
    assert s.inventory.state("storm-1", "zaal-a-5") == "sold"
    assert s.orders.orders[order.id].status is OrderStatus.COMPLETED


def test_a_refund_step_that_crashed_before_it_recorded_refunds_once_by_its_key():
    s = shop()
    order = refund_crashing_once(s)
    assert_refunded_once(s, f"pi_{order}", 2800 + 100)


def test_a_refund_made_at_stripe_puts_the_seats_back_and_voids_the_tickets():
    s = shop()
    order = s.place("storm-1", ["zaal-a-5"])
    s.until_paid(order.id)
    s.payments.pay(order.id)
    s.after_payment(order.id)
    s.payments.refund(f"pi_{order.id}", 2900, "dashboard")  # by hand, in Stripe's dashboard
    assert s.checkout.refund_news(f"pi_{order.id}") == "refunded"
    assert s.checkout.refund_news(f"pi_{order.id}") == "already known"
    assert s.orders.orders[order.id].status is OrderStatus.REFUNDED
    assert all(t.voided for t in s.orders.tickets(order.id))
    assert s.inventory.state("storm-1", "zaal-a-5") == "free"


# --- the guarantees, and their negative controls ---------------------------------------------


def assert_one_payment_page(s: Shop, order_id: str) -> None:
    opened = [x for x in s.payments.sessions.values() if x.order_id == order_id]
    assert len(opened) == 1, f"{len(opened)} payment pages for one order: it can be paid twice"


def assert_tickets_once(s: Shop, order_id: str, count: int) -> None:
    assert len(s.orders.tickets(order_id)) == count, "a retried issue made more tickets"


def assert_refunded_once(s: Shop, intent: str, cents: int) -> None:
    assert s.payments.refunded_cents(intent) == cents, "refunded more (or less) than paid"


def refund_crashing_once(s: Shop) -> str:
    """A Refund step that refunds at Stripe and crashes before the order says so; the retry
    finds the order not refunded yet and asks Stripe again, with the same key."""
    order = s.place("storm-1", ["zaal-a-5"])
    s.until_paid(order.id)
    s.payments.pay(order.id)
    s.checkout.record_payment(order.id, f"pi_{order.id}")
    real_move = s.orders.move
    crashes = [True]

    def crashing_move(*args: object, **changes: object) -> bool:
        if crashes and args[1] is OrderStatus.REFUNDED:
            crashes.pop()
            raise ConnectionError("the table did not answer")
        return real_move(*args, **changes)  # type: ignore[arg-type]

    s.orders.move = crashing_move  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        s.checkout.refund(order.id, "failure", s.mailer, s.writer)
    s.checkout.refund(order.id, "failure", s.mailer, s.writer)
    return order.id


def test_negative_control_a_gateway_that_ignores_idempotency_keys_is_caught():
    """The no-double-charge and no-double-refund assertions above are not vacuous: on a
    gateway that opens a new payment page and refunds anew on every call, they fire."""
    s = shop(payments=FakePaymentGateway(honours_keys=False))
    order = s.place("storm-1", ["zaal-a-5"])
    s.until_paid(order.id)
    s.until_paid(order.id)
    with pytest.raises(AssertionError, match="payment pages"):
        assert_one_payment_page(s, order.id)

    broken = shop(payments=FakePaymentGateway(honours_keys=False))
    crashed = refund_crashing_once(broken)
    with pytest.raises(AssertionError, match="refunded more"):
        assert_refunded_once(broken, f"pi_{crashed}", 2800 + 100)


def issued_twice(s: Shop) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The IssueTickets step run again after it had finished (its answer was lost)."""
    order = s.place("storm-1", ["zaal-a-5", "zaal-a-6"])
    s.until_paid(order.id)
    s.payments.pay(order.id)
    s.checkout.confirm_seats(order.id)
    s.checkout.issue_tickets(order.id, s.issuer, s.files)
    first = s.orders.orders[order.id].tickets
    s.checkout.issue_tickets(order.id, s.issuer, s.files)
    return first, s.orders.orders[order.id].tickets


def assert_same_tickets(first: tuple[str, ...], again: tuple[str, ...]) -> None:
    # Tickets are signed and checked offline at the door: a ticket issued once stays valid,
    # so a retry that issued other ids would have made a second valid ticket per seat.
    assert again == first, "a retried issue made other tickets"


def test_issuing_again_makes_the_same_tickets():
    assert_same_tickets(*issued_twice(shop()))


def test_negative_control_an_issuer_without_deterministic_ids_is_caught():
    with pytest.raises(AssertionError, match="other tickets"):
        assert_same_tickets(*issued_twice(shop(issuer=FreshIdIssuer())))


def test_the_fake_inventory_keeps_the_one_promise_the_saga_needs():
    """A seat is sold to one hold only: a lost seat is a 409, whoever asks again."""
    s = shop()
    hold, _ = s.inventory.hold("storm-1", ["zaal-b-1"])
    s.clock.advance(minutes=16)
    other, _ = s.inventory.hold("storm-1", ["zaal-b-1"])
    s.inventory.sell(other.id)
    for _ in range(2):
        assert raised("seats_taken", s.inventory.sell, hold.id).status == 409
    assert s.inventory.holds[other.id].state.value == "sold"
