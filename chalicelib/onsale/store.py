"""The waiting room's DynamoDB adapter.

Items (keys in chalicelib/store/keys.py, every item with its house):

- `ROOM#<id>` / `ROOM`: the configuration and, once drawn, `drawn_at` and `pre_count`;
- `ROOM#<id>` / `COUNTER`: the post-opening sequence, one atomic ADD per consumer batch;
- `ROOM#<id>#P#<shard>` / `T#<ticket>` (a place), `T#<ticket>#CLAIM` (its one session) and
  `CLOSED` (the draw's mark): places are spread over 16 partitions by ticket;
- `ONSALE#<performance>` / `ROOM#<id>`: which rooms gate a performance's holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.core.clock import Clock
from chalicelib.core.recent import Recent
from chalicelib.onsale.model import Claim, Phase, Place, PrePut, WaitingRoom
from chalicelib.store import keys
from chalicelib.store.db import from_ms, ms, transact_write
from chalicelib.store.models import (
    ClaimItem,
    PlaceItem,
    PodiumItem,
    RoomCounterItem,
    RoomGateItem,
    ShardClosedItem,
    WaitingRoomItem,
)

DRAW_LEASE = timedelta(minutes=2)  # a drawer that dies is taken over after this
GARBAGE_AFTER = timedelta(days=7)  # places are collected this long after the room closes


class DynamoRoomStore:
    # --- rooms ------------------------------------------------------------------------------

    def get_room(self, room_id: str) -> WaitingRoom | None:
        try:
            item = WaitingRoomItem.get(keys.room_pk(room_id), keys.ROOM_SK, consistent_read=True)
        except WaitingRoomItem.DoesNotExist:
            return None
        return _room(item)

    def save_room(self, room: WaitingRoom) -> None:
        """Create or reconfigure; a draw already made is kept. Then the gates: one item per
        performance, and the gates of performances no longer in the room removed. Saving
        the same room twice leaves the same items (a retried configure is harmless)."""
        previous = self.get_room(room.id)
        item = WaitingRoomItem(pk=keys.room_pk(room.id), sk=keys.ROOM_SK)
        actions: list[Action] = [
            WaitingRoomItem.kind.set(WaitingRoomItem),
            WaitingRoomItem.id.set(room.id),
            WaitingRoomItem.house.set(room.house),
            WaitingRoomItem.performances.set(list(room.performances)),
            WaitingRoomItem.opens_at.set(ms(room.opens_at)),
            WaitingRoomItem.closes_at.set(ms(room.closes_at)),
            WaitingRoomItem.admit_per_minute.set(room.admit_per_minute),
            WaitingRoomItem.session_minutes.set(room.session_minutes),
            WaitingRoomItem.claim_minutes.set(room.claim_minutes),
            WaitingRoomItem.max_holds_per_identity.set(room.max_holds_per_identity),
            WaitingRoomItem.max_seats_per_identity.set(room.max_seats_per_identity),
            WaitingRoomItem.expires.set(room.closes_at + GARBAGE_AFTER),
        ]
        if previous is None or not previous.drawn:
            # Listed for the scheduled draw until drawn (a sparse index entry).
            actions += [
                WaitingRoomItem.gsi1pk.set(keys.UNDRAWN_ROOMS),
                WaitingRoomItem.gsi1sk.set(f"{ms(room.opens_at):015d}#{room.id}"),
            ]
        # Another house's room under the same id is never overwritten.
        item.update(
            actions=actions,
            condition=WaitingRoomItem.pk.does_not_exist() | (WaitingRoomItem.house == room.house),
        )
        with PodiumItem.batch_write() as batch:
            for performance in room.performances:
                batch.save(
                    RoomGateItem(
                        pk=keys.room_gate_pk(performance),
                        sk=keys.room_gate_sk(room.id),
                        room=room.id,
                        house=room.house,
                        performance=performance,
                        opens_at=ms(room.opens_at),
                        closes_at=ms(room.closes_at),
                        expires=room.closes_at + GARBAGE_AFTER,
                    )
                )
            for performance in set(previous.performances if previous else ()) - set(
                room.performances
            ):
                batch.delete(
                    RoomGateItem(pk=keys.room_gate_pk(performance), sk=keys.room_gate_sk(room.id))
                )

    def undrawn_rooms(self) -> list[str]:
        return [
            item.id
            for item in PodiumItem.gsi1.query(keys.UNDRAWN_ROOMS)
            if isinstance(item, WaitingRoomItem)
        ]

    def gates(self, performance: str) -> list[tuple[str, datetime, datetime]]:
        """The rooms covering a performance, with their windows (eventually consistent: the
        gate cache in front of this is older anyway)."""
        return [
            (item.room, from_ms(item.opens_at), from_ms(item.closes_at))
            for item in RoomGateItem.query(keys.room_gate_pk(performance))
        ]

    # --- places -----------------------------------------------------------------------------

    def existing_tickets(self, room: WaitingRoom, tickets: Iterable[str]) -> set[str]:
        """Which of these tickets already have a place: a duplicate delivery makes none."""
        wanted = [(_place_pk(room.id, t), keys.place_sk(t)) for t in set(tickets)]
        if not wanted:
            return set()
        return {
            item.ticket
            for item in PodiumItem.batch_get(wanted, consistent_read=True)
            if isinstance(item, PlaceItem)
        }

    def next_numbers(self, room: WaitingRoom, count: int) -> int:
        """Reserve `count` sequence numbers at once; returns the first. One atomic ADD: two
        consumers never get the same number. A consumer that dies after the ADD leaves its
        numbers unused: a gap in the sequence (a position nobody has, admitted for nothing
        for a moment), never a number given twice."""
        counter = RoomCounterItem(pk=keys.room_pk(room.id), sk=keys.ROOM_COUNTER_SK)
        counter.update(
            actions=[
                RoomCounterItem.kind.set(RoomCounterItem),
                RoomCounterItem.house.set(room.house),
                RoomCounterItem.seq.add(count),
                RoomCounterItem.expires.set(room.closes_at + GARBAGE_AFTER),
            ]
        )
        return int(counter.seq) - count + 1

    def put_post_place(self, place: Place, room: WaitingRoom) -> bool:
        """False when the ticket already has a place (a duplicate raced us): nothing changes."""
        try:
            _place_item(place, room).save(condition=PlaceItem.sk.does_not_exist())
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def put_pre_place(self, place: Place, room: WaitingRoom) -> PrePut:
        """A pre-opening place, on condition that its shard is not closed yet: the draw closes
        every shard before it reads them, so a place either gets in before (and is ranked)
        or is refused (and goes to the back). None is ever left out of the draw."""
        shard_pk = _place_pk(room.id, place.ticket)
        try:
            with transact_write() as tx:
                tx.condition_check(
                    ShardClosedItem,
                    shard_pk,
                    keys.SHARD_CLOSED_SK,
                    condition=ShardClosedItem.pk.does_not_exist(),
                )
                tx.save(_place_item(place, room), condition=PlaceItem.sk.does_not_exist())
        except TransactWriteError as error:
            reasons = error.cancellation_reasons or []
            failed = [r is not None and r.code == "ConditionalCheckFailed" for r in reasons]
            if failed[:1] == [True]:
                return PrePut.CLOSED
            if failed[1:2] == [True]:
                return PrePut.EXISTS
            raise
        return PrePut.CREATED

    def place(self, room: WaitingRoom, ticket: str) -> tuple[Place | None, Claim | None]:
        """The place and its claim in one Query (they share a partition and a key prefix).
        Eventually consistent: the answer is cached for seconds anyway."""
        place = claim = None
        for item in PodiumItem.query(
            _place_pk(room.id, ticket), PodiumItem.sk.startswith(keys.place_sk(ticket))
        ):
            if isinstance(item, PlaceItem):
                place = _place(item)
            elif isinstance(item, ClaimItem):
                claim = Claim(ticket, item.client, from_ms(item.claimed_at))
        return place, claim

    def claim(self, room: WaitingRoom, ticket: str, client: str, now: datetime) -> Claim:
        """Claim once. Whoever claimed first keeps it: the returned claim is the winner's."""
        item = ClaimItem(
            pk=_place_pk(room.id, ticket),
            sk=keys.claim_sk(ticket),
            room=room.id,
            house=room.house,
            client=client,
            claimed_at=ms(now),
            expires=room.closes_at + GARBAGE_AFTER,
        )
        try:
            item.save(condition=ClaimItem.sk.does_not_exist())
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            existing = ClaimItem.get(item.pk, item.sk, consistent_read=True)
            return Claim(ticket, existing.client, from_ms(existing.claimed_at))
        return Claim(ticket, client, from_ms(ms(now)))

    # --- the draw ---------------------------------------------------------------------------

    def begin_draw(self, room: WaitingRoom, now: datetime) -> bool:
        """Take the drawer's lease: False if the room is drawn or someone else is drawing."""
        item = WaitingRoomItem(pk=keys.room_pk(room.id), sk=keys.ROOM_SK)
        try:
            item.update(
                actions=[WaitingRoomItem.drawing_until.set(ms(now + DRAW_LEASE))],
                condition=WaitingRoomItem.pk.exists()
                & WaitingRoomItem.drawn_at.does_not_exist()
                & (
                    WaitingRoomItem.drawing_until.does_not_exist()
                    | (WaitingRoomItem.drawing_until < ms(now))
                ),
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def close_and_read_pre_places(self, room: WaitingRoom) -> list[Place]:
        """Close every shard, then read its pre-opening places (strongly consistent, after the
        close: every place that got in is seen)."""
        with PodiumItem.batch_write() as batch:
            for shard in range(keys.PLACE_SHARDS):
                batch.save(
                    ShardClosedItem(
                        pk=keys.place_pk(room.id, shard),
                        sk=keys.SHARD_CLOSED_SK,
                        room=room.id,
                        house=room.house,
                        expires=room.closes_at + GARBAGE_AFTER,
                    )
                )
        places: list[Place] = []
        for shard in range(keys.PLACE_SHARDS):
            for item in PlaceItem.query(
                keys.place_pk(room.id, shard),
                PlaceItem.sk.startswith(keys.PLACE_PREFIX),
                filter_condition=PlaceItem.phase == Phase.PRE.value,
                consistent_read=True,
            ):
                places.append(_place(item))
        return places

    def write_positions(self, room: WaitingRoom, ranked: Iterable[tuple[Place, int]]) -> None:
        """Batched puts (25 a request). Safe to repeat: a second drawer writes the same."""
        with PodiumItem.batch_write() as batch:
            for place, position in ranked:
                item = _place_item(place, room)
                item.position = position
                batch.save(item)

    def finish_draw(self, room: WaitingRoom, now: datetime, pre_count: int) -> bool:
        """Record the draw, once: the condition lets only one drawer ever set it."""
        item = WaitingRoomItem(pk=keys.room_pk(room.id), sk=keys.ROOM_SK)
        try:
            item.update(
                actions=[
                    WaitingRoomItem.drawn_at.set(ms(now)),
                    WaitingRoomItem.pre_count.set(pre_count),
                    WaitingRoomItem.drawing_until.remove(),
                    WaitingRoomItem.gsi1pk.remove(),
                    WaitingRoomItem.gsi1sk.remove(),
                ],
                condition=WaitingRoomItem.drawn_at.does_not_exist(),
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True


class RoomGetter(Protocol):
    def get_room(self, room_id: str) -> WaitingRoom | None: ...


class RecentRooms:
    """Room configurations remembered per instance: every join and position request needs
    its room, and during an on-sale thousands ask for the same one. Around a change that
    matters (the opening, the draw) the memory is kept short, so the draw shows within
    seconds; otherwise up to `seconds`."""

    SHORT = 2.0

    def __init__(self, store: RoomGetter, clock: Clock, seconds: float = 30.0) -> None:
        self.store = store
        self.clock = clock
        self.seconds = seconds
        self._recent: Recent[str, WaitingRoom | None] = Recent(seconds, self._lifetime)

    def get(self, room_id: str) -> WaitingRoom | None:
        return self._recent.get(room_id, lambda: self.store.get_room(room_id))

    def forget(self, room_id: str) -> None:
        self._recent.forget(room_id)

    def _lifetime(self, room: WaitingRoom | None) -> float:
        if room is None or room.drawn:
            return self.seconds
        near_opening = room.opens_at - timedelta(seconds=self.seconds) <= self.clock.now()
        return min(self.SHORT, self.seconds) if near_opening else self.seconds


def _place_pk(room_id: str, ticket: str) -> str:
    return keys.place_pk(room_id, keys.place_shard(ticket))


def _room(item: WaitingRoomItem) -> WaitingRoom:
    return WaitingRoom(
        id=item.id,
        house=item.house,
        performances=tuple(item.performances),
        opens_at=from_ms(item.opens_at),
        closes_at=from_ms(item.closes_at),
        admit_per_minute=int(item.admit_per_minute),
        session_minutes=int(item.session_minutes),
        claim_minutes=int(item.claim_minutes),
        max_holds_per_identity=int(item.max_holds_per_identity),
        max_seats_per_identity=int(item.max_seats_per_identity),
        drawn_at=from_ms(item.drawn_at) if item.drawn_at is not None else None,
        pre_count=int(item.pre_count or 0),
    )


def _place_item(place: Place, room: WaitingRoom) -> PlaceItem:
    return PlaceItem(
        pk=_place_pk(place.room, place.ticket),
        sk=keys.place_sk(place.ticket),
        room=place.room,
        house=place.house,
        ticket=place.ticket,
        client=place.client,
        email=place.email,
        arrived_at=ms(place.arrived_at),
        phase=place.phase.value,
        draw_key=place.key,
        seq=place.seq,
        position=place.position,
        expires=room.closes_at + GARBAGE_AFTER,
    )


def _place(item: PlaceItem) -> Place:
    return Place(
        room=item.room,
        house=item.house,
        ticket=item.ticket,
        client=item.client,
        email=item.email,
        arrived_at=from_ms(item.arrived_at),
        phase=Phase(item.phase),
        key=int(item.draw_key) if item.draw_key is not None else None,
        seq=int(item.seq) if item.seq is not None else None,
        position=int(item.position) if item.position is not None else None,
    )
