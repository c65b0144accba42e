"""Inventory use cases: the seat plan of a performance, holds and their life cycle."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.catalogue.model import Hall, PerformanceDetail, SalesState
from chalicelib.core.clock import Clock
from chalicelib.core.errors import FieldError, Problem, invalid, not_found
from chalicelib.core.ids import digest, is_id_of, matches, new_id, new_secret
from chalicelib.inventory.best import best_available
from chalicelib.inventory.gate import AdmissionGate, OnSaleLimits
from chalicelib.inventory.model import (
    MAX_TRANSACTION_ITEMS,
    BestAvailableRequest,
    GaAllocation,
    Hold,
    HoldRequest,
    HoldRules,
    HoldState,
    IdentityClaim,
    PoolRequest,
    SeatClaim,
    SeatsRequest,
    SeatState,
    ShardState,
    SlotSeen,
    Unavailable,
    identity_claim,
    live_claims,
    plan_ga,
    quantity_of,
    shard_capacities,
    staff_refusal,
    staff_rules,
    to_unblock,
    transaction_items,
)
from chalicelib.inventory.problems import (
    hold_expired,
    hold_extended,
    hold_sold,
    identity_busy,
    max_holds_per_client,
    max_seats_per_hold,
    no_seat_map,
    not_holdable,
    not_on_sale,
    seats_gone,
    seats_lost_before_sale,
    seats_not_blockable,
    seats_not_unblockable,
    seats_taken,
)
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.store.keys import is_valid_id

ATTEMPTS = 3  # a lost race on best available or general admission is retried on fresh state


class CatalogueReader(Protocol):
    def find_performance(self, performance_id: str) -> PerformanceDetail | None: ...


class InventoryStore(Protocol):
    def get_seat_map(self, house: str, seat_map_id: str) -> SeatMap | None: ...
    def seat_claims(self, performance: str, sections: list[str]) -> dict[str, SeatClaim]: ...
    def ga_shards(
        self, performance: str, pool: str, capacities: list[int], now: datetime
    ) -> list[ShardState]: ...
    def expired_leases(
        self, performance: str, pool: str, shard: int, now: datetime
    ) -> list[tuple[str, int]]: ...
    def reclaim_lease(
        self, performance: str, pool: str, shard: int, hold_id: str, quantity: int, now: datetime
    ) -> bool: ...
    def client_slots(self, performance: str, client: str) -> dict[int, datetime]: ...
    def identity_slots(self, performance: str, identity: str) -> dict[int, SlotSeen]: ...
    def get_hold(self, hold_id: str) -> Hold | None: ...
    def create_hold(
        self,
        hold: Hold,
        section_of: Mapping[str, str],
        shard_capacity: Mapping[tuple[str, int], int],
        now: datetime,
        identities: Sequence[IdentityClaim] = (),
    ) -> None: ...
    def release_hold(self, hold: Hold, section_of: Mapping[str, str]) -> None: ...
    def close_hold(self, hold: Hold, state: HoldState) -> bool: ...
    def sell_hold(self, hold: Hold, section_of: Mapping[str, str]) -> None: ...
    def unsell_hold(self, hold: Hold, section_of: Mapping[str, str]) -> None: ...
    def give_back(
        self,
        hold: Hold,
        seats: Sequence[str],
        ga: Sequence[GaAllocation],
        section_of: Mapping[str, str],
        key: str,
    ) -> bool: ...
    def extend_hold(
        self, hold: Hold, section_of: Mapping[str, str], until: datetime, now: datetime
    ) -> None: ...
    def block_seats(
        self,
        performance: str,
        house: str,
        section_of: Mapping[str, str],
        reason: str,
        now: datetime,
    ) -> None: ...
    def unblock_seats(self, performance: str, section_of: Mapping[str, str]) -> None: ...
    def orders_of_holds(self, hold_ids: Sequence[str]) -> dict[str, str]: ...


@dataclass(frozen=True)
class SeatPlan:
    """A performance's map with each seat's state now and what each pool has left."""

    detail: PerformanceDetail
    seat_map: SeatMap
    states: dict[str, SeatState]  # every seat of the map
    pools_remaining: dict[str, int]
    waiting_room: str | None = None  # holds need its admission now

    def count(self, state: SeatState) -> int:
        return sum(1 for s in self.states.values() if s is state)


@dataclass(frozen=True)
class HoldGrant:
    """What a hold may take, decided before its request is read."""

    detail: PerformanceDetail
    seat_map: SeatMap
    rules: HoldRules
    client: str  # digest of the client identity
    limits: OnSaleLimits | None  # during an on-sale: the identities' limits
    now: datetime


@dataclass(frozen=True)
class StaffSeatPlan:
    """The seat plan as staff see it: who has each seat that is not free, and why."""

    plan: SeatPlan
    claims: dict[str, SeatClaim]  # live ones only: a hold past its expiry reads as free
    orders: dict[str, str]  # hold id → the order placed on it (paying, or sold)
    pools: dict[str, list[ShardState]]  # each standing pool's shards as read


def rules_of(detail: PerformanceDetail) -> HoldRules:
    p = detail.performance
    return HoldRules(
        hold_minutes=p.hold_minutes,
        max_seats_per_hold=p.max_seats_per_hold,
        max_holds_per_client=p.max_holds_per_client,
    )


class InventoryService:
    def __init__(
        self,
        store: InventoryStore,
        catalogue: CatalogueReader,
        clock: Clock,
        rng: random.Random | None = None,
        gate: AdmissionGate | None = None,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.clock = clock
        self.gate = gate  # None: holds are never gated (the availability job, tests)
        self.rng = rng or random.Random()

    # --- reading --------------------------------------------------------------------------

    def context(self, performance_id: str) -> tuple[PerformanceDetail, SeatMap]:
        detail = is_valid_id(performance_id) and self.catalogue.find_performance(performance_id)
        if not detail:
            raise not_found("performance", performance_id)
        seat_map = self.seat_map_of(detail.hall)
        if not seat_map:
            raise no_seat_map(performance_id)
        return detail, seat_map

    def seat_map_of(self, hall: Hall) -> SeatMap | None:
        return self.store.get_seat_map(hall.house, hall.seat_map) if hall.seat_map else None

    def seat_plan(self, performance_id: str) -> SeatPlan:
        detail, seat_map = self.context(performance_id)
        states, pools = self.seat_states(performance_id, seat_map)
        room = self.gate.room(performance_id, self.clock.now()) if self.gate else None
        return SeatPlan(detail, seat_map, states, pools, room)

    def seat_states(
        self, performance_id: str, seat_map: SeatMap
    ) -> tuple[dict[str, SeatState], dict[str, int]]:
        """Every seat's state now (a hold past its expiry reads as free) and what each pool
        has left: the counting behind a seat plan, for a caller that already has the map and
        needs no performance page (the availability snapshot)."""
        now = self.clock.now()
        claims = live_claims(self._claims(performance_id, seat_map), now)
        shards = self._pools(performance_id, seat_map, now)
        return _states(seat_map, claims), {p: sum(s.free for s in ss) for p, ss in shards.items()}

    def staff_seat_plan(self, performance_id: str) -> StaffSeatPlan:
        """Every seat's real state for the box office and house admins: held (until when, by
        which hold, and its order once a checkout is paying), sold (its order), blocked (why,
        since when); read like the public plan, with expiry part of the read."""
        detail, seat_map = self.context(performance_id)
        now = self.clock.now()
        claims = live_claims(self._claims(performance_id, seat_map), now)
        shards = self._pools(performance_id, seat_map, now)
        remaining = {pool: sum(s.free for s in states) for pool, states in shards.items()}
        room = self.gate.room(performance_id, now) if self.gate else None
        plan = SeatPlan(detail, seat_map, _states(seat_map, claims), remaining, room)
        orders = self.store.orders_of_holds(sorted({c.hold for c in claims.values() if c.hold}))
        return StaffSeatPlan(plan, claims, orders, shards)

    # --- holds ----------------------------------------------------------------------------

    def hold(
        self,
        performance_id: str,
        command: HoldCommand,
        client_identity: str,
        admission_token: str | None = None,
    ) -> tuple[Hold, str, SeatMap]:
        """Take seats or places for a while. Returns the hold, its secret token and the map.
        While a waiting room is active for the performance, its gate wants an admission token
        of this client, and the identity limits travel inside the hold's transaction."""
        return self.take(self.grant(performance_id, client_identity, admission_token), command)

    def grant(
        self, performance_id: str, client_identity: str, admission_token: str | None = None
    ) -> HoldGrant:
        """Whether this client may hold seats of the performance now, before its request is
        read: an unknown performance is a 404, one not on sale a 422, a gated one without
        this client's admission a 401/403, whatever the request says."""
        detail, seat_map = self.context(performance_id)
        now = self.clock.now()
        state = detail.performance.sales_state(now)
        if state is not SalesState.ON_SALE:
            raise not_on_sale(state)
        client = digest(client_identity)
        limits = (
            self.gate.limits(performance_id, admission_token, client, now) if self.gate else None
        )
        return HoldGrant(detail, seat_map, rules_of(detail), client, limits, now)

    def staff_hold(
        self, detail: PerformanceDetail, command: HoldCommand
    ) -> tuple[Hold, str, SeatMap]:
        """The box office takes seats for a buyer at the desk (see staff_grant). The caller
        found `detail` among its own houses' performances."""
        return self.take(self.staff_grant(detail), command)

    def staff_grant(self, detail: PerformanceDetail) -> HoldGrant:
        """What the box office may hold, under staff rules: until the performance ends (before
        the public opening, after the public close, during a waiting room, without its
        admission), no limit per client, and up to what one transaction carries. The same
        conditional transaction as any hold: a seat held or sold by anyone is a 409."""
        seat_map = self.seat_map_of(detail.hall)
        if not seat_map:
            raise no_seat_map(detail.performance.id)
        now = self.clock.now()
        refusal = staff_refusal(detail.performance, now)
        if refusal is not None:
            raise not_holdable(refusal.value)
        rules = staff_rules(detail.performance.hold_minutes)
        # Each staff hold is a client of its own: it never waits for a free client slot.
        client = digest(f"staff:{new_secret()}")
        return HoldGrant(detail, seat_map, rules, client, None, now)

    def take(self, grant: HoldGrant, command: HoldCommand) -> tuple[Hold, str, SeatMap]:
        """A hold under the grant's rules: the one conditional transaction every hold is."""
        detail, seat_map, rules, client, limits, now = (
            grant.detail,
            grant.seat_map,
            grant.rules,
            grant.client,
            grant.limits,
            grant.now,
        )
        performance_id = detail.performance.id
        request = request_of(command, seat_map, rules)
        token = new_secret()
        section_of = {seat.id: seat.section for seat in seat_map.seats}
        lost: Unavailable | None = None
        # During an on-sale one identity's concurrent holds make each other read again.
        for attempt in range(ATTEMPTS if limits is None else 2 * ATTEMPTS):
            slot = 0 if rules.staff else self._free_slot(performance_id, client, rules, now)
            identities = self._identity_claims(performance_id, limits, quantity_of(request), now)
            # What the transaction has left for standing places, two items per shard.
            spare = MAX_TRANSACTION_ITEMS - transaction_items(
                0, 0, sum(len(c.seen) for c in identities)
            )
            seats, ga = self._choose(
                request, detail, seat_map, now, optimistic=attempt == 0, max_shards=spare // 2
            )
            hold = Hold(
                id=new_id("h"),
                performance=performance_id,
                house=detail.performance.house,
                client=client,
                seats=seats,
                ga=ga,
                client_slot=slot,
                created_at=now,
                held_until=rules.expiry(now),
                token_digest=digest(token),
                identity_slots=tuple((c.identity, c.slot) for c in identities),
            )
            capacities = {
                (pool.id, shard): capacity
                for pool in seat_map.pools
                for shard, capacity in enumerate(shard_capacities(pool.capacity))
            }
            try:
                self.store.create_hold(hold, section_of, capacities, now, identities)
                return hold, token, seat_map
            except Unavailable as error:
                lost = error
                if isinstance(request, SeatsRequest) and error.seats:
                    break  # the buyer chose these seats: say which are gone
        assert lost is not None
        if lost.client_slot and not lost.seats and not lost.pools:
            raise max_holds_per_client(rules.max_holds_per_client)
        if lost.identity and not lost.seats and not lost.pools:
            self._identity_claims(performance_id, limits, quantity_of(request), now)
            raise identity_busy()  # under its limits, but it kept losing to itself
        raise _lost(request, lost.seats or [])

    def get_hold(self, hold_id: str, token: str | None) -> tuple[Hold, SeatMap]:
        hold = self._own_hold(hold_id, token)
        _, seat_map = self.context(hold.performance)
        return hold, seat_map

    def release(self, hold_id: str, token: str | None) -> None:
        self._release(self._own_hold(hold_id, token))

    def abandon(self, hold_id: str) -> None:
        """Give a hold's seats back on the system's behalf: a checkout that ended without
        payment, or a refunded one (then even sold seats go back on sale). Harmless if the
        hold is already released, expired or gone."""
        hold = self.store.get_hold(hold_id)
        if hold is None:
            return
        if hold.state is HoldState.SOLD:
            _, seat_map = self.context(hold.performance)
            for _ in range(3):  # a few places given back meanwhile (an exchange): read again
                try:
                    self.store.unsell_hold(hold, _sections(seat_map))
                    return
                except Unavailable:
                    again = self.store.get_hold(hold_id)
                    if again is None or again.released == hold.released:
                        return  # already given back by an earlier try
                    hold = again
            return
        self._release(hold)

    def give_back(self, hold_id: str, places: Sequence[str], key: str) -> None:
        """Some places of a sold hold back on sale (a seat id, or "ga:<pool>" per standing
        place): the tickets of an exchange. Once per key, safe to repeat; harmless if the
        whole hold was given back already."""
        hold = self.store.get_hold(hold_id)
        if hold is None or hold.state is not HoldState.SOLD or key in hold.released:
            return
        seats, ga = hold.to_give_back(places)
        _, seat_map = self.context(hold.performance)
        self.store.give_back(hold, seats, ga, _sections(seat_map), key)

    def _release(self, hold: Hold) -> None:
        state = hold.state_at(self.clock.now())
        if state is HoldState.SOLD:
            raise hold_sold()
        if state is not HoldState.ACTIVE:
            self.store.close_hold(hold, HoldState.RELEASED)
            return
        _, seat_map = self.context(hold.performance)
        try:
            self.store.release_hold(hold, _sections(seat_map))
        except Unavailable:
            # It expired while we released it, and someone took a seat: what is left of it
            # is already free; only the record needs closing.
            self.store.close_hold(hold, HoldState.RELEASED)

    def extend(self, hold_id: str, token: str | None) -> Hold:
        """Once, when checkout starts: the hold then covers the payment."""
        hold = self._own_hold(hold_id, token)
        now = self.clock.now()
        if hold.extended:
            raise hold_extended()
        if hold.state_at(now) is not HoldState.ACTIVE:
            raise hold_expired()
        detail, seat_map = self.context(hold.performance)
        until = max(hold.held_until, now + timedelta(minutes=rules_of(detail).checkout_minutes))
        try:
            self.store.extend_hold(hold, _sections(seat_map), until, now)
        except Unavailable as error:
            raise hold_expired() from error
        return self.store.get_hold(hold.id) or hold

    def sell(self, hold_id: str) -> Hold:
        """Held → sold (the checkout calls this once payment is in). Raises a 409 problem if
        any seat was lost to someone else after the hold expired."""
        hold = self.store.get_hold(hold_id)
        if hold is None:
            raise not_found("hold", hold_id)
        if hold.state is HoldState.SOLD:
            return hold  # a retried step: already done
        _, seat_map = self.context(hold.performance)
        try:
            self.store.sell_hold(hold, _sections(seat_map))
        except Unavailable as error:
            raise seats_lost_before_sale(error.seats) from error
        return self.store.get_hold(hold_id) or hold

    def block(self, performance_id: str, seat_ids: list[str], reason: str) -> None:
        detail, seat_map = self.context(performance_id)
        _known(seat_map, seat_ids)
        section_of = {s: seat_map.known_seat(s).section for s in seat_ids}
        try:
            self.store.block_seats(
                performance_id, detail.performance.house, section_of, reason, self.clock.now()
            )
        except Unavailable as error:
            raise seats_not_blockable(error.seats) from error

    def unblock(self, performance_id: str, seat_ids: Sequence[str]) -> None:
        """Blocked seats back on sale, all or none: a seat a buyer holds or bought is a 409
        naming it and nothing is written; a seat already free is left as it is (asking again
        changes nothing). The write is conditional on each seat still being blocked."""
        _, seat_map = self.context(performance_id)
        _known(seat_map, seat_ids)
        section_of = _sections(seat_map)
        for _ in range(ATTEMPTS):
            claims = self._claims(performance_id, seat_map)
            blocked, taken = to_unblock(seat_ids, claims, self.clock.now())
            if taken:
                raise seats_not_unblockable(taken)
            if not blocked:
                return
            try:
                self.store.unblock_seats(performance_id, {s: section_of[s] for s in blocked})
                return
            except Unavailable:
                continue  # one changed since the read (another unblock, then a hold): again
        raise seats_not_unblockable(blocked)

    # --- internals ------------------------------------------------------------------------

    def _own_hold(self, hold_id: str, token: str | None) -> Hold:
        """Only the holder sees a hold: a wrong token is answered like an unknown id."""
        hold = is_id_of("h", hold_id) and self.store.get_hold(hold_id)
        if not hold or not matches(token, hold.token_digest):
            raise not_found("hold", hold_id)
        return hold

    def _claims(self, performance_id: str, seat_map: SeatMap) -> dict[str, SeatClaim]:
        sections = [section.id for section in seat_map.sections]
        return self.store.seat_claims(performance_id, sections) if seat_map.seats else {}

    def _pools(
        self, performance_id: str, seat_map: SeatMap, now: datetime
    ) -> dict[str, list[ShardState]]:
        return {p.id: self._shards(performance_id, p.id, seat_map, now) for p in seat_map.pools}

    def _shards(
        self, performance_id: str, pool: str, seat_map: SeatMap, now: datetime
    ) -> list[ShardState]:
        capacity = seat_map.known_pool(pool).capacity
        return self.store.ga_shards(performance_id, pool, shard_capacities(capacity), now)

    def _identity_claims(
        self, performance_id: str, limits: OnSaleLimits | None, quantity: int, now: datetime
    ) -> tuple[IdentityClaim, ...]:
        """The slot each identity's limits let this hold take (raises the limit it breaks)."""
        if limits is None:
            return ()
        return tuple(
            identity_claim(
                identity,
                self.store.identity_slots(performance_id, identity),
                quantity,
                limits.max_holds,
                limits.max_seats,
                now,
            )
            for identity in limits.identities
        )

    def _free_slot(self, performance_id: str, client: str, rules: HoldRules, now: datetime) -> int:
        taken = self.store.client_slots(performance_id, client)
        for slot in range(rules.max_holds_per_client):
            if slot not in taken or taken[slot] <= now:
                return slot
        raise max_holds_per_client(rules.max_holds_per_client)

    def _choose(
        self,
        request: SeatsRequest | BestAvailableRequest | PoolRequest,
        detail: PerformanceDetail,
        seat_map: SeatMap,
        now: datetime,
        optimistic: bool,
        max_shards: int,
    ) -> tuple[tuple[str, ...], tuple[GaAllocation, ...]]:
        performance_id = detail.performance.id
        if isinstance(request, SeatsRequest):
            return request.seats, ()
        if isinstance(request, BestAvailableRequest):
            claims = self._claims(performance_id, seat_map)
            unavailable = {s for s, c in claims.items() if c.state_at(now) is not SeatState.FREE}
            ranks = {zone.id: zone.rank for zone in detail.hall.price_zones}
            chosen = best_available(seat_map, unavailable, request.quantity, ranks, request.zone)
            if not chosen:
                raise _lost(request, [])
            return tuple(chosen), ()
        capacities = shard_capacities(seat_map.known_pool(request.pool).capacity)
        start = self.rng.randrange(len(capacities))
        if optimistic and capacities[start] >= request.quantity:
            # First try blind: one random shard, no reads. Its condition refuses it if full;
            # only then do we read every shard, give back expired leases and plan.
            return (), (GaAllocation(request.pool, start, request.quantity),)
        shards = self._shards(performance_id, request.pool, seat_map, now)
        if self._reclaimed(performance_id, request.pool, shards, request.quantity, now):
            shards = self._shards(performance_id, request.pool, seat_map, now)
        plan = plan_ga(request.pool, request.quantity, shards, start, max_shards)
        if plan is None:
            raise _lost(request, [])
        return (), tuple(plan)

    def _reclaimed(
        self, performance_id: str, pool: str, shards: list[ShardState], quantity: int, now: datetime
    ) -> bool:
        """Expired leases still count in their shard's counter until given back; give them
        back where the counter alone would refuse this request."""
        reclaimed = False
        for state in shards:
            if state.expired and state.capacity - state.taken < quantity:
                leases = self.store.expired_leases(performance_id, pool, state.shard, now)
                for hold_id, places in leases:
                    self.store.reclaim_lease(
                        performance_id, pool, state.shard, hold_id, places, now
                    )
                    reclaimed = True
        return reclaimed


