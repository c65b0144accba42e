"""Holds through the service layer on AWS's DynamoDB Local, with a clock the test moves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.inventory.model import HoldState, SeatState
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from tests import factories as f
from tests.inventory_fixtures import inventory_service, new_performance

pytestmark = pytest.mark.usefixtures("dynamodb")


@pytest.fixture
def service(clock: FixedClock) -> InventoryService:
    return inventory_service(clock)


def states(service: InventoryService, performance: str) -> dict[str, SeatState]:
    return service.seat_plan(performance).states


def problem(call, *args) -> Problem:  # type: ignore[no-untyped-def]
    """The problem `call` raises; a JSON body among `args` is read as the route reads it."""
    with pytest.raises(Problem) as raised:
        call(*(parse(HoldCommand, a) if isinstance(a, dict) else a for a in args))
    return raised.value


def test_a_held_seat_cannot_be_held_again_and_the_loser_writes_nothing(service):
    p = new_performance()
    hold, token, _ = service.hold(p, HoldCommand(seats=["zaal-c-5", "zaal-c-6"]), "alice")
    assert hold.seats == ("zaal-c-5", "zaal-c-6") and token
    lost = problem(service.hold, p, {"seats": ["zaal-c-6", "zaal-c-7"]}, "bob")
    assert lost.status == 409 and lost.extra["unavailable"] == ["zaal-c-6"]
    now = states(service, p)
    assert now["zaal-c-5"] is now["zaal-c-6"] is SeatState.HELD
    assert now["zaal-c-7"] is SeatState.FREE  # the losing request wrote nothing


def test_an_expired_hold_reads_as_free_and_never_blocks_a_new_one(service, clock):
    p = new_performance(hold_minutes=15)
    first, _, _ = service.hold(p, HoldCommand(seats=["zaal-d-1"]), "alice")
    assert first.held_until == f.T0 + timedelta(minutes=15)
    clock.advance(minutes=15)
    assert states(service, p)["zaal-d-1"] is SeatState.FREE
    second, _, _ = service.hold(p, HoldCommand(seats=["zaal-d-1"]), "bob")
    assert second.seats == ("zaal-d-1",)


def test_release_needs_the_token_and_frees_the_seats(service):
    p = new_performance()
    hold, token, _ = service.hold(p, HoldCommand(seats=["zaal-e-1", "zaal-e-2"]), "alice")
    assert problem(service.release, hold.id, "wrong").status == 404
    assert problem(service.get_hold, hold.id, None).status == 404
    assert service.get_hold(hold.id, token)[0].state is HoldState.ACTIVE
    service.release(hold.id, token)
    assert states(service, p)["zaal-e-1"] is SeatState.FREE
    assert service.get_hold(hold.id, token)[0].state is HoldState.RELEASED
    service.release(hold.id, token)  # releasing twice is harmless


def test_best_available_takes_adjacent_seats_in_the_best_zone(service):
    p = new_performance()
    hold, _, seat_map = service.hold(p, HoldCommand(quantity=4), "alice")
    seats = [seat_map.seat(s) for s in hold.seats]
    assert {s.zone for s in seats} == {"zone-1"}
    assert len({s.row for s in seats}) == 1
    numbers = sorted(s.number for s in seats)
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    zone_2, _, seat_map = service.hold(p, HoldCommand(quantity=3, zone="zone-2"), "bob")
    assert {seat_map.seat(s).zone for s in zone_2.seats} == {"zone-2"}


def test_best_available_never_returns_a_taken_seat_and_says_when_none_are_left(service):
    p = new_performance(max_holds_per_client=20, max_seats_per_hold=10)
    taken: set[str] = set()
    # zone 1 has 20 seats, A1 (wheelchair) and A2 (companion) are never auto-assigned
    for _ in range(4):
        hold, _, _ = service.hold(p, HoldCommand(quantity=4, zone="zone-1"), "alice")
        assert not taken & set(hold.seats)
        taken |= set(hold.seats)
    lost = problem(service.hold, p, {"quantity": 4, "zone": "zone-1"}, "alice")
    assert lost.status == 409


def test_general_admission_counts_places_and_gives_back_expired_ones(service, clock):
    p = new_performance(pool_capacity=10, max_holds_per_client=10)
    service.hold(p, HoldCommand(quantity=4, pool="staan"), "alice")
    service.hold(p, HoldCommand(quantity=4, pool="staan"), "bob")
    assert service.seat_plan(p).pools_remaining == {"staan": 2}
    assert problem(service.hold, p, {"quantity": 3, "pool": "staan"}, "carol").status == 409
    clock.advance(minutes=16)
    assert service.seat_plan(p).pools_remaining == {"staan": 10}
    hold, _, _ = service.hold(p, HoldCommand(quantity=10, pool="staan"), "carol")
    assert hold.quantity == 10
    assert service.seat_plan(p).pools_remaining == {"staan": 0}


def test_a_client_may_hold_only_so_many_times_at_once(service):
    p = new_performance(max_holds_per_client=2)
    first, token, _ = service.hold(p, HoldCommand(seats=["zaal-b-1"]), "alice")
    service.hold(p, HoldCommand(seats=["zaal-b-2"]), "alice")
    limit = problem(service.hold, p, {"seats": ["zaal-b-3"]}, "alice")
    assert limit.status == 422 and limit.extra["limit"] == "max_holds_per_client"
    service.hold(p, HoldCommand(seats=["zaal-b-3"]), "bob")  # another client is not affected
    service.release(first.id, token)
    service.hold(p, HoldCommand(seats=["zaal-b-4"]), "alice")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"quantity": 0}, 400),
        ({"quantity": 11}, 422),
        ({"seats": [f"zaal-c-{n}" for n in range(1, 11)] + ["zaal-d-1"]}, 422),
        ({"seats": ["zaal-z-99"]}, 400),
        ({"seats": ["zaal-a-3", "zaal-a-3"]}, 400),
        ({"seats": []}, 400),
        ({"seats": "zaal-a-3"}, 400),
        ({"quantity": 2, "zone": "balkon"}, 400),
        ({"quantity": 2, "pool": "staan"}, 400),  # this hall has no pool
        ({"quantity": "2"}, 400),
        ({"quantity": True}, 400),
        ({"seats": ["zaal-a-3"], "quantity": 1}, 400),
        ({"colour": "red"}, 400),
        ([], 400),
        (None, 400),
    ],
)
def test_bad_requests_write_nothing(service, body, status):
    p = new_performance()
    # As the route does: the body read into a command (400), then the service's rules.
    assert problem(lambda: service.hold(p, parse(HoldCommand, body), "alice")).status == status
    assert set(states(service, p).values()) == {SeatState.FREE}


def test_blocked_seats_cannot_be_held_and_held_seats_cannot_be_blocked(service):
    p = new_performance()
    service.block(p, ["zaal-a-5"], "technical")
    lost = problem(service.hold, p, {"seats": ["zaal-a-5", "zaal-a-6"]}, "alice")
    assert lost.status == 409 and lost.extra["unavailable"] == ["zaal-a-5"]
    service.hold(p, HoldCommand(seats=["zaal-a-6"]), "alice")
    assert problem(service.block, p, ["zaal-a-6"], "press").status == 409
    assert states(service, p)["zaal-a-5"] is SeatState.BLOCKED


def test_nothing_can_be_held_outside_the_sales_window(service, clock):
    p = new_performance(sales_opens_at=f.T0 + timedelta(days=1))
    refused = problem(service.hold, p, {"seats": ["zaal-a-3"]}, "alice")
    assert refused.status == 422 and refused.extra["sales_status"] == "not_yet_on_sale"
    clock.advance(days=1)
    service.hold(p, HoldCommand(seats=["zaal-a-3"]), "alice")


def test_unknown_performance_is_404(service):
    assert problem(service.hold, "no-such-show", {"quantity": 1}, "alice").status == 404
    assert problem(service.seat_plan, "no-such-show").status == 404


def test_a_hold_extends_once_for_checkout(service, clock):
    p = new_performance()
    hold, token, _ = service.hold(p, HoldCommand(seats=["zaal-c-1"]), "alice")
    clock.advance(minutes=10)
    extended = service.extend(hold.id, token)
    assert extended.held_until == f.T0 + timedelta(minutes=45)  # 35 minutes from the extension
    assert extended.extended
    assert problem(service.extend, hold.id, token).status == 422
    clock.advance(minutes=25)  # past the first expiry, within the extension
    assert states(service, p)["zaal-c-1"] is SeatState.HELD
    assert problem(service.hold, p, {"seats": ["zaal-c-1"]}, "bob").status == 409


def test_selling_a_hold_makes_its_seats_sold_and_frees_the_client_slot(service):
    p = new_performance(max_holds_per_client=1, pool_capacity=5)
    hold, token, _ = service.hold(p, HoldCommand(seats=["zaal-c-1", "zaal-c-2"]), "alice")
    service.sell(hold.id)
    assert states(service, p)["zaal-c-1"] is SeatState.SOLD
    assert service.get_hold(hold.id, token)[0].state is HoldState.SOLD
    ga, _, _ = service.hold(p, HoldCommand(quantity=2, pool="staan"), "alice")  # slot is free again
    service.sell(ga.id)
    assert service.seat_plan(p).pools_remaining == {"staan": 3}
    assert problem(service.release, hold.id, token).status == 422


def test_an_expired_hold_sells_if_nobody_took_its_seats_and_fails_if_someone_did(service, clock):
    p = new_performance()
    kept, _, _ = service.hold(p, HoldCommand(seats=["zaal-d-5"]), "alice")
    lost, _, _ = service.hold(p, HoldCommand(seats=["zaal-d-6"]), "bob")
    clock.advance(minutes=20)
    service.hold(p, HoldCommand(seats=["zaal-d-6"]), "carol")
    service.sell(kept.id)
    refused = problem(service.sell, lost.id)
    assert refused.status == 409 and refused.extra["unavailable"] == ["zaal-d-6"]


def test_free_held_sold_and_blocked_add_up_to_capacity(service):
    p = new_performance(pool_capacity=20, max_holds_per_client=10)
    service.block(p, ["zaal-a-1"], "house seat")
    sold, _, _ = service.hold(p, HoldCommand(seats=["zaal-b-1", "zaal-b-2"]), "alice")
    service.sell(sold.id)
    service.hold(p, HoldCommand(quantity=3), "alice")
    service.hold(p, HoldCommand(quantity=5, pool="staan"), "alice")
    plan = service.seat_plan(p)
    counts = {state: plan.count(state) for state in SeatState}
    assert counts == {
        SeatState.FREE: 44,
        SeatState.HELD: 3,
        SeatState.SOLD: 2,
        SeatState.BLOCKED: 1,
    }
    assert sum(counts.values()) + 20 == plan.seat_map.capacity
    assert plan.pools_remaining == {"staan": 15}


def test_a_pool_over_several_shards_fills_exactly_to_capacity(service):
    p = new_performance(pool_capacity=260, max_seats_per_hold=90, max_holds_per_client=50)
    # 260 places are 2 shards of 130: the last places can only be had by splitting a request
    for quantity in (90, 90, 70, 9):
        service.hold(p, HoldCommand(quantity=quantity, pool="staan"), "alice")
    assert service.seat_plan(p).pools_remaining == {"staan": 1}
    hold, _, _ = service.hold(p, HoldCommand(quantity=1, pool="staan"), "alice")
    assert service.seat_plan(p).pools_remaining == {"staan": 0}
    assert problem(service.hold, p, {"quantity": 1, "pool": "staan"}, "bob").status == 409
    service.sell(hold.id)
    assert service.seat_plan(p).pools_remaining == {"staan": 0}


def test_a_sold_hold_gives_back_some_seats_once_and_a_later_unsell_only_the_rest(service):
    p = new_performance()
    hold, _, _ = service.hold(p, HoldCommand(seats=["zaal-b-1", "zaal-b-2", "zaal-b-3"]), "alice")
    service.sell(hold.id)
    service.give_back(hold.id, ["zaal-b-2"], "o-exchange-1")
    service.give_back(hold.id, ["zaal-b-2"], "o-exchange-1")  # a retry: nothing more
    assert [states(service, p)[s] for s in ("zaal-b-1", "zaal-b-2", "zaal-b-3")] == [
        SeatState.SOLD,
        SeatState.FREE,
        SeatState.SOLD,
    ]
    other, _, _ = service.hold(p, HoldCommand(seats=["zaal-b-2"]), "bob")  # on sale again
    service.give_back(hold.id, ["zaal-b-2"], "o-exchange-1")  # still nothing: bob's now
    assert states(service, p)["zaal-b-2"] is SeatState.HELD
    with pytest.raises(ValueError):
        service.give_back(hold.id, ["zaal-b-2"], "o-exchange-2")  # not the hold's to give
    service.abandon(hold.id)  # the order cancelled: only what it kept
    assert states(service, p)["zaal-b-1"] is SeatState.FREE
    assert states(service, p)["zaal-b-2"] is SeatState.HELD  # bob keeps his
    service.give_back(hold.id, ["zaal-b-3"], "o-exchange-3")  # after a cancel: harmless
    assert service.store.get_hold(other.id).state is HoldState.ACTIVE


def test_a_sold_standing_hold_gives_back_some_places_to_its_shards_once(service):
    p = new_performance(pool_capacity=10)
    hold, _, _ = service.hold(p, HoldCommand(quantity=4, pool="staan"), "alice")
    service.sell(hold.id)
    assert service.seat_plan(p).pools_remaining == {"staan": 6}
    service.give_back(hold.id, ["ga:staan"], "o-exchange-1")
    service.give_back(hold.id, ["ga:staan"], "o-exchange-1")
    assert service.seat_plan(p).pools_remaining == {"staan": 7}
    service.give_back(hold.id, ["ga:staan", "ga:staan"], "o-exchange-2")
    assert service.seat_plan(p).pools_remaining == {"staan": 9}
    service.abandon(hold.id)
    service.abandon(hold.id)
    assert service.seat_plan(p).pools_remaining == {"staan": 10}  # never more than the pool
