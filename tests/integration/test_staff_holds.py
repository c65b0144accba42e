"""The box office's holds on AWS's DynamoDB Local: staff rules (until the performance ends,
outside the public window and the waiting room, up to 98 seats, wheelchair places by id),
the same conditional transaction as every hold (a taken seat is a 409, of a staff and a
public hold racing for the same seats exactly one wins), and the public route unchanged."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.inventory.model import HoldState, SeatState
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from tests import factories as f
from tests.integration.test_hold_gate import gated
from tests.inventory_fixtures import inventory_service, new_performance

pytestmark = pytest.mark.usefixtures("dynamodb")


@pytest.fixture
def service(clock: FixedClock) -> InventoryService:
    return inventory_service(clock, gated=True)


def detail(performance: str) -> PerformanceDetail:
    found = DynamoCatalogueStore().own_performance({"ntgent"}, performance)
    assert found is not None
    return found


def problem(call, *args) -> Problem:  # type: ignore[no-untyped-def]
    """The problem `call` raises; a JSON body among `args` is read as the route reads it."""
    with pytest.raises(Problem) as raised:
        call(*(parse(HoldCommand, a) if isinstance(a, dict) else a for a in args))
    return raised.value


def test_staff_hold_before_the_public_opening_and_after_the_public_close(service, clock):
    p = new_performance(sales_opens_at=f.T0 + timedelta(days=1))
    public = problem(service.hold, p, {"seats": ["zaal-c-1"]}, "alice")
    assert (public.code, public.extra["sales_status"]) == ("not_on_sale", "not_yet_on_sale")
    hold, token, _ = service.staff_hold(detail(p), HoldCommand(seats=["zaal-c-1"]))
    assert hold.seats == ("zaal-c-1",) and token
    assert service.seat_plan(p).states["zaal-c-1"] is SeatState.HELD

    clock.advance(days=30, minutes=30)  # the performance started: the webshop closed
    public = problem(service.hold, p, {"seats": ["zaal-c-2"]}, "alice")
    assert (public.code, public.extra["sales_status"]) == ("not_on_sale", "sales_closed")
    late, _, _ = service.staff_hold(detail(p), HoldCommand(quantity=2))
    assert len(late.seats) == 2


def test_no_staff_hold_on_a_cancelled_a_draft_or_an_ended_performance(service, clock):
    from chalicelib.catalogue.model import PerformanceStatus

    for status, reason in (
        (PerformanceStatus.CANCELLED, "cancelled"),
        (PerformanceStatus.DRAFT, "draft"),
    ):
        p = new_performance(status=status)
        refused = problem(service.staff_hold, detail(p), HoldCommand(seats=["zaal-c-1"]))
        assert (refused.status, refused.code, refused.extra["reason"]) == (
            422,
            "not_holdable",
            reason,
        )
    p = new_performance()
    clock.advance(days=31)  # it started 30 days from T0 and lasted two hours
    refused = problem(service.staff_hold, detail(p), HoldCommand(seats=["zaal-c-1"]))
    assert (refused.code, refused.extra["reason"]) == ("not_holdable", "ended")
    assert set(service.seat_plan(p).states.values()) == {SeatState.FREE}


def test_staff_hold_during_a_waiting_room_without_admission(service, clock):
    p = new_performance()
    gated(p)
    clock.advance(minutes=5)  # the room is open: the webshop needs its admission
    assert problem(service.hold, p, {"seats": ["zaal-a-5"]}, "alice").code == "admission_required"
    hold, _, _ = service.staff_hold(detail(p), HoldCommand(seats=["zaal-a-5", "zaal-a-6"]))
    assert hold.identity_slots == () and len(hold.seats) == 2


def test_thirty_seats_in_one_staff_hold_and_never_more_than_a_transaction(service):
    p = new_performance()
    thirty = [f"zaal-{row}-{n}" for row in "cde" for n in range(1, 11)]
    assert problem(service.hold, p, {"seats": thirty}, "alice").code == "max_seats_per_hold"
    hold, _, _ = service.staff_hold(detail(p), HoldCommand(seats=thirty))
    assert hold.quantity == 30
    too_many = problem(service.staff_hold, detail(p), HoldCommand(quantity=99))
    assert (too_many.status, too_many.extra["max"]) == (422, 98)
    # many holds for one desk: no limit per client
    for n in range(1, 8):
        service.staff_hold(detail(p), HoldCommand(seats=[f"zaal-b-{n}"]))


def test_wheelchair_places_by_id_only_and_blocked_seats_stay_blocked(service):
    p = new_performance()
    best, _, _ = service.staff_hold(detail(p), HoldCommand(quantity=18, zone="zone-1"))
    assert {"zaal-a-1", "zaal-a-2"}.isdisjoint(best.seats)  # never offered automatically
    chosen, _, _ = service.staff_hold(detail(p), HoldCommand(seats=["zaal-a-1", "zaal-a-2"]))
    assert chosen.seats == ("zaal-a-1", "zaal-a-2")
    q = new_performance()
    service.block(q, ["zaal-d-5"], "technical")
    lost = problem(service.staff_hold, detail(q), HoldCommand(seats=["zaal-d-5", "zaal-d-6"]))
    assert (lost.status, lost.extra["unavailable"]) == (409, ["zaal-d-5"])
    assert service.seat_plan(q).states["zaal-d-5"] is SeatState.BLOCKED


def test_a_seat_held_by_anyone_is_a_409_and_a_released_staff_hold_frees_it(service):
    p = new_performance()
    service.hold(p, HoldCommand(seats=["zaal-c-5"]), "alice")
    lost = problem(service.staff_hold, detail(p), HoldCommand(seats=["zaal-c-4", "zaal-c-5"]))
    assert (lost.status, lost.code, lost.extra["unavailable"]) == (409, "seats_taken", ["zaal-c-5"])
    hold, token, _ = service.staff_hold(detail(p), HoldCommand(seats=["zaal-c-6"]))
    lost = problem(service.hold, p, {"seats": ["zaal-c-6"]}, "bob")
    assert lost.extra["unavailable"] == ["zaal-c-6"]
    assert service.seat_plan(p).states["zaal-c-4"] is SeatState.FREE  # the loser wrote nothing
    service.release(hold.id, token)  # the public release route's use case, with the token
    assert service.get_hold(hold.id, token)[0].state is HoldState.RELEASED
    service.hold(p, HoldCommand(seats=["zaal-c-6"]), "bob")


def test_a_staff_hold_of_standing_places(service):
    p = new_performance(pool_capacity=60)
    hold, _, _ = service.staff_hold(detail(p), HoldCommand(quantity=40, pool="staan"))
    assert hold.quantity == 40
    assert service.seat_plan(p).pools_remaining == {"staan": 20}


def race(service: InventoryService, performance: str, seats: list[str]) -> tuple[list, list]:
    """Two staff holds and two public holds for the same seats, released at once."""
    barrier = threading.Barrier(4)
    won: list[str] = []
    lost: list[int] = []

    def take(who: str) -> None:
        barrier.wait()
        try:
            if who.startswith("staff"):
                service.staff_hold(detail(performance), HoldCommand(seats=seats))
            else:
                service.hold(performance, HoldCommand(seats=seats), who)
            won.append(who)
        except Problem as error:
            lost.append(error.status)

    threads = [
        threading.Thread(target=take, args=(who,)) for who in ("staff-1", "staff-2", "alice", "bob")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return won, lost


def test_staff_and_public_holds_racing_for_the_same_seats_exactly_one_wins(service):
    for _ in range(6):
        p = new_performance()
        won, lost = race(service, p, ["zaal-d-3", "zaal-d-4"])
        assert len(won) == 1 and lost == [409, 409, 409], (won, lost)
        assert service.seat_plan(p).count(SeatState.HELD) == 2


def test_ninety_eight_seats_fit_in_one_real_transaction(service):
    """The bound is counted, not guessed: 98 seats + the client slot + the hold record are
    exactly the 100 items DynamoDB Local accepts in one TransactWriteItems."""
    from chalicelib.catalogue.model import HallLayout
    from chalicelib.inventory.seatmap import Seat, SeatMap, Section
    from tests.inventory_fixtures import ZONES, save_in_hall

    ident = f"test-{uuid.uuid4().hex[:12]}"
    seats = tuple(
        Seat(f"groot-{row}-{n}", "zaal", row.upper(), n, float(n), float(y), "zone-1")
        for y, row in enumerate("abcdefghij")
        for n in range(1, 11)
    )
    seat_map = SeatMap("groot-100-map", "groot-100", (Section("zaal", {"nl": "Zaal"}),), seats)
    hall = f.hall(
        id="groot-100",
        capacity=100,
        price_zones=ZONES,
        seat_map=seat_map.id,
        layout=HallLayout.SEATED,
    )
    save_in_hall(replace(f.performance(ident), hall=hall.id), hall, seat_map)
    wanted = [seat.id for seat in seats[:98]]
    hold, _, _ = service.staff_hold(detail(ident), HoldCommand(seats=wanted))
    assert hold.quantity == 98
    assert service.seat_plan(ident).count(SeatState.HELD) == 98
    refused = problem(
        service.staff_hold, detail(ident), HoldCommand(seats=[s.id for s in seats[:99]])
    )
    assert (refused.code, refused.extra["max"]) == ("max_seats_per_hold", 98)