def request_of(command: HoldCommand, seat_map: SeatMap, rules: HoldRules) -> HoldRequest:
    """The command checked against the hall's map and the limits: an unknown seat, zone or
    pool is a 400 naming it; a request over a limit is a 422 saying which limit."""
    if command.seats is not None:
        return SeatsRequest(_seat_ids(command.seats, seat_map, rules))
    quantity = command.quantity
    assert quantity is not None  # HoldCommand: seats or a quantity
    _within_limit(quantity, rules)
    if command.pool is not None:
        if seat_map.pool(command.pool) is None:
            pools = ", ".join(p.id for p in seat_map.pools) or "none in this hall"
            raise invalid(FieldError("pool", "unknown pool", f"one of: {pools}", "body"))
        return PoolRequest(quantity, command.pool)
    zones = sorted({seat.zone for seat in seat_map.seats})
    if command.zone is not None and command.zone not in zones:
        raise invalid(FieldError("zone", "unknown zone", f"one of: {', '.join(zones)}", "body"))
    if not seat_map.seats:
        raise invalid(FieldError("pool", "this hall has no numbered seats", "a pool id", "body"))
    return BestAvailableRequest(quantity, command.zone)


def _seat_ids(seats: Sequence[str], seat_map: SeatMap, rules: HoldRules) -> tuple[str, ...]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, seat_id in enumerate(seats):
        field = f"seats[{index}]"
        if seat_map.seat(seat_id) is None:
            errors.append(
                FieldError(field, f"unknown seat {seat_id!r}", "a seat id of this hall", "body")
            )
        elif seat_id in seen:
            errors.append(FieldError(field, f"seat {seat_id!r} twice", "each seat once", "body"))
        else:
            seen.add(seat_id)
    if errors:
        raise invalid(*errors)
    _within_limit(len(seats), rules)
    return tuple(seats)


def _within_limit(quantity: int, rules: HoldRules) -> None:
    if quantity > rules.max_seats_per_hold:
        raise max_seats_per_hold(rules.max_seats_per_hold, transaction=rules.staff)


def _states(seat_map: SeatMap, live: Mapping[str, SeatClaim]) -> dict[str, SeatState]:
    return {s.id: live[s.id].state if s.id in live else SeatState.FREE for s in seat_map.seats}


def _known(seat_map: SeatMap, seat_ids: Sequence[str]) -> None:
    """A 400 naming every seat the map does not have."""
    unknown = [s for s in seat_ids if seat_map.seat(s) is None]
    if unknown:
        raise invalid(
            *(FieldError("seats", f"unknown seat {s!r}", "a seat id", "body") for s in unknown)
        )


def _sections(seat_map: SeatMap) -> dict[str, str]:
    return {seat.id: seat.section for seat in seat_map.seats}


def _lost(request: SeatsRequest | BestAvailableRequest | PoolRequest, seats: list[str]) -> Problem:
    if isinstance(request, SeatsRequest):
        return seats_taken(seats)
    return seats_gone(seats, standing=isinstance(request, PoolRequest))
