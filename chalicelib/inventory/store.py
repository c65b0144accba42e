"""The inventory's DynamoDB adapter. Every write that takes a seat is conditional, and a hold
is one TransactWriteItems: all of its seats, places, client slot and the hold record, or none.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import lru_cache

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.inventory.model import (
    GaAllocation,
    Hold,
    HoldState,
    IdentityClaim,
    SeatClaim,
    SeatState,
    ShardState,
    SlotSeen,
    Unavailable,
)
from chalicelib.inventory.seatmap import SeatMap, from_json, to_json
from chalicelib.store import keys
from chalicelib.store.db import from_ms, ms, transact_write
from chalicelib.store.models import (
    ClientSlotItem,
    GaAllocationAttribute,
    GaLeaseItem,
    GaShardItem,
    HoldItem,
    IdentitySlotItem,
    OrderOfHoldItem,
    PodiumItem,
    SeatItem,
    SeatMapItem,
)

# Only for the test that proves the concurrency harness can see an oversell: with this on,
# holds overwrite seats without their condition. Never set outside that test.
UNSAFE_UNCONDITIONAL_SEAT_WRITES = False

GARBAGE_AFTER = timedelta(days=2)  # TTL: how long a dead hold's items linger before deletion


class _Transaction:
    """pynamodb's TransactWrite, remembering what each item stands for so that a cancellation
    names the seats that were taken. pynamodb sends condition checks, deletes, puts, then
    updates; the labels are kept in that order."""

    _ORDER = ("check", "delete", "put", "update")

    def __init__(self, token: str | None = None) -> None:
        self.tx = transact_write(token)
        self.labels: dict[str, list[str]] = {kind: [] for kind in self._ORDER}

    def check(
        self, model: type[PodiumItem], pk: str, sk: str, label: str, condition: Condition
    ) -> None:
        self.tx.condition_check(model, pk, sk, condition=condition)
        self.labels["check"].append(label)

    def put(self, item: PodiumItem, label: str, condition: Condition | None = None) -> None:
        self.tx.save(item, condition=condition)
        self.labels["put"].append(label)

    def update(
        self,
        item: PodiumItem,
        actions: list[Action],
        label: str,
        condition: Condition | None = None,
    ) -> None:
        self.tx.update(item, actions, condition=condition)
        self.labels["update"].append(label)

    def delete(self, item: PodiumItem, label: str, condition: Condition | None = None) -> None:
        self.tx.delete(item, condition=condition)
        self.labels["delete"].append(label)

    def commit(self) -> None:
        try:
            with self.tx:  # pynamodb commits when the block ends
                pass
        except TransactWriteError as error:
            reasons = error.cancellation_reasons
            if not reasons:
                raise
            ordered = [label for kind in self._ORDER for label in self.labels[kind]]
            failed = [
                label
                for label, reason in zip(ordered, reasons, strict=False)
                if reason is not None
                and (
                    reason.code == "ConditionalCheckFailed"
                    # Two holds of one identity at once: the loser reads again and retries.
                    or (reason.code == "TransactionConflict" and label.startswith("identity:"))
                )
            ]
            if not failed:
                raise
            raise Unavailable(
                seats=[label[5:] for label in failed if label.startswith("seat:")],
                pools=[label[3:] for label in failed if label.startswith("ga:")],
                client_slot="slot" in failed,
                identity=any(label.startswith("identity:") for label in failed),
            ) from error


class DynamoInventoryStore:
    def __init__(self, consistent_reads: bool = True) -> None:
        # Holds plan on what they read, so reads are strongly consistent by default. A job
        # that only reports (the availability snapshot) reads at half the price and may miss
        # a write of the last second or so.
        self.consistent_reads = consistent_reads

    # --- seat maps ----------------------------------------------------------------------------

    def save_seat_map(self, house: str, seat_map: SeatMap) -> None:
        document = zlib.compress(json.dumps(to_json(seat_map), separators=(",", ":")).encode())
        SeatMapItem(
            pk=keys.house_pk(house),
            sk=keys.seat_map_sk(seat_map.id),
            id=seat_map.id,
            house=house,
            hall=seat_map.hall,
            document=document,
        ).save()

    def get_seat_map(self, house: str, seat_map_id: str) -> SeatMap | None:
        return _cached_seat_map(house, seat_map_id)

    # --- reads --------------------------------------------------------------------------------

    def seat_claims(self, performance: str, sections: list[str]) -> dict[str, SeatClaim]:
        claims: dict[str, SeatClaim] = {}
        for section in sections:
            for item in SeatItem.query(
                keys.seats_pk(performance, section), consistent_read=self.consistent_reads
            ):
                claims[item.seat] = SeatClaim(
                    seat=item.seat,
                    state=SeatState(item.state),
                    hold=item.hold,
                    held_until=from_ms(item.held_until) if item.held_until is not None else None,
                    reason=item.reason,
                    blocked_at=from_ms(item.blocked_at) if item.blocked_at is not None else None,
                )
        return claims

    def ga_shards(
        self, performance: str, pool: str, capacities: list[int], now: datetime
    ) -> list[ShardState]:
        states = []
        for shard, capacity in enumerate(capacities):
            taken = expired = sold = 0
            for item in PodiumItem.query(
                keys.ga_pk(performance, pool, shard), consistent_read=self.consistent_reads
            ):
                if isinstance(item, GaShardItem):
                    taken, sold = int(item.taken), int(item.sold or 0)
                elif isinstance(item, GaLeaseItem) and item.held_until <= ms(now):
                    expired += int(item.quantity)
            states.append(ShardState(shard, capacity, taken, expired, sold))
        return states

    def expired_leases(
        self, performance: str, pool: str, shard: int, now: datetime
    ) -> list[tuple[str, int]]:
        pk = keys.ga_pk(performance, pool, shard)
        leases = GaLeaseItem.query(
            pk, GaLeaseItem.sk.startswith("LEASE#"), consistent_read=self.consistent_reads
        )
        return [
            (lease.hold, int(lease.quantity)) for lease in leases if lease.held_until <= ms(now)
        ]

    def client_slots(self, performance: str, client: str) -> dict[int, datetime]:
        """Slot number → until when it is taken (a past time means it is free again)."""
        items = ClientSlotItem.query(
            keys.client_pk(performance, client), consistent_read=self.consistent_reads
        )
        return {int(item.sk.split("#")[1]): from_ms(item.held_until) for item in items}

    def identity_slots(self, performance: str, identity: str) -> dict[int, SlotSeen]:
        """An identity's on-sale slots on a performance, as a hold's transaction will check
        them (always strongly consistent: the check compares with exactly this)."""
        items = IdentitySlotItem.query(
            keys.identity_pk(performance, identity), consistent_read=True
        )
        return {
            int(item.sk.split("#")[1]): SlotSeen(
                item.hold, from_ms(item.held_until), int(item.seats)
            )
            for item in items
        }

    def orders_of_holds(self, hold_ids: Sequence[str]) -> dict[str, str]:
        """Hold id → the order placed on it (a checkout paying, a sale), for the holds that
        have one: the one-order-per-hold markers beside each hold, 100 keys a BatchGetItem."""
        wanted = [(keys.hold_pk(h), keys.ORDER_OF_HOLD_SK) for h in dict.fromkeys(hold_ids)]
        if not wanted:
            return {}
        found = OrderOfHoldItem.batch_get(wanted, consistent_read=self.consistent_reads)
        return {item.pk.removeprefix(keys.hold_pk("")): item.order for item in found}

    def get_hold(self, hold_id: str) -> Hold | None:
        try:
            item = HoldItem.get(
                keys.hold_pk(hold_id), keys.HOLD_SK, consistent_read=self.consistent_reads
            )
        except HoldItem.DoesNotExist:
            return None
        return Hold(
            id=item.id,
            performance=item.performance,
            house=item.house,
            client=item.client,
            seats=tuple(item.seats),
            ga=tuple(GaAllocation(a.pool, int(a.shard), int(a.quantity)) for a in item.ga),
            client_slot=int(item.client_slot),
            created_at=from_ms(item.created_at),
            held_until=from_ms(item.held_until),
            token_digest=item.token_digest,
            state=HoldState(item.state),
            extended=bool(item.extended),
            identity_slots=tuple(_identity_slot(entry) for entry in item.identity_slots or ()),
            released=tuple(sorted(item.released or ())),
            released_seats=tuple(sorted(item.released_seats or ())),
            released_ga=tuple(
                GaAllocation(a.pool, int(a.shard), int(a.quantity)) for a in item.released_ga or ()
            ),
        )

    # --- writes -------------------------------------------------------------------------------

    def create_hold(
        self,
        hold: Hold,
        section_of: Mapping[str, str],
        shard_capacity: Mapping[tuple[str, int], int],
        now: datetime,
        identities: Sequence[IdentityClaim] = (),
    ) -> None:
        """One transaction: every seat free (or held by an expired hold), every GA shard with
        room, the client's slot free, during an on-sale each identity's slots as read, the
        hold id new. Raises Unavailable, writing nothing."""
        now_ms, until_ms = ms(now), ms(hold.held_until)
        garbage = hold.held_until + GARBAGE_AFTER
        tx = _Transaction()
        claimable = SeatItem.pk.does_not_exist() | (
            (SeatItem.state == SeatState.HELD.value) & (SeatItem.held_until <= now_ms)
        )
        for seat in hold.seats:
            item = SeatItem(
                pk=keys.seats_pk(hold.performance, section_of[seat]),
                sk=keys.seat_sk(seat),
                performance=hold.performance,
                house=hold.house,
                seat=seat,
                state=SeatState.HELD.value,
                hold=hold.id,
                held_until=until_ms,
                expires=garbage,
            )
            tx.put(item, f"seat:{seat}", None if UNSAFE_UNCONDITIONAL_SEAT_WRITES else claimable)
        for allocation in hold.ga:
            capacity = shard_capacity[(allocation.pool, allocation.shard)]
            tx.update(
                _shard(hold, allocation),
                [
                    GaShardItem.kind.set(GaShardItem),
                    GaShardItem.performance.set(hold.performance),
                    GaShardItem.house.set(hold.house),
                    GaShardItem.pool.set(allocation.pool),
                    GaShardItem.shard.set(allocation.shard),
                    GaShardItem.taken.set((GaShardItem.taken | 0) + allocation.quantity),
                ],
                f"ga:{allocation.pool}",
                GaShardItem.taken.does_not_exist()
                | (GaShardItem.taken <= capacity - allocation.quantity),
            )
            tx.put(_lease(hold, allocation, until_ms, garbage), f"lease:{allocation.pool}")
        tx.put(
            _slot(hold, until_ms, garbage),
            "slot",
            ClientSlotItem.pk.does_not_exist() | (ClientSlotItem.held_until <= now_ms),
        )
        for claim in identities:
            _claim_identity_slot(tx, hold, claim, until_ms, garbage)
        tx.put(_hold_item(hold, garbage), "hold", HoldItem.pk.does_not_exist())
        tx.commit()

    def release_hold(self, hold: Hold, section_of: Mapping[str, str]) -> None:
        """Give everything back in one transaction, on condition that it is still this hold's.
        Raises Unavailable if anything moved on (the hold expired and was taken over)."""
        tx = _Transaction()
        for seat in hold.seats:
            tx.delete(
                _seat_key(hold, seat, section_of),
                f"seat:{seat}",
                (SeatItem.hold == hold.id) & (SeatItem.state == SeatState.HELD.value),
            )
        for allocation in hold.ga:
            tx.delete(_lease(hold, allocation), f"ga:{allocation.pool}", GaLeaseItem.pk.exists())
            tx.update(
                _shard(hold, allocation),
                [GaShardItem.taken.set(GaShardItem.taken - allocation.quantity)],
                f"shard:{allocation.pool}",
            )
        tx.delete(_slot(hold), "slot", ClientSlotItem.hold == hold.id)
        for identity, slot in hold.identity_slots:
            tx.delete(
                _identity_slot_key(hold, identity, slot),
                f"identity:{identity}",
                IdentitySlotItem.hold == hold.id,
            )
        tx.update(
            _hold_item(hold),
            [HoldItem.state.set(HoldState.RELEASED.value)],
            "hold",
            HoldItem.state == HoldState.ACTIVE.value,
        )
        tx.commit()

    def close_hold(self, hold: Hold, state: HoldState) -> bool:
        """Mark a hold released or expired without touching its seats (they read as free once
        it expired). False if it was no longer active."""
        tx = _Transaction()
        tx.update(
            _hold_item(hold),
            [HoldItem.state.set(state.value)],
            "hold",
            HoldItem.state == HoldState.ACTIVE.value,
        )
        try:
            tx.commit()
        except Unavailable:
            return False
        return True

    def sell_hold(self, hold: Hold, section_of: Mapping[str, str]) -> None:
        """Held → sold, on condition that every seat and place is still this hold's, even if
        its time ran out (nobody took them). Raises Unavailable if any was lost."""
        tx = _Transaction()
        for seat in hold.seats:
            tx.update(
                _seat_key(hold, seat, section_of),
                [SeatItem.state.set(SeatState.SOLD.value), SeatItem.expires.remove()],
                f"seat:{seat}",
                (SeatItem.hold == hold.id) & (SeatItem.state == SeatState.HELD.value),
            )
        for allocation in hold.ga:
            tx.delete(_lease(hold, allocation), f"ga:{allocation.pool}", GaLeaseItem.pk.exists())
            tx.update(
                _shard(hold, allocation),
                [GaShardItem.sold.set((GaShardItem.sold | 0) + allocation.quantity)],
                f"shard:{allocation.pool}",
            )
        tx.update(
            _hold_item(hold),
            [HoldItem.state.set(HoldState.SOLD.value), HoldItem.expires.remove()],
            "hold",
            HoldItem.state == HoldState.ACTIVE.value,
        )
        tx.commit()
        self.free_slot(hold)

    def unsell_hold(self, hold: Hold, section_of: Mapping[str, str]) -> None:
        """Sold → free again, for an order refunded after its seats were sold (tickets could
        not be issued) or cancelled. Conditional on the seats still being this hold's sale;
        places already given back one by one (exchanged tickets) are not its to give."""
        tx = _Transaction()
        for seat in hold.kept_seats:
            tx.delete(
                _seat_key(hold, seat, section_of),
                f"seat:{seat}",
                (SeatItem.hold == hold.id) & (SeatItem.state == SeatState.SOLD.value),
            )
        for allocation in hold.kept_ga:
            tx.update(
                _shard(hold, allocation),
                [
                    GaShardItem.taken.set(GaShardItem.taken - allocation.quantity),
                    GaShardItem.sold.set(GaShardItem.sold - allocation.quantity),
                ],
                f"ga:{allocation.pool}",
            )
        # Unchanged since read: a place given back meanwhile would be given back twice.
        tx.update(
            _hold_item(hold),
            [HoldItem.state.set(HoldState.RELEASED.value)],
            "hold",
            (HoldItem.state == HoldState.SOLD.value) & _released_as_read(hold),
        )
        tx.commit()

    def give_back(
        self,
        hold: Hold,
        seats: Sequence[str],
        ga: Sequence[GaAllocation],
        section_of: Mapping[str, str],
        key: str,
    ) -> bool:
        """Some places of a sold hold back on sale (exchanged tickets), once per key: one
        transaction, on condition that the hold is still sold, the key not yet used and each
        seat still this hold's sale. False if that key's places were already given back, or
        the whole hold was (a cancel); Unavailable if anything else stood in the way."""
        tx = _Transaction()
        for seat in seats:
            tx.delete(
                _seat_key(hold, seat, section_of),
                f"seat:{seat}",
                (SeatItem.hold == hold.id) & (SeatItem.state == SeatState.SOLD.value),
            )
        for allocation in ga:
            tx.update(
                _shard(hold, allocation),
                [
                    GaShardItem.taken.set(GaShardItem.taken - allocation.quantity),
                    GaShardItem.sold.set(GaShardItem.sold - allocation.quantity),
                ],
                f"ga:{allocation.pool}",
            )
        actions: list[Action] = [HoldItem.released.add({key})]
        if seats:
            actions.append(HoldItem.released_seats.add(set(seats)))
        if ga:
            given = [
                GaAllocationAttribute(pool=a.pool, shard=a.shard, quantity=a.quantity) for a in ga
            ]
            actions.append(HoldItem.released_ga.set((HoldItem.released_ga | []).append(given)))
        tx.update(
            _hold_item(hold),
            actions,
            "hold",
            (HoldItem.state == HoldState.SOLD.value) & ~HoldItem.released.contains(key),
        )
        try:
            tx.commit()
        except Unavailable:
            now = self.get_hold(hold.id)
            if now is None or now.state is not HoldState.SOLD or key in now.released:
                return False
            raise
        return True

    def free_slot(self, hold: Hold) -> None:
        """A sold hold no longer counts against its client (nor, during an on-sale, against
        its identities: the limits are on what is held without paying). A slot may already
        belong to a newer hold of the same client: then it stays."""
        tx = _Transaction()
        tx.delete(_slot(hold), "slot", ClientSlotItem.hold == hold.id)
        with contextlib.suppress(Unavailable):
            tx.commit()
        for identity, slot in hold.identity_slots:
            tx = _Transaction()
            tx.delete(
                _identity_slot_key(hold, identity, slot),
                f"identity:{identity}",
                IdentitySlotItem.hold == hold.id,
            )
            with contextlib.suppress(Unavailable):
                tx.commit()

    def extend_hold(
        self, hold: Hold, section_of: Mapping[str, str], until: datetime, now: datetime
    ) -> None:
        """Move the expiry of a live hold, once. Raises Unavailable if it already expired, was
        extended before or is no longer active."""
        until_ms, now_ms = ms(until), ms(now)
        garbage = until + GARBAGE_AFTER
        tx = _Transaction()
        for seat in hold.seats:
            tx.update(
                _seat_key(hold, seat, section_of),
                [SeatItem.held_until.set(until_ms), SeatItem.expires.set(garbage)],
                f"seat:{seat}",
                (SeatItem.hold == hold.id) & (SeatItem.held_until > now_ms),
            )
        for allocation in hold.ga:
            tx.update(
                _lease(hold, allocation),
                [GaLeaseItem.held_until.set(until_ms), GaLeaseItem.expires.set(garbage)],
                f"ga:{allocation.pool}",
                GaLeaseItem.held_until > now_ms,
            )
        tx.update(
            _slot(hold),
            [ClientSlotItem.held_until.set(until_ms), ClientSlotItem.expires.set(garbage)],
            "slot",
            ClientSlotItem.hold == hold.id,
        )
        for identity, slot in hold.identity_slots:
            tx.update(
                _identity_slot_key(hold, identity, slot),
                [IdentitySlotItem.held_until.set(until_ms), IdentitySlotItem.expires.set(garbage)],
                f"identity:{identity}",
                IdentitySlotItem.hold == hold.id,
            )
        tx.update(
            _hold_item(hold),
            [
                HoldItem.held_until.set(until_ms),
                HoldItem.extended.set(True),
                HoldItem.expires.set(garbage),
            ],
            "hold",
            (HoldItem.state == HoldState.ACTIVE.value)
            & (HoldItem.extended == False)  # noqa: E712 - a pynamodb condition, not a bool
            & (HoldItem.held_until > now_ms),
        )
        tx.commit()

    def reclaim_lease(
        self, performance: str, pool: str, shard: int, hold_id: str, quantity: int, now: datetime
    ) -> bool:
        """Give an expired lease's places back to its shard; False if someone else did."""
        pk = keys.ga_pk(performance, pool, shard)
        tx = _Transaction()
        tx.delete(
            GaLeaseItem(pk=pk, sk=keys.lease_sk(hold_id)),
            f"ga:{pool}",
            GaLeaseItem.held_until <= ms(now),
        )
        tx.update(
            GaShardItem(pk=pk, sk=keys.GA_SHARD_SK),
            [GaShardItem.taken.set(GaShardItem.taken - quantity)],
            f"shard:{pool}",
        )
        try:
            tx.commit()
        except Unavailable:
            return False
        return True

    def block_seats(
        self,
        performance: str,
        house: str,
        section_of: Mapping[str, str],
        reason: str,
        now: datetime,
    ) -> None:
        """Take seats out of sale (technical, house seats, press), on condition they are free."""
        tx = _Transaction()
        for seat, section in section_of.items():
            tx.put(
                SeatItem(
                    pk=keys.seats_pk(performance, section),
                    sk=keys.seat_sk(seat),
                    performance=performance,
                    house=house,
                    seat=seat,
                    state=SeatState.BLOCKED.value,
                    reason=reason,
                    blocked_at=ms(now),
                ),
                f"seat:{seat}",
                SeatItem.pk.does_not_exist()
                | ((SeatItem.state == SeatState.HELD.value) & (SeatItem.held_until <= ms(now))),
            )
        tx.commit()

    def unblock_seats(self, performance: str, section_of: Mapping[str, str]) -> None:
        """Blocked seats back on sale: one transaction deleting each seat on condition that it
        is still blocked, so a seat a buyer took meanwhile is never freed under them. Raises
        Unavailable naming the seats that were no longer blocked, writing nothing."""
        tx = _Transaction()
        for seat, section in section_of.items():
            tx.delete(
                SeatItem(pk=keys.seats_pk(performance, section), sk=keys.seat_sk(seat)),
                f"seat:{seat}",
                SeatItem.state == SeatState.BLOCKED.value,
            )
        tx.commit()


