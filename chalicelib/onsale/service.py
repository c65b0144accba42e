"""Waiting-room use cases: configure a room, join it, place the arrivals the queue delivers,
draw the pre-opening crowd, tell a buyer where they are, and admit them.

The path of a join: `join` validates and sends one message (no DynamoDB write) → the queue
absorbs the burst → the consumer calls `place_batch` per batch of up to 10 → `draw` once the
room has opened → `position` and `admit` read the place and the room's clock.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from chalicelib.admin.model import Action
from chalicelib.admin.problems import role_required
from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.clock import Clock
from chalicelib.core.errors import FieldError, invalid
from chalicelib.core.ids import digest
from chalicelib.onsale.model import (
    Admission,
    Arrival,
    Claim,
    Phase,
    Place,
    Position,
    PrePut,
    WaitingRoom,
    admission_for,
    admit_at,
    lapses_at,
    position_at,
    rank,
)
from chalicelib.onsale.problems import (
    admission_lapsed,
    admission_other_client,
    not_admitted_yet,
    room_closed,
    room_not_found,
    ticket_not_found,
)
from chalicelib.onsale.schemas import JoinCommand, RoomCommand
from chalicelib.onsale.tokens import Signer
from chalicelib.store.keys import is_valid_id


class RoomStore(Protocol):
    def get_room(self, room_id: str) -> WaitingRoom | None: ...
    def save_room(self, room: WaitingRoom) -> None: ...
    def undrawn_rooms(self) -> list[str]: ...
    def existing_tickets(self, room: WaitingRoom, tickets: Iterable[str]) -> set[str]: ...
    def next_numbers(self, room: WaitingRoom, count: int) -> int: ...
    def put_post_place(self, place: Place, room: WaitingRoom) -> bool: ...
    def put_pre_place(self, place: Place, room: WaitingRoom) -> PrePut: ...
    def place(self, room: WaitingRoom, ticket: str) -> tuple[Place | None, Claim | None]: ...
    def claim(self, room: WaitingRoom, ticket: str, client: str, now: datetime) -> Claim: ...
    def begin_draw(self, room: WaitingRoom, now: datetime) -> bool: ...
    def close_and_read_pre_places(self, room: WaitingRoom) -> list[Place]: ...
    def write_positions(self, room: WaitingRoom, ranked: Iterable[tuple[Place, int]]) -> None: ...
    def finish_draw(self, room: WaitingRoom, now: datetime, pre_count: int) -> bool: ...


class RoomReader(Protocol):
    """Rooms as the hot paths read them: through a per-instance cache (store.RecentRooms)."""

    def get(self, room_id: str) -> WaitingRoom | None: ...
    def forget(self, room_id: str) -> None: ...


class ArrivalQueue(Protocol):
    def send(self, arrival: Arrival) -> None: ...

    def backlog(self) -> int:
        """Messages waiting or in flight (approximate)."""
        ...


class CatalogueReader(Protocol):
    def find_performance(self, performance_id: str) -> PerformanceDetail | None: ...


class SoldOut(Protocol):
    def sold_out(self, performances: tuple[str, ...]) -> bool: ...


@dataclass(frozen=True)
class Draw:
    room: str
    pre_count: int
    drawn_at: datetime


@dataclass(frozen=True)
class PositionReport:
    room: WaitingRoom
    position: Position
    sold_out: bool


class WaitingRoomService:
    def __init__(
        self,
        store: RoomStore,
        rooms: RoomReader,
        queue: ArrivalQueue,
        catalogue: CatalogueReader,
        sold_out: SoldOut,
        signer: Signer,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.rooms = rooms
        self.queue = queue
        self.catalogue = catalogue
        self.sold_out = sold_out
        self.signer = signer
        self.clock = clock
        # The draw keys must not be predictable: the system's randomness unless a test seeds.
        self.rng = rng or random.SystemRandom()

    # --- staff: configure (HTTP routes come with the admin API) ------------------------------

    def put_room(
        self,
        room_id: str,
        command: RoomCommand,
        houses: frozenset[str],
        existing: WaitingRoom | None,
    ) -> WaitingRoom:
        """Create or reconfigure a room of one of `houses`. Its house: the command's, else the
        caller's only house; a reconfigured room keeps its house. A draw already made is
        kept."""
        house = command.house or (existing.house if existing else None)
        if house is None and len(houses) == 1:
            (house,) = houses
        if house is None:
            raise invalid(FieldError("house", "missing", "one of your houses", "body"))
        if existing is not None and house != existing.house:
            raise invalid(FieldError("house", "a room cannot move house", existing.house, "body"))
        if house not in houses:
            raise role_required(Action.PROGRAMME.value)
        counts = {
            name: value
            for name in (
                "session_minutes",
                "claim_minutes",
                "max_holds_per_identity",
                "max_seats_per_identity",
            )
            if (value := getattr(command, name)) is not None
        }
        room = WaitingRoom(
            id=room_id,
            house=house,
            performances=tuple(command.performances),
            opens_at=command.opens_at,
            closes_at=command.closes_at,
            admit_per_minute=command.admit_per_minute,
            **counts,
        )
        return self.configure(room)

    def configure(self, room: WaitingRoom) -> WaitingRoom:
        errors = room.problems()
        for index, performance_id in enumerate(room.performances):
            detail = is_valid_id(performance_id) and self.catalogue.find_performance(performance_id)
            # Another house's performance is answered like an unknown one.
            if not detail or detail.performance.house != room.house:
                errors.append(
                    FieldError(
                        f"performances[{index}]",
                        f"unknown performance {performance_id!r}",
                        "a performance of this house",
                        "body",
                    )
                )
        if errors:
            raise invalid(*errors)
        self.store.save_room(room)
        self.rooms.forget(room.id)
        return self.store.get_room(room.id) or room

    # --- join: one SQS message, no DynamoDB write ---------------------------------------------

    def room(self, room_id: str) -> WaitingRoom:
        """The room, as the hot paths read it; 404 for an unknown one."""
        return self._room(room_id)

    def join(self, room_id: str, client_identity: str, command: JoinCommand) -> Arrival:
        room = self._room(room_id)
        email = command.email
        now = self.clock.now()
        if now >= room.closes_at:
            raise room_closed()
        arrival = Arrival(
            room=room.id,
            ticket=self.signer.new_ticket(room.id, now),
            client=digest(client_identity),
            email=self.signer.email_digest(email) if email else None,
            arrived_at=now,
        )
        self.queue.send(arrival)
        return arrival

    # --- the consumer -------------------------------------------------------------------------

    def plan_batch(self, arrivals: Iterable[Arrival]) -> dict[str, Place | None]:
        """Places for one batch of arrivals, by ticket; None for a ticket that already has
        one (a duplicate delivery). Per room: one BatchGet, one ADD for all new post-opening
        arrivals, a random key for each pre-opening one. An arrival of an unknown room is
        left out: its message fails alone."""
        by_room: dict[str, list[Arrival]] = {}
        for arrival in arrivals:
            by_room.setdefault(arrival.room, []).append(arrival)
        plan: dict[str, Place | None] = {}
        for room_id, group in by_room.items():
            room = self.rooms.get(room_id)
            if room is None:
                continue
            unique = list({a.ticket: a for a in group}.values())
            existing = self.store.existing_tickets(room, (a.ticket for a in unique))
            new = [a for a in unique if a.ticket not in existing]
            plan.update(dict.fromkeys(existing))
            post = sorted(
                (a for a in new if room.phase_of(a.arrived_at) is Phase.POST),
                key=lambda a: a.arrived_at,
            )
            first = self.store.next_numbers(room, len(post)) if post else 0
            for number, arrival in enumerate(post, start=first):
                plan[arrival.ticket] = _place(room, arrival, Phase.POST, seq=number)
            for arrival in new:
                if room.phase_of(arrival.arrived_at) is Phase.PRE:
                    key = self.rng.getrandbits(64)
                    plan[arrival.ticket] = _place(room, arrival, Phase.PRE, key=key)
        return plan

    def settle(self, place: Place | None) -> None:
        """Write one planned place. Idempotent: a place already there is left as it is."""
        if place is None:
            return
        room = self.rooms.get(place.room)
        if room is None:
            raise LookupError(f"no waiting room {place.room!r}")
        if place.phase is Phase.POST:
            self.store.put_post_place(place, room)
            return
        if self.store.put_pre_place(place, room) is PrePut.CLOSED:
            # Arrived before the opening but reached us after the draw began: to the back.
            seq = self.store.next_numbers(room, 1)
            self.store.put_post_place(replace(place, phase=Phase.POST, key=None, seq=seq), room)

    def draw_if_due(self, arrivals: Iterable[Arrival]) -> list[Draw]:
        """After a batch: draw the rooms this batch shows the queue to be past the opening of
        (or past the deadline)."""
        now = self.clock.now()
        past: dict[str, bool] = {}
        for arrival in arrivals:
            room = self.rooms.get(arrival.room)
            if room is not None:
                past[room.id] = past.get(room.id, False) or room.past_opening(arrival.arrived_at)
        draws = []
        for room_id, queue_past_opening in past.items():
            room = self.rooms.get(room_id)
            if room is not None and room.draw_due(now, queue_past_opening):
                drawn = self.draw(room_id, queue_past_opening)
                if drawn:
                    draws.append(drawn)
        return draws

    # --- the draw -----------------------------------------------------------------------------

    def draw(self, room_id: str, queue_past_opening: bool = True) -> Draw | None:
        """Rank the pre-opening places by their random keys, once. None when the room is not
        due, already drawn, or someone else holds the drawer's lease. A drawer that dies
        midway is taken over when its lease runs out; ranking is deterministic, so the
        positions it wrote are written again the same."""
        room = self.store.get_room(room_id)  # fresh: the cache may not know of a draw
        now = self.clock.now()
        if room is None or not room.draw_due(now, queue_past_opening):
            return None
        if not self.store.begin_draw(room, now):
            return None
        ranked = rank(self.store.close_and_read_pre_places(room))
        self.store.write_positions(room, ranked)
        drawn_at = self.clock.now()
        if not self.store.finish_draw(room, drawn_at, len(ranked)):
            return None
        self.rooms.forget(room_id)
        return Draw(room_id, len(ranked), drawn_at)

    def draw_due_rooms(self) -> list[Draw]:
        """The scheduled draw: every room past its opening that nobody has drawn yet, once the
        queue is empty (nothing from before the opening can still be on its way) or past the
        deadline."""
        now = self.clock.now()
        rooms = [r for r in map(self.rooms.get, self.store.undrawn_rooms()) if r is not None]
        due = [r for r in rooms if r.draw_due(now, queue_past_opening=True)]
        if not due:
            return []
        empty = self.queue.backlog() == 0
        draws = [self.draw(room.id, empty) for room in due]
        return [d for d in draws if d is not None]

    # --- the buyer: position and admission ---------------------------------------------------

    def position(self, room_id: str, ticket: str) -> PositionReport:
        room = self._room(room_id)
        self._check_ticket(room, ticket)
        place, _ = self.store.place(room, ticket)
        report = position_at(room, place, self.clock.now(), self.signer.issued_at(ticket))
        return PositionReport(room, report, self.sold_out.sold_out(room.performances))

    def admit(self, room_id: str, ticket: str, client_identity: str) -> tuple[str, Admission]:
        """The admission token of an admitted place, claimed by its own client once; asking
        again returns the same token (the session is not renewed)."""
        room = self._room(room_id)
        self._check_ticket(room, ticket)
        client = digest(client_identity)
        place, claim = self.store.place(room, ticket)
        if place is None:
            raise not_admitted_yet(None)
        if place.client != client:
            raise admission_other_client()
        if claim is None:
            now = self.clock.now()
            position = place.position_in(room)
            if position is None or now < admit_at(room, position):
                raise not_admitted_yet(position)
            if now >= lapses_at(room, position):
                raise admission_lapsed()
            claim = self.store.claim(room, ticket, client, now)
        if claim.client != client:
            raise admission_other_client()
        admission = admission_for(room, place, claim)
        return self.signer.admission_token(admission), admission

    # --- internals ----------------------------------------------------------------------------

    def _room(self, room_id: str) -> WaitingRoom:
        room = is_valid_id(room_id) and self.rooms.get(room_id)
        if not room:
            raise room_not_found(room_id)
        return room

    def _check_ticket(self, room: WaitingRoom, ticket: str | None) -> None:
        if not ticket or not self.signer.is_ticket_of(room.id, ticket):
            raise ticket_not_found()


def _place(
    room: WaitingRoom,
    arrival: Arrival,
    phase: Phase,
    key: int | None = None,
    seq: int | None = None,
) -> Place:
    return Place(
        room=room.id,
        house=room.house,
        ticket=arrival.ticket,
        client=arrival.client,
        email=arrival.email,
        arrived_at=arrival.arrived_at,
        phase=phase,
        key=key,
        seq=seq,
    )
