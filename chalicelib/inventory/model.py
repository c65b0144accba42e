"""Holds and seat states: the rules, without AWS or HTTP.

A seat with no inventory item is free (absence means free: a performance costs no writes until
someone holds a seat). A held seat whose hold has expired reads as free too: expiry is part of
every read and of every write's condition; DynamoDB's TTL only collects garbage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.catalogue.model import Performance, PerformanceStatus
from chalicelib.inventory.problems import max_holds_per_identity, max_seats_per_identity

# A DynamoDB transaction carries at most 100 items. A hold's writes one item per seat, two per
# general-admission shard it touches (the shard's counter and the hold's lease), its client
# slot, during an on-sale every slot of each identity it checks, and the hold record itself.
MAX_TRANSACTION_ITEMS = 100
HOLD_OVERHEAD_ITEMS = 2  # the hold record and its client slot
# A webshop hold leaves room for the on-sale identity slots; a performance's rule stays below.
MAX_SEATS_PER_TRANSACTION = 90
# The box office has no identity slots: every item but the overhead may be a seat.
STAFF_MAX_SEATS_PER_HOLD = MAX_TRANSACTION_ITEMS - HOLD_OVERHEAD_ITEMS


class SeatState(StrEnum):
    FREE = "free"
    HELD = "held"
    SOLD = "sold"
    BLOCKED = "blocked"


class HoldState(StrEnum):
    ACTIVE = "active"
    RELEASED = "released"
    SOLD = "sold"
    EXPIRED = "expired"  # derived: active with its time run out


@dataclass(frozen=True)
class SeatClaim:
    """An inventory item as stored: who has the seat, and until when."""

    seat: str
    state: SeatState
    hold: str | None = None
    held_until: datetime | None = None
    reason: str | None = None  # why it is blocked
    blocked_at: datetime | None = None  # None for seats blocked before this was recorded

    def state_at(self, now: datetime) -> SeatState:
        if self.state is SeatState.HELD and self.held_until is not None and self.held_until <= now:
            return SeatState.FREE
        return self.state


def live_claims(claims: Mapping[str, SeatClaim], now: datetime) -> dict[str, SeatClaim]:
    """The claims that still take their seat: a hold past its expiry has none."""
    return {seat: c for seat, c in claims.items() if c.state_at(now) is not SeatState.FREE}


def to_unblock(
    seats: Sequence[str], claims: Mapping[str, SeatClaim], now: datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Of the seats staff want back on sale: (the blocked ones to give back, the ones a buyer
    holds or bought, which are never "unblocked" into free). A seat already free is neither:
    asking again after a success changes nothing."""
    live = live_claims(claims, now)
    blocked = tuple(s for s in seats if s in live and live[s].state is SeatState.BLOCKED)
    taken = tuple(s for s in seats if s in live and live[s].state is not SeatState.BLOCKED)
    return blocked, taken


@dataclass(frozen=True)
class GaAllocation:
    pool: str
    shard: int
    quantity: int


