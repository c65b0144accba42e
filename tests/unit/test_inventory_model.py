from datetime import timedelta

import pytest

from chalicelib.inventory.model import (
    GA_SHARD_SIZE,
    GaAllocation,
    Hold,
    HoldRules,
    HoldState,
    SeatClaim,
    SeatState,
    ShardState,
    plan_ga,
    shard_capacities,
)
from tests.factories import T0


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
