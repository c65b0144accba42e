"""In-memory stand-ins for the waiting room's adapters, for unit tests of its service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from chalicelib.onsale.model import Arrival, Claim, Phase, Place, PrePut, WaitingRoom


@dataclass
class FakeRoomStore:
    rooms: dict[str, WaitingRoom] = field(default_factory=dict)
    places: dict[tuple[str, str], Place] = field(default_factory=dict)
    claims: dict[tuple[str, str], Claim] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    leases: dict[str, datetime] = field(default_factory=dict)
    writes: int = 0

    def get_room(self, room_id: str) -> WaitingRoom | None:
        return self.rooms.get(room_id)

    def save_room(self, room: WaitingRoom) -> None:
        self.writes += 1
        previous = self.rooms.get(room.id)
        if previous and previous.drawn:
            room = replace(room, drawn_at=previous.drawn_at, pre_count=previous.pre_count)
        self.rooms[room.id] = room

    def undrawn_rooms(self) -> list[str]:
        return [r.id for r in self.rooms.values() if not r.drawn]

    def existing_tickets(self, room: WaitingRoom, tickets: Iterable[str]) -> set[str]:
        return {t for t in tickets if (room.id, t) in self.places}

    def next_numbers(self, room: WaitingRoom, count: int) -> int:
        self.writes += 1
        self.counters[room.id] = self.counters.get(room.id, 0) + count
        return self.counters[room.id] - count + 1

    def put_post_place(self, place: Place, room: WaitingRoom) -> bool:
        self.writes += 1
        return self.places.setdefault((room.id, place.ticket), place) is place

    def put_pre_place(self, place: Place, room: WaitingRoom) -> PrePut:
        if room.id in self.closed:
            return PrePut.CLOSED
        return PrePut.CREATED if self.put_post_place(place, room) else PrePut.EXISTS

    def place(self, room: WaitingRoom, ticket: str) -> tuple[Place | None, Claim | None]:
        return self.places.get((room.id, ticket)), self.claims.get((room.id, ticket))

    def claim(self, room: WaitingRoom, ticket: str, client: str, now: datetime) -> Claim:
        return self.claims.setdefault((room.id, ticket), Claim(ticket, client, now))

    def begin_draw(self, room: WaitingRoom, now: datetime) -> bool:
        lease = self.leases.get(room.id)
        if self.rooms[room.id].drawn or (lease and lease > now):
            return False
        self.leases[room.id] = now
        return True

    def close_and_read_pre_places(self, room: WaitingRoom) -> list[Place]:
        self.closed.add(room.id)
        return [p for (r, _), p in self.places.items() if r == room.id and p.phase is Phase.PRE]

    def write_positions(self, room: WaitingRoom, ranked: Iterable[tuple[Place, int]]) -> None:
        for place, position in ranked:
            self.places[(room.id, place.ticket)] = replace(place, position=position)

    def finish_draw(self, room: WaitingRoom, now: datetime, pre_count: int) -> bool:
        if self.rooms[room.id].drawn:
            return False
        self.rooms[room.id] = replace(self.rooms[room.id], drawn_at=now, pre_count=pre_count)
        return True


@dataclass
class UncachedRooms:
    store: FakeRoomStore

    def get(self, room_id: str) -> WaitingRoom | None:
        return self.store.get_room(room_id)

    def forget(self, room_id: str) -> None:
        pass


@dataclass
class FakeQueue:
    sent: list[Arrival] = field(default_factory=list)

    def send(self, arrival: Arrival) -> None:
        self.sent.append(arrival)

    def drain(self) -> list[Arrival]:
        taken, self.sent = self.sent, []
        return taken

    def backlog(self) -> int:
        return len(self.sent)


@dataclass
class FixedSoldOut:
    answer: bool = False

    def sold_out(self, performances: tuple[str, ...]) -> bool:
        return self.answer