@dataclass(frozen=True)
class Hold:
    id: str
    performance: str
    house: str
    client: str  # digest of the client identity
    seats: tuple[str, ...]
    ga: tuple[GaAllocation, ...]
    client_slot: int
    created_at: datetime
    held_until: datetime
    token_digest: str
    state: HoldState = HoldState.ACTIVE
    extended: bool = False
    # During an on-sale: the (identity, slot) pairs this hold takes (see IdentityClaim).
    identity_slots: tuple[tuple[str, int], ...] = ()
    # Of a sold hold, the places given back one by one (tickets exchanged), by release key.
    released: tuple[str, ...] = ()
    released_seats: tuple[str, ...] = ()
    released_ga: tuple[GaAllocation, ...] = ()

    def state_at(self, now: datetime) -> HoldState:
        if self.state is HoldState.ACTIVE and self.held_until <= now:
            return HoldState.EXPIRED
        return self.state

    @property
    def quantity(self) -> int:
        return len(self.seats) + sum(a.quantity for a in self.ga)

    @property
    def kept_seats(self) -> tuple[str, ...]:
        """Its seats not given back yet."""
        return tuple(seat for seat in self.seats if seat not in self.released_seats)

    @property
    def kept_ga(self) -> tuple[GaAllocation, ...]:
        """Its standing places not given back yet, per shard."""
        given = Counter[tuple[str, int]]()
        for allocation in self.released_ga:
            given[allocation.pool, allocation.shard] += allocation.quantity
        kept = []
        for allocation in self.ga:
            back = min(allocation.quantity, given[allocation.pool, allocation.shard])
            given[allocation.pool, allocation.shard] -= back
            if allocation.quantity > back:
                kept.append(replace(allocation, quantity=allocation.quantity - back))
        return tuple(kept)

    def to_give_back(
        self, places: Sequence[str]
    ) -> tuple[tuple[str, ...], tuple[GaAllocation, ...]]:
        """The seats and shard places to give back for these places (a seat id, or
        "ga:<pool>" per standing place); ValueError for a place the hold does not keep."""
        seats = tuple(place for place in places if not place.startswith("ga:"))
        kept = set(self.kept_seats)
        if len(set(seats)) != len(seats) or not kept.issuperset(seats):
            raise ValueError(f"not kept by hold {self.id}: {seats}")
        wanted = Counter(place[3:] for place in places if place.startswith("ga:"))
        ga: list[GaAllocation] = []
        for allocation in self.kept_ga:
            take = min(allocation.quantity, wanted[allocation.pool])
            if take:
                wanted[allocation.pool] -= take
                ga.append(replace(allocation, quantity=take))
        if +wanted:
            raise ValueError(f"not kept by hold {self.id}: {dict(+wanted)}")
        return seats, tuple(ga)


@dataclass(frozen=True)
class HoldRules:
    """Per performance; defaults suit a theatre on an ordinary day. `staff`: the box office's
    rules (see staff_rules), not the webshop's."""

    hold_minutes: int = 15
    max_seats_per_hold: int = 10
    max_holds_per_client: int = 3
    # Checkout extends a hold once, to cover the payment: Stripe's Checkout Sessions expire
    # 30 minutes after creation at the earliest, so the seats must stay held that long, plus
    # a margin for the session being created a little after the extension.
    checkout_minutes: int = 35
    # The box office: any time until the performance ends (not only in the public sales
    # window), never through a waiting room, no limit per client, one transaction's worth of
    # seats per hold.
    staff: bool = False

    def __post_init__(self) -> None:
        high = STAFF_MAX_SEATS_PER_HOLD if self.staff else MAX_SEATS_PER_TRANSACTION
        if not 1 <= self.max_seats_per_hold <= high:
            raise ValueError(f"max_seats_per_hold must be 1..{high}")
        if self.hold_minutes < 1 or self.max_holds_per_client < 1:
            raise ValueError("holds need at least one minute and one hold per client")

    def expiry(self, now: datetime) -> datetime:
        return now + timedelta(minutes=self.hold_minutes)


def staff_rules(hold_minutes: int) -> HoldRules:
    """What a clerk at the desk may hold: as much as one transaction carries, for as long as a
    buyer of the performance could."""
    return HoldRules(
        hold_minutes=hold_minutes,
        max_seats_per_hold=STAFF_MAX_SEATS_PER_HOLD,
        max_holds_per_client=1,  # each staff hold is its own client: see InventoryService
        staff=True,
    )


class StaffRefusal(StrEnum):
    """Why the box office may not hold seats of a performance."""

    DRAFT = "draft"  # not published: its hall and tariffs may still change
    CANCELLED = "cancelled"
    ENDED = "ended"


def staff_refusal(performance: Performance, now: datetime) -> StaffRefusal | None:
    """The box office holds before the public opening, after the public close and during a
    waiting room; only a draft, a cancelled or an ended performance is refused."""
    if performance.status is PerformanceStatus.CANCELLED:
        return StaffRefusal.CANCELLED
    if performance.status is PerformanceStatus.DRAFT:
        return StaffRefusal.DRAFT
    if now >= performance.ends_at:
        return StaffRefusal.ENDED
    return None


def transaction_items(seats: int, shards: int, identity_slots: int = 0) -> int:
    """How many items a hold's transaction writes or checks (see MAX_TRANSACTION_ITEMS)."""
    return seats + 2 * shards + identity_slots + HOLD_OVERHEAD_ITEMS


@dataclass(frozen=True)
class SeatsRequest:
    seats: tuple[str, ...]


@dataclass(frozen=True)
class BestAvailableRequest:
    quantity: int
    zone: str | None


