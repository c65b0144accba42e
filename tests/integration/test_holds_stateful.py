"""Holds as a state machine on AWS's DynamoDB Local: Hypothesis runs random sequences of hold,
release, sell, block and the clock moving on, and after every step the real table must agree
with a plain-Python model of who owns each seat and each standing place.

The machine works on 12 seats (rows C-D, 1-6) and a standing pool of 6 places, with three
buyers allowed 2 holds each, so that lost races, the client limit, expiry and take-overs of
expired holds come up in nearly every run. Each outcome is named with `event()`, so that
patching `event` with a counter shows how often each case came up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.errors import Problem
from chalicelib.core.ids import digest
from chalicelib.inventory.model import GaAllocation, HoldState, SeatState
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore, from_ms
from chalicelib.store import keys
from chalicelib.store.models import GaLeaseItem, GaShardItem, PodiumItem
from tests import factories as f
from tests.inventory_fixtures import new_performance

pytestmark = pytest.mark.usefixtures("dynamodb")

SEATS = tuple(f"zaal-{row}-{number}" for row in "cd" for number in range(1, 7))
SECTION = "zaal"
CLIENTS = ("alice", "bob", "carol")
POOL = "staan"
POOL_CAPACITY = 6
HOLD_MINUTES = 15
MAX_HOLDS_PER_CLIENT = 2
MAX_SEATS_PER_HOLD = 4
MAX_BLOCKED = 2


@dataclass(frozen=True)
class Claim:
    """What the model expects a seat's inventory item to say (no item: the seat is free)."""

    state: SeatState  # held | sold | blocked
    hold: str | None = None
    held_until: datetime | None = None

    def state_at(self, now: datetime) -> SeatState:
        if self.state is SeatState.HELD and self.held_until is not None and self.held_until <= now:
            return SeatState.FREE
        return self.state


@dataclass(frozen=True)
class ModelHold:
    id: str
    token: str
    client: str
    slot: int
    seats: tuple[str, ...]
    places: int  # standing places; a hold has seats or places, not both
    held_until: datetime
    state: HoldState  # as recorded: active, released or sold (expiry is derived)

    def live_at(self, now: datetime) -> bool:
        return self.state is HoldState.ACTIVE and self.held_until > now


@dataclass(frozen=True)
class Slot:
    hold: str
    held_until: datetime


@dataclass(frozen=True)
class Lease:
    places: int
    held_until: datetime


def problem_of(call: Callable[..., Any], *args: Any) -> Problem:
    try:
        call(*args)
    except Problem as problem:
        return problem
    raise AssertionError(f"{call.__name__}{args!r} succeeded; the model expected a problem")


