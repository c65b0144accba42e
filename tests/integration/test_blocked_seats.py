"""Blocked seats managed, and the staff seat plan, on AWS's DynamoDB Local: a blocked seat
given back is holdable by the public again; a seat a buyer holds or bought is never "unblocked"
into free (409, nothing written), also when a hold races the unblock; the staff plan reads
expiry like every read, names the order of a sold seat and says when a checkout is paying."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.catalogue.model import CatalogueSet, PerformanceStatus
from chalicelib.catalogue.service import CatalogueService
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock, to_utc_iso
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.inventory.model import HoldState, SeatState
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.inventory.views import staff_seat_plan_view
from chalicelib.orders.schemas import OrderCommand
from chalicelib.orders.service import CheckoutService
from chalicelib.orders.store import DynamoOrderStore
from chalicelib.payments.model import CheckoutRequest, CheckoutSession
from chalicelib.programme.schemas import ReleaseCommand
from chalicelib.programme.service import ProgrammeService
from tests import factories as f
from tests.inventory_fixtures import inventory_service, new_performance

pytestmark = pytest.mark.usefixtures("dynamodb")


@pytest.fixture
def service(clock: FixedClock) -> InventoryService:
    return inventory_service(clock)


def iso(moment: datetime) -> str:
    return to_utc_iso(moment)


def problem(call, *args) -> Problem:  # type: ignore[no-untyped-def]
    """The problem `call` raises; a JSON body among `args` is read as the route reads it."""
    with pytest.raises(Problem) as raised:
        call(*(parse(HoldCommand, a) if isinstance(a, dict) else a for a in args))
    return raised.value


def states(service: InventoryService, performance: str) -> dict[str, SeatState]:
    return service.seat_plan(performance).states


def staff_seats(service: InventoryService, performance: str) -> dict[str, dict[str, Any]]:
    view = staff_seat_plan_view(service.staff_seat_plan(performance), "nl")
    return {seat["id"]: seat for seat in view["seats"]}


class Payments:
    """Every checkout paid at once."""

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        return self._session(request.order_id)

    def get_checkout(self, session_id: str) -> CheckoutSession:
        return self._session(session_id.removeprefix("cs_"))

    def _session(self, order_id: str) -> CheckoutSession:
        return CheckoutSession(
            f"cs_{order_id}", "https://pay.example", "complete", "paid", 2800, order_id, "pi_1"
        )


class Workflow:
    def start(self, order_id: str, payload: dict[str, Any]) -> None:
        pass


def test_blocked_then_released_seats_are_holdable_by_the_public_again(service, clock):
    p = new_performance()
    service.block(p, ["zaal-a-5", "zaal-a-6"], "mengtafel")
    assert problem(service.hold, p, {"seats": ["zaal-a-5"]}, "alice").status == 409
    seen = staff_seats(service, p)["zaal-a-5"]
    assert seen == seen | {"state": "blocked", "reason": "mengtafel", "blocked_at": iso(f.T0)}
    clock.advance(minutes=5)
    service.unblock(p, ["zaal-a-5", "zaal-a-6"])
    assert states(service, p)["zaal-a-5"] is states(service, p)["zaal-a-6"] is SeatState.FREE
    hold, _, _ = service.hold(p, HoldCommand(seats=["zaal-a-5", "zaal-a-6"]), "alice")
    assert states(service, p)["zaal-a-5"] is SeatState.HELD and hold.seats == (
        "zaal-a-5",
        "zaal-a-6",
    )


def test_releasing_a_held_or_sold_seat_is_409_naming_it_and_writes_nothing(service):
    p = new_performance()
    service.block(p, ["zaal-b-1"], "camera")
    held, _, _ = service.hold(p, HoldCommand(seats=["zaal-b-2"]), "alice")
    sold, _, _ = service.hold(p, HoldCommand(seats=["zaal-b-3"]), "bob")
    service.sell(sold.id)
    before = staff_seats(service, p)
    refused = problem(service.unblock, p, ["zaal-b-1", "zaal-b-2", "zaal-b-3"])
    assert (refused.status, refused.code) == (409, "seats_taken")
    assert refused.extra["unavailable"] == ["zaal-b-2", "zaal-b-3"]
    assert staff_seats(service, p) == before  # the blocked seat too: nothing written
    assert service.store.get_hold(held.id).state is HoldState.ACTIVE  # type: ignore[union-attr]


def test_unknown_seats_are_400_naming_them_and_a_second_release_changes_nothing(service):
    p = new_performance()
    service.block(p, ["zaal-c-1"], "pers")
    bad = problem(service.unblock, p, ["zaal-c-1", "zaal-z-9", "balkon-1"])
    assert bad.status == 400 and len(bad.errors) == 2
    assert {e.detail for e in bad.errors} == {"unknown seat 'zaal-z-9'", "unknown seat 'balkon-1'"}
    assert states(service, p)["zaal-c-1"] is SeatState.BLOCKED
    service.unblock(p, ["zaal-c-1"])
    service.unblock(p, ["zaal-c-1"])  # a retried request: already free, nothing to do
    assert states(service, p)["zaal-c-1"] is SeatState.FREE


def test_a_seat_held_after_an_expired_hold_is_not_blocked_and_reads_free_on_the_staff_plan(
    service, clock
):
    p = new_performance(hold_minutes=15)
    hold, _, _ = service.hold(p, HoldCommand(seats=["zaal-d-1"]), "alice")
    seen = staff_seats(service, p)["zaal-d-1"]
    assert seen["state"] == "held" and seen["hold"] == hold.id and seen["paying"] is False
    assert seen["held_until"] == iso(f.T0 + timedelta(minutes=15))
    clock.advance(minutes=15)
    expired = staff_seats(service, p)["zaal-d-1"]
    assert expired["state"] == "free" and "hold" not in expired and "held_until" not in expired
    service.unblock(p, ["zaal-d-1"])  # free (its hold expired): nothing to give back
    service.hold(p, HoldCommand(seats=["zaal-d-1"]), "bob")  # and its expired item was left alone


def test_the_staff_plan_names_the_order_of_a_paying_checkout_and_of_a_sold_seat(service, clock):
    p = new_performance(pool_capacity=10, max_holds_per_client=5)
    checkout = CheckoutService(
        DynamoOrderStore(),
        service,
        Payments(),  # type: ignore[arg-type]
        Workflow(),  # type: ignore[arg-type]
        clock,
        public_url="http://shop.example",
        token_secret=b"test-secret",
    )
    hold, token, _ = service.hold(p, HoldCommand(seats=["zaal-a-3"]), "alice")
    order, _ = checkout.place(
        parse(
            OrderCommand,
            {
                "hold_id": hold.id,
                "hold_token": token,
                "lines": [{"seat": "zaal-a-3", "tariff": "standaard"}],
                "customer": {"name": "An Peeters", "email": "an@example.be", "language": "nl"},
            },
        )
    )
    paying = staff_seats(service, p)["zaal-a-3"]
    assert (paying["state"], paying["paying"], paying["order"]) == ("held", True, order.id)
    checkout.confirm_seats(order.id)
    sold = staff_seats(service, p)["zaal-a-3"]
    assert sold == sold | {"state": "sold", "hold": hold.id, "order": order.id}
    # Standing places: held, sold and free add up to the pool, an expired hold reads free.
    service.hold(p, HoldCommand(quantity=2, pool="staan"), "bob")
    bought, _, _ = service.hold(p, HoldCommand(quantity=3, pool="staan"), "carol")
    service.sell(bought.id)
    clock.advance(minutes=5)
    service.hold(p, HoldCommand(quantity=1, pool="staan"), "dirk")
    pools = staff_seat_plan_view(service.staff_seat_plan(p), "nl")["pools"]
    assert {k: pools[0][k] for k in ("held", "sold", "free")} == {"held": 3, "sold": 3, "free": 4}
    clock.advance(minutes=11)  # bob's hold expired, dirk's not yet
    view = staff_seat_plan_view(service.staff_seat_plan(p), "nl")
    assert {k: view["pools"][0][k] for k in ("held", "sold", "free")} == {
        "held": 1,
        "sold": 3,
        "free": 6,
    }
    assert view["summary"]["sold_seats"] == 1 and view["summary"]["held_seats"] == 0


def test_the_staff_plan_lists_the_blocked_seats_with_their_reasons(service):
    p = new_performance()
    service.block(p, ["zaal-e-9", "zaal-e-10"], "techniek")
    service.block(p, ["zaal-a-1"], "huisplaats")
    view = staff_seat_plan_view(service.staff_seat_plan(p), "en")
    assert [(b["seat"], b["reason"]) for b in view["blocked"]] == [
        ("zaal-a-1", "huisplaats"),
        ("zaal-e-9", "techniek"),
        ("zaal-e-10", "techniek"),
    ]
    assert view["summary"]["blocked_seats"] == 3 and view["summary"]["free_seats"] == 47


def test_a_public_hold_racing_a_release_never_takes_a_seat_twice(service):
    """Buyers keep trying to hold seats while staff release them: each seat ends up with one
    item, held by exactly one hold (or still free), never blocked and held at once."""
    p = new_performance(max_holds_per_client=1)
    seats = ["zaal-c-3", "zaal-c-4", "zaal-c-5"]
    service.block(p, seats, "camera")
    won: list[str] = []
    start = threading.Barrier(9)

    def buyer(n: int) -> None:
        start.wait()
        for _ in range(60):
            try:
                hold, _, _ = service.hold(p, HoldCommand(seats=seats), f"buyer-{n}")
            except Problem as lost:
                assert lost.status == 409
                continue
            won.append(hold.id)
            return

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    start.wait()
    service.unblock(p, seats)
    for thread in threads:
        thread.join()
    plan = service.staff_seat_plan(p)
    assert len(won) <= 1
    if won:  # the buyers were quick enough (they usually are): one of them has all three
        assert {plan.claims[s].hold for s in seats} == {won[0]}
        assert {plan.plan.states[s] for s in seats} == {SeatState.HELD}
        refused = problem(service.unblock, p, seats)
        assert refused.status == 409 and refused.extra["unavailable"] == seats
    else:
        assert {plan.plan.states[s] for s in seats} == {SeatState.FREE}


def test_a_cancelled_performance_refuses_a_release_and_another_house_finds_nothing(clock):
    store = DynamoCatalogueStore()
    programme = ProgrammeService(
        store, CatalogueService(store, clock), DynamoInventoryStore(), clock
    )
    p = new_performance()
    service = programme._inventory(programme.performance(frozenset({"ntgent"}), p))
    service.block(p, ["zaal-a-7"], "camera")
    release = ReleaseCommand(seats=("zaal-a-7",))
    assert problem(programme.unblock, frozenset({"campo"}), p, release).status == 404
    assert problem(programme.seat_plan, frozenset({"campo"}), p).status == 404
    detail = programme.performance(frozenset({"ntgent"}), p)
    cancelled = replace(detail.performance, status=PerformanceStatus.CANCELLED)
    store.save_all(CatalogueSet(performances=(cancelled,)))
    refused = problem(programme.unblock, frozenset({"ntgent"}), p, release)
    assert (refused.status, refused.code) == (422, "performance_cancelled")
    staff = programme.seat_plan(frozenset({"ntgent"}), p)  # still readable
    assert staff.plan.states["zaal-a-7"] is SeatState.BLOCKED