@dataclass(frozen=True)
class PoolRequest:
    quantity: int
    pool: str


HoldRequest = SeatsRequest | BestAvailableRequest | PoolRequest


class Unavailable(Exception):
    """A hold lost a race or met a blocked seat: nothing was written. `identity`: another hold
    of the same identity changed its on-sale slots meanwhile."""

    def __init__(
        self, seats: list[str], pools: list[str], client_slot: bool, identity: bool = False
    ) -> None:
        super().__init__(
            f"unavailable seats={seats} pools={pools} client_slot={client_slot} identity={identity}"
        )
        self.seats = seats
        self.pools = pools
        self.client_slot = client_slot
        self.identity = identity


# --- per-identity limits during an on-sale ------------------------------------------------------
# An identity (the client digest, and the e-mail digest when given at the join) has
# `max_holds` slot items per performance, each carrying its hold's seat count. A hold takes a
# free slot and, in the same transaction, checks that the identity's other slots are still as
# it read them: the total it computed is then exact, and two concurrent holds of one identity
# cannot both pass (the second one's check fails and it reads again).


@dataclass(frozen=True)
class SlotSeen:
    """An identity slot as read before a hold."""

    hold: str
    held_until: datetime
    seats: int


@dataclass(frozen=True)
class IdentityClaim:
    identity: str
    slot: int  # the slot this hold takes
    seats: int
    seen: tuple[tuple[int, SlotSeen | None], ...]  # every slot as read, this one included


def identity_claim(
    identity: str,
    seen: Mapping[int, SlotSeen],
    quantity: int,
    max_holds: int,
    max_seats: int,
    now: datetime,
) -> IdentityClaim:
    """Which slot a hold of `quantity` seats takes, or the limit it breaks."""
    active = {slot: s for slot, s in seen.items() if s.held_until > now}
    if len(active) >= max_holds:
        raise max_holds_per_identity(max_holds)
    if sum(s.seats for s in active.values()) + quantity > max_seats:
        raise max_seats_per_identity(max_seats)
    slot = next(n for n in range(max_holds) if n not in active)
    return IdentityClaim(
        identity, slot, quantity, tuple((n, seen.get(n)) for n in range(max_holds))
    )


def quantity_of(request: HoldRequest) -> int:
    return len(request.seats) if isinstance(request, SeatsRequest) else request.quantity


# --- general admission -------------------------------------------------------------------------
# A pool's places are counted in shards of at most GA_SHARD_SIZE, each its own item and
# partition: no single hot counter, and the write ceiling grows with the pool (docs/scaling.md).
GA_SHARD_SIZE = 250


def shard_capacities(capacity: int) -> list[int]:
    shards = max(1, -(-capacity // GA_SHARD_SIZE))
    base, extra = divmod(capacity, shards)
    return [base + (1 if index < extra else 0) for index in range(shards)]


@dataclass(frozen=True)
class ShardState:
    """A shard's counter as stored, and what its expired leases give back."""

    shard: int
    capacity: int
    taken: int = 0  # held (including expired, not yet reclaimed) + sold
    expired: int = 0  # places in expired leases: free to take once reclaimed
    sold: int = 0

    @property
    def held(self) -> int:
        """Held by live holds now (expired leases read as free)."""
        return self.taken - self.sold - self.expired

    @property
    def free(self) -> int:
        return self.capacity - self.taken + self.expired


def plan_ga(
    pool: str, quantity: int, shards: list[ShardState], start: int, max_shards: int | None = None
) -> list[GaAllocation] | None:
    """Where to take `quantity` places: one shard if any can (trying from `start`, so that
    concurrent buyers spread over shards), else the fewest shards, largest first, and no more
    than `max_shards` (what is left of one transaction)."""
    order = shards[start:] + shards[:start]
    for state in order:
        if state.free >= quantity:
            return [GaAllocation(pool, state.shard, quantity)]
    allocations: list[GaAllocation] = []
    remaining = quantity
    for state in sorted(order, key=lambda s: -s.free):
        if remaining == 0 or state.free <= 0 or len(allocations) == max_shards:
            break
        take = min(state.free, remaining)
        allocations.append(GaAllocation(pool, state.shard, take))
        remaining -= take
    return allocations if remaining == 0 else None