class HoldsMachine(RuleBasedStateMachine):
    holds = Bundle("holds")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(f.T0)
        self.store = DynamoInventoryStore()
        self.service = InventoryService(self.store, DynamoCatalogueStore(), self.clock)
        self.performance = ""
        # the model
        self.claims: dict[str, Claim] = {}
        self.model_holds: dict[str, ModelHold] = {}
        self.slots: dict[str, dict[int, Slot]] = {client: {} for client in CLIENTS}
        self.leases: dict[str, Lease] = {}
        self.ga_taken = 0  # the shard counter: leased (expired ones until reclaimed) + sold
        self.ga_sold = 0

    @initialize()
    def open_a_performance(self) -> None:
        self.performance = new_performance(
            pool_capacity=POOL_CAPACITY,
            hold_minutes=HOLD_MINUTES,
            max_holds_per_client=MAX_HOLDS_PER_CLIENT,
            max_seats_per_hold=MAX_SEATS_PER_HOLD,
        )

    # --- the model's view -------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def seat_state(self, seat: str) -> SeatState:
        claim = self.claims.get(seat)
        return claim.state_at(self.now) if claim else SeatState.FREE

    def taken_seats(self, seats: tuple[str, ...]) -> list[str]:
        return sorted(s for s in seats if self.seat_state(s) is not SeatState.FREE)

    def live_holds(self) -> int:
        return sum(1 for hold in self.model_holds.values() if hold.live_at(self.now))

    def blocked_seats(self) -> int:
        return sum(1 for claim in self.claims.values() if claim.state is SeatState.BLOCKED)

    def free_slot(self, client: str) -> int | None:
        taken = self.slots[client]
        for slot in range(MAX_HOLDS_PER_CLIENT):
            if slot not in taken or taken[slot].held_until <= self.now:
                return slot
        return None

    def expired_places(self) -> int:
        return sum(lease.places for lease in self.leases.values() if lease.held_until <= self.now)

    def live_places(self) -> int:
        return sum(lease.places for lease in self.leases.values() if lease.held_until > self.now)

    def places_free(self) -> int:
        return POOL_CAPACITY - self.ga_taken + self.expired_places()

    def set_hold(self, hold: ModelHold, state: HoldState) -> None:
        self.model_holds[hold.id] = replace(hold, state=state)

    def free_own_slot(self, hold: ModelHold) -> None:
        slots = self.slots[hold.client]
        if hold.slot in slots and slots[hold.slot].hold == hold.id:
            del slots[hold.slot]

    def check_record(self, hold_id: str) -> None:
        model = self.model_holds[hold_id]
        stored = self.store.get_hold(hold_id)
        assert stored is not None, hold_id
        assert (stored.state, stored.held_until, stored.seats, stored.client_slot) == (
            model.state,
            model.held_until,
            model.seats,
            model.slot,
        )
        assert sum(a.quantity for a in stored.ga) == model.places

    # --- holding ----------------------------------------------------------------------------

    def attempt_hold(self, body: dict[str, Any], client: str) -> Any:
        """Hold what the model says can be held; check the outcome it predicts."""
        slot = self.free_slot(client)
        if slot is None:
            refused = problem_of(
                self.service.hold, self.performance, HoldCommand.model_validate(body), client
            )
            assert refused.status == 422, refused
            assert refused.extra["limit"] == "max_holds_per_client"
            event("hold: 422 client limit")
            return multiple()

        if "seats" in body:
            seats = tuple(body["seats"])
            places = 0
            taken = self.taken_seats(seats)
            if taken:
                lost = problem_of(
                    self.service.hold, self.performance, HoldCommand.model_validate(body), client
                )
                assert lost.status == 409, lost
                assert lost.extra["unavailable"] == taken
                event("hold seats: 409")
                return multiple()
        else:
            seats = ()
            places = body["quantity"]
            free = self.places_free()
            if POOL_CAPACITY - self.ga_taken < places and self.expired_places():
                # the service gives expired leases back when the counter alone would refuse
                for hold_id, lease in list(self.leases.items()):
                    if lease.held_until <= self.now:
                        del self.leases[hold_id]
                        self.ga_taken -= lease.places
                        event("hold places: expired lease reclaimed")
            if free < places:
                lost = problem_of(
                    self.service.hold, self.performance, HoldCommand.model_validate(body), client
                )
                assert lost.status == 409, lost
                assert lost.extra["unavailable"] == []
                event("hold places: 409")
                return multiple()

        if any(seat in self.claims for seat in seats):
            event("hold seats: took over an expired hold")
        event(f"hold {'seats' if seats else 'places'}: ok")
        hold, token, _ = self.service.hold(
            self.performance, HoldCommand.model_validate(body), client
        )
        until = self.now + timedelta(minutes=HOLD_MINUTES)
        assert hold.seats == seats
        assert hold.ga == ((GaAllocation(POOL, 0, places),) if places else ())
        assert (hold.state, hold.held_until, hold.client_slot) == (HoldState.ACTIVE, until, slot)
        assert hold.id not in self.model_holds
        self.model_holds[hold.id] = ModelHold(
            hold.id, token, client, slot, seats, places, until, HoldState.ACTIVE
        )
        self.slots[client][slot] = Slot(hold.id, until)
        for seat in seats:
            self.claims[seat] = Claim(SeatState.HELD, hold.id, until)
        if places:
            self.leases[hold.id] = Lease(places, until)
            self.ga_taken += places
        return hold.id

    @rule(
        target=holds,
        seats=st.lists(
            st.sampled_from(SEATS), min_size=1, max_size=MAX_SEATS_PER_HOLD, unique=True
        ),
        client=st.sampled_from(CLIENTS),
    )
    def hold_seats(self, seats: list[str], client: str) -> Any:
        return self.attempt_hold({"seats": seats}, client)

    @rule(target=holds, earlier=holds, client=st.sampled_from(CLIENTS))
    def hold_the_seats_of_an_earlier_hold(self, earlier: str, client: str) -> Any:
        """Aimed at take-overs: an expired hold's seats must be holdable again."""
        seats = self.model_holds[earlier].seats
        if not seats:
            return multiple()
        return self.attempt_hold({"seats": list(seats)}, client)

    @rule(target=holds, quantity=st.integers(1, 3), client=st.sampled_from(CLIENTS))
    def hold_places(self, quantity: int, client: str) -> Any:
        return self.attempt_hold({"quantity": quantity, "pool": POOL}, client)

    # --- the hold's life cycle --------------------------------------------------------------

    @rule(hold_id=holds)
    def release(self, hold_id: str) -> None:
        hold = self.model_holds[hold_id]
        if hold.state is HoldState.SOLD:
            refused = problem_of(self.service.release, hold_id, hold.token)
            assert refused.status == 422, refused
        else:
            self.service.release(hold_id, hold.token)
            live, again = hold.live_at(self.now), hold.state is HoldState.RELEASED
            event(f"release: {'again' if again else 'live' if live else 'expired'}")
            if hold.live_at(self.now):
                for seat in hold.seats:
                    assert self.claims[seat] == Claim(SeatState.HELD, hold.id, hold.held_until)
                    del self.claims[seat]
                if hold.places:
                    del self.leases[hold.id]
                    self.ga_taken -= hold.places
                assert self.slots[hold.client][hold.slot].hold == hold.id
                del self.slots[hold.client][hold.slot]
            # released when already expired: only the record changes; its seats, lease and
            # slot read as free and stay until someone takes them or they are reclaimed
            self.set_hold(hold, HoldState.RELEASED)
        self.check_record(hold_id)

    @rule(hold_id=holds)
    def release_with_a_wrong_token(self, hold_id: str) -> None:
        refused = problem_of(self.service.release, hold_id, "not-the-token")
        assert refused.status == 404, refused

    @precondition(lambda self: self.live_holds() > 0)  # else time changes nothing
    @rule(minutes=st.just(HOLD_MINUTES) | st.integers(1, 20))  # exactly at expiry, often
    def expire(self, minutes: int) -> None:
        """Time passes; holds whose time ran out read as free from now on."""
        self.clock.advance(minutes=minutes)
        event(f"expire: {self.live_holds()} live after")

    @rule(hold_id=holds)
    def sell(self, hold_id: str) -> None:
        hold = self.model_holds[hold_id]
        lost = sorted(
            seat
            for seat in hold.seats
            if self.claims.get(seat) != Claim(SeatState.HELD, hold.id, hold.held_until)
        )
        lease_kept = not hold.places or hold.id in self.leases
        if hold.state is HoldState.SOLD:
            # Selling again is a retried checkout step: it answers the sale, changes nothing.
            event("sell: again, already sold")
            assert self.service.sell(hold_id).state is HoldState.SOLD
        elif hold.state is HoldState.ACTIVE and not lost and lease_kept:
            event(f"sell: ok, {'live' if hold.live_at(self.now) else 'expired'}")
            sold = self.service.sell(hold_id)
            assert sold.state is HoldState.SOLD
            for seat in hold.seats:
                self.claims[seat] = Claim(SeatState.SOLD, hold.id)
            if hold.places:
                del self.leases[hold.id]
                self.ga_sold += hold.places
            self.free_own_slot(hold)
            self.set_hold(hold, HoldState.SOLD)
        else:
            refused = problem_of(self.service.sell, hold_id)
            event(f"sell: 409, {'seats lost' if lost else hold.state.value}")
            assert refused.status == 409, refused
            assert refused.extra["unavailable"] == lost
        self.check_record(hold_id)

    @precondition(lambda self: self.blocked_seats() < MAX_BLOCKED)
    @rule(seats=st.lists(st.sampled_from(SEATS), min_size=1, max_size=2, unique=True))
    def block(self, seats: list[str]) -> None:
        """Staff take seats out of sale; only a few, or the machine runs out of seats."""
        taken = self.taken_seats(tuple(seats))
        if taken:
            refused = problem_of(self.service.block, self.performance, seats, "technical")
            assert refused.status == 409, refused
            assert refused.extra["unavailable"] == taken
            event("block: 409")
        else:
            event("block: ok")
            self.service.block(self.performance, seats, "technical")
            for seat in seats:
                self.claims[seat] = Claim(SeatState.BLOCKED)

    # --- after every step -------------------------------------------------------------------

    @invariant()
    def the_seat_plan_shows_the_model(self) -> None:
        plan = self.service.seat_plan(self.performance)
        expected = {seat.id: self.seat_state(seat.id) for seat in plan.seat_map.seats}
        assert plan.states.keys() == expected.keys()
        wrong = {
            s: (plan.states[s], expected[s]) for s in expected if plan.states[s] != expected[s]
        }
        assert not wrong, f"seat: (plan, model) at {self.now:%H:%M}: {wrong}"
        counts = {state: plan.count(state) for state in SeatState}
        assert sum(counts.values()) == len(plan.seat_map.seats) == 50
        assert sum(counts.values()) + POOL_CAPACITY == plan.seat_map.capacity
        assert counts[SeatState.FREE] >= 50 - len(SEATS)
        held = sum(len(h.seats) for h in self.model_holds.values() if h.live_at(self.now))
        sold = sum(len(h.seats) for h in self.model_holds.values() if h.state is HoldState.SOLD)
        assert (counts[SeatState.HELD], counts[SeatState.SOLD]) == (held, sold)
        assert plan.pools_remaining == {POOL: self.places_free()}
        assert plan.pools_remaining[POOL] + self.live_places() + self.ga_sold == POOL_CAPACITY

    @invariant()
    def every_seat_has_the_one_owner_the_model_says(self) -> None:
        stored = self.store.seat_claims(self.performance, [SECTION])
        as_stored = {
            seat: Claim(
                claim.state,
                claim.hold,
                claim.held_until if claim.state is SeatState.HELD else None,
            )
            for seat, claim in stored.items()
        }
        wrong = {
            seat: (as_stored.get(seat), self.claims.get(seat))
            for seat in as_stored.keys() | self.claims.keys()
            if as_stored.get(seat) != self.claims.get(seat)
        }
        assert not wrong, f"seat: (stored, model) at {self.now:%H:%M}: {wrong}"
        # every live hold still has each of its seats, every sold hold has its seats sold:
        # two holds can never both own a seat
        for hold in self.model_holds.values():
            if hold.live_at(self.now):
                owned = Claim(SeatState.HELD, hold.id, hold.held_until)
            elif hold.state is HoldState.SOLD:
                owned = Claim(SeatState.SOLD, hold.id)
            else:
                continue
            assert all(as_stored.get(seat) == owned for seat in hold.seats), hold

    @invariant()
    def the_pool_counter_and_leases_match_the_model(self) -> None:
        taken = sold = 0
        leases: dict[str, Lease] = {}
        for item in PodiumItem.query(keys.ga_pk(self.performance, POOL, 0), consistent_read=True):
            if isinstance(item, GaShardItem):
                taken, sold = int(item.taken), int(item.sold)
            elif isinstance(item, GaLeaseItem):
                leases[item.hold] = Lease(int(item.quantity), from_ms(item.held_until))
        assert (taken, sold, leases) == (self.ga_taken, self.ga_sold, self.leases)

    @invariant()
    def client_slots_match_the_model(self) -> None:
        for client in CLIENTS:
            stored = self.store.client_slots(self.performance, digest(client))
            expected = {slot: s.held_until for slot, s in self.slots[client].items()}
            assert stored == expected, client

    def teardown(self) -> None:
        if self.performance:
            for hold_id in self.model_holds:
                self.check_record(hold_id)


def test_holds_agree_with_a_model_of_seat_ownership(dynamodb: None) -> None:
    run_state_machine_as_test(
        HoldsMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