@lru_cache(maxsize=64)
def _cached_seat_map(house: str, seat_map_id: str) -> SeatMap | None:
    """Maps are immutable under their id, so a warm Lambda keeps them."""
    try:
        item = SeatMapItem.get(keys.house_pk(house), keys.seat_map_sk(seat_map_id))
    except SeatMapItem.DoesNotExist:
        return None
    return from_json(json.loads(zlib.decompress(item.document)))


def _released_as_read(hold: Hold) -> Condition:
    if not hold.released:
        return HoldItem.released.does_not_exist()
    return HoldItem.released == set(hold.released)


def _seat_key(hold: Hold, seat: str, section_of: Mapping[str, str]) -> SeatItem:
    return SeatItem(pk=keys.seats_pk(hold.performance, section_of[seat]), sk=keys.seat_sk(seat))


def _shard(hold: Hold, allocation: GaAllocation) -> GaShardItem:
    return GaShardItem(
        pk=keys.ga_pk(hold.performance, allocation.pool, allocation.shard), sk=keys.GA_SHARD_SK
    )


def _lease(
    hold: Hold, allocation: GaAllocation, until_ms: int = 0, garbage: datetime | None = None
) -> GaLeaseItem:
    return GaLeaseItem(
        pk=keys.ga_pk(hold.performance, allocation.pool, allocation.shard),
        sk=keys.lease_sk(hold.id),
        performance=hold.performance,
        house=hold.house,
        hold=hold.id,
        quantity=allocation.quantity,
        held_until=until_ms,
        expires=garbage,
    )


