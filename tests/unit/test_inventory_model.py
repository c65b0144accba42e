from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.catalogue.model import PerformanceStatus
from chalicelib.core.errors import Problem
from chalicelib.inventory.model import (
    GA_SHARD_SIZE,
    MAX_SEATS_PER_TRANSACTION,
    MAX_TRANSACTION_ITEMS,
    STAFF_MAX_SEATS_PER_HOLD,
    GaAllocation,
    Hold,
    HoldRules,
    HoldState,
    SeatClaim,
    SeatState,
    ShardState,
    StaffRefusal,
    plan_ga,
    shard_capacities,
    staff_refusal,
    staff_rules,
    transaction_items,
)
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import request_of
from tests import factories as f
from tests.factories import T0
from tests.inventory_fixtures import studio_map


def test_shards_split_a_pool_evenly_and_never_exceed_the_shard_size():
    assert shard_capacities(10) == [10]
    assert shard_capacities(GA_SHARD_SIZE) == [GA_SHARD_SIZE]
    assert shard_capacities(260) == [130, 130]
    assert shard_capacities(20_000) == [250] * 80
    for capacity in (1, 251, 999, 20_001):
        shards = shard_capacities(capacity)
        assert sum(shards) == capacity and max(shards) <= GA_SHARD_SIZE
        assert max(shards) - min(shards) <= 1


def test_ga_plan_prefers_one_shard_from_the_start_then_the_fewest_shards():
    shards = [ShardState(0, 10, 8), ShardState(1, 10, 5), ShardState(2, 10, 0)]
    assert plan_ga("p", 3, shards, start=1) == [GaAllocation("p", 1, 3)]
    assert plan_ga("p", 3, shards, start=0) == [GaAllocation("p", 1, 3)]
    assert plan_ga("p", 10, shards, start=0) == [GaAllocation("p", 2, 10)]
    split = plan_ga("p", 14, shards, start=0)
    assert split == [GaAllocation("p", 2, 10), GaAllocation("p", 1, 4)]
    assert plan_ga("p", 18, shards, start=0) is None
    # places of expired leases count as free
    assert plan_ga("p", 4, [ShardState(0, 10, 10, expired=4)], 0) == [GaAllocation("p", 0, 4)]


def test_an_expired_claim_reads_as_free():
    claim = SeatClaim("a-1", SeatState.HELD, "h-1", held_until=T0)
    assert claim.state_at(T0 - timedelta(seconds=1)) is SeatState.HELD
    assert claim.state_at(T0) is SeatState.FREE
    assert SeatClaim("a-1", SeatState.SOLD).state_at(T0) is SeatState.SOLD


def test_hold_state_and_rules():
    hold = Hold(
        id="h-1",
        performance="p",
        house="h",
        client="c",
        seats=("a-1", "a-2"),
        ga=(GaAllocation("staan", 0, 3),),
        client_slot=0,
        created_at=T0,
        held_until=T0 + timedelta(minutes=15),
        token_digest="x",
    )
    assert hold.quantity == 5
    assert hold.state_at(T0) is HoldState.ACTIVE
    assert hold.state_at(T0 + timedelta(minutes=15)) is HoldState.EXPIRED
    assert HoldRules().expiry(T0) == T0 + timedelta(minutes=15)
    with pytest.raises(ValueError):
        HoldRules(max_seats_per_hold=200)  # more than one transaction can carry


# --- the box office's rules ------------------------------------------------------------------


def test_staff_hold_as_many_seats_as_one_transaction_carries_and_the_webshop_far_fewer():
    assert transaction_items(STAFF_MAX_SEATS_PER_HOLD, 0) == MAX_TRANSACTION_ITEMS
    assert transaction_items(0, 3, identity_slots=4) == 12  # 2 a shard, + hold and slot
    staff = staff_rules(15)
    assert staff.max_seats_per_hold == STAFF_MAX_SEATS_PER_HOLD == 98 and staff.staff
    assert HoldRules(max_seats_per_hold=MAX_SEATS_PER_TRANSACTION).max_seats_per_hold == 90
    with pytest.raises(ValueError):
        HoldRules(max_seats_per_hold=91)  # a webshop hold leaves room for identity slots
    with pytest.raises(ValueError):
        HoldRules(max_seats_per_hold=99, staff=True)


def test_the_limit_per_hold_is_said_with_its_reason():
    seat_map = studio_map("m", "h")
    thirty = [s.id for s in seat_map.seats[:30]]
    staff = request_of(HoldCommand(seats=thirty), seat_map, staff_rules(15))
    assert len(staff.seats) == 30  # type: ignore[union-attr]
    with pytest.raises(Problem) as public:
        request_of(HoldCommand(seats=thirty), seat_map, HoldRules())
    assert (public.value.code, public.value.extra["max"]) == ("max_seats_per_hold", 10)
    with pytest.raises(Problem) as raised:
        request_of(HoldCommand(quantity=99), seat_map, staff_rules(15))
    problem = raised.value
    assert (problem.status, problem.code, problem.extra["max"]) == (422, "max_seats_per_hold", 98)
    assert problem.extra["transaction_items"] == 100
    assert "100 items" in problem.to_dict("en")["detail"]


@pytest.mark.parametrize(
    ("changes", "at", "refusal"),
    [
        ({}, T0, None),
        ({"sales_opens_at": T0 + timedelta(days=1)}, T0, None),  # before the public opening
        ({}, T0 + timedelta(days=3, minutes=10), None),  # after the public close, before the end
        ({"status": PerformanceStatus.SOLD_OUT}, T0, None),
        ({}, T0 + timedelta(days=4), StaffRefusal.ENDED),
        ({"status": PerformanceStatus.CANCELLED}, T0, StaffRefusal.CANCELLED),
        ({"status": PerformanceStatus.DRAFT}, T0, StaffRefusal.DRAFT),
    ],
)
def test_the_box_office_holds_until_the_end_but_not_on_drafts_or_cancelled_ones(
    changes, at, refusal
):
    performance = replace(f.performance(), **changes)  # starts T0 + 3 days, 2 hours long
    assert staff_refusal(performance, at) is refusal


def test_a_ga_plan_stays_within_the_shards_a_transaction_has_left():
    shards = [ShardState(n, 10, 9) for n in range(5)]  # one place left in each
    assert len(plan_ga("p", 5, shards, 0) or []) == 5
    assert plan_ga("p", 5, shards, 0, max_shards=4) is None
    assert len(plan_ga("p", 4, shards, 0, max_shards=4) or []) == 4


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"seats": ["zaal-a-1"], "quantity": 1}, ["seats"]),
        ({"seats": ["zaal-a-1"], "pool": "staan"}, ["seats"]),
        ({}, ["quantity"]),
        ({"zone": "zone-1"}, ["quantity"]),
        ({"quantity": 2, "zone": "zone-1", "pool": "staan"}, ["zone"]),
        ({"quantity": True}, ["quantity"]),
        ({"quantity": "2"}, ["quantity"]),
        ({"seats": []}, ["seats"]),
        ({"seats": ["zaal-a-1", 7]}, ["seats[1]"]),
        ({"quantity": 1, "colour": "red"}, ["colour"]),
        ([1, 2], ["body"]),
    ],
)
def test_a_hold_command_names_the_field_to_fix(body, fields):
    from chalicelib.core.edge import parse

    with pytest.raises(Problem) as raised:
        parse(HoldCommand, body)
    assert [e.field for e in raised.value.errors] == fields
    assert all(e.expected for e in raised.value.errors)