def _slot(hold: Hold, until_ms: int = 0, garbage: datetime | None = None) -> ClientSlotItem:
    return ClientSlotItem(
        pk=keys.client_pk(hold.performance, hold.client),
        sk=keys.slot_sk(hold.client_slot),
        performance=hold.performance,
        house=hold.house,
        hold=hold.id,
        held_until=until_ms,
        expires=garbage,
    )


def _hold_item(hold: Hold, garbage: datetime | None = None) -> HoldItem:
    return HoldItem(
        pk=keys.hold_pk(hold.id),
        sk=keys.HOLD_SK,
        id=hold.id,
        performance=hold.performance,
        house=hold.house,
        client=hold.client,
        seats=list(hold.seats),
        ga=[
            GaAllocationAttribute(pool=a.pool, shard=a.shard, quantity=a.quantity) for a in hold.ga
        ],
        client_slot=hold.client_slot,
        created_at=ms(hold.created_at),
        held_until=ms(hold.held_until),
        token_digest=hold.token_digest,
        state=hold.state.value,
        extended=hold.extended,
        identity_slots=[f"{identity}#{slot}" for identity, slot in hold.identity_slots],
        expires=garbage,
    )


def _identity_slot(entry: str) -> tuple[str, int]:
    identity, _, slot = entry.rpartition("#")
    return identity, int(slot)


def _identity_slot_key(hold: Hold, identity: str, slot: int) -> IdentitySlotItem:
    return IdentitySlotItem(pk=keys.identity_pk(hold.performance, identity), sk=keys.slot_sk(slot))


def _as_seen(seen: SlotSeen | None) -> Condition:
    """The slot is exactly as the hold read it: absent, or still that hold's."""
    if seen is None:
        return IdentitySlotItem.pk.does_not_exist()
    return IdentitySlotItem.hold == seen.hold


def _claim_identity_slot(
    tx: _Transaction, hold: Hold, claim: IdentityClaim, until_ms: int, garbage: datetime
) -> None:
    label = f"identity:{claim.identity}"
    pk = keys.identity_pk(hold.performance, claim.identity)
    for slot, seen in claim.seen:
        if slot == claim.slot:
            item = IdentitySlotItem(
                pk=pk,
                sk=keys.slot_sk(slot),
                performance=hold.performance,
                house=hold.house,
                hold=hold.id,
                seats=claim.seats,
                held_until=until_ms,
                expires=garbage,
            )
            tx.put(item, label, _as_seen(seen))
        else:
            tx.check(IdentitySlotItem, pk, keys.slot_sk(slot), label, _as_seen(seen))
