"""The waiting room's rules, without AWS or HTTP.

Everyone who arrives before the opening gets a random place among the early arrivals (so
refreshing early gains nothing); after the opening it is first come, first served. Admission is
a clock, not a queue: from the draw on, `admit_per_minute` places are admitted per minute, and
a place that is not claimed in time simply lapses. Nobody has to dequeue anybody, so an
abandoned place never stalls the people behind it.

All times are instants (UTC); arithmetic on them is done in whole microseconds so that
`admitted_upto` and `admit_at` agree exactly at every boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.core.errors import FieldError
from chalicelib.store.keys import is_valid_id

_US_PER_MINUTE = 60_000_000
_ONE_US = timedelta(microseconds=1)

# Holds on a room's performances need admission from this long before the opening: nobody
# slips in through the hold API in the last minutes before the room opens.
GATE_MARGIN = timedelta(minutes=15)
# The draw waits for everyone who arrived before the opening to have a place: at least this long
# after the opening, and then until the queue is past the opening (the consumer brings an
# arrival from after opens_at + DRAW_SETTLE, or the queue is empty), but no longer than
# DRAW_DEADLINE, so a consumer far behind keeps the early ones waiting no longer than that. A
# pre-opening arrival that still comes after the draw goes to the back. (Drawing 5 s after the
# opening regardless sent hundreds of early arrivals to the back of a 5,000-buyer peak.)
DRAW_SETTLE = timedelta(seconds=5)
DRAW_DEADLINE = timedelta(minutes=2)
# How soon a waiting buyer should ask again: often near a change, rarely when the turn is far
# (every waiting browser polls, so the ceiling sets the load; docs/scaling.md).
POLL_SOON = 2
POLL_CEILING = 30
MAX_PERFORMANCES = 500  # a whole house's season; the gate items are written one per performance


class Phase(StrEnum):
    PRE = "pre"  # arrived before the opening: ranked by a random key at the draw
    POST = "post"  # arrived after (or was processed after the draw): first come, first served


class PlaceState(StrEnum):
    QUEUED = "queued"  # the arrival is still on its way through the queue
    BEFORE_OPENING = "before_opening"
    WAITING = "waiting"
    ADMITTED = "admitted"
    EXPIRED = "expired"  # admitted, but not claimed within claim_minutes


@dataclass(frozen=True)
class WaitingRoom:
    """One on-sale: a performance, a set of them, or a season opening resolved to its
    performances. `drawn_at` and `pre_count` are set once, by the draw."""

    id: str
    house: str
    performances: tuple[str, ...]
    opens_at: datetime
    closes_at: datetime
    admit_per_minute: int
    session_minutes: int = 15
    claim_minutes: int = 10
    max_holds_per_identity: int = 2
    max_seats_per_identity: int = 6
    drawn_at: datetime | None = None
    pre_count: int = 0

    def problems(self) -> list[FieldError]:
        """What is wrong with this configuration, one error per offending field."""
        errors: list[FieldError] = []

        def need(ok: bool, name: str, detail: str, expected: str) -> None:
            if not ok:
                errors.append(FieldError(name, detail, expected, "body"))

        need(is_valid_id(self.id), "id", "malformed id", "lower-case letters, digits and -")
        need(is_valid_id(self.house), "house", "malformed id", "a house id")
        need(bool(self.performances), "performances", "no performances", "at least one")
        need(
            len(self.performances) <= MAX_PERFORMANCES,
            "performances",
            "too many performances",
            f"at most {MAX_PERFORMANCES}",
        )
        need(
            len(set(self.performances)) == len(self.performances),
            "performances",
            "a performance twice",
            "each performance once",
        )
        need(self.opens_at < self.closes_at, "closes_at", "not after opens_at", "after opens_at")
        for name in (
            "admit_per_minute",
            "session_minutes",
            "claim_minutes",
            "max_holds_per_identity",
            "max_seats_per_identity",
        ):
            value = getattr(self, name)
            need(
                isinstance(value, int) and not isinstance(value, bool) and value > 0,
                name,
                "not a positive whole number",
                "a whole number > 0",
            )
        return errors

    @property
    def drawn(self) -> bool:
        return self.drawn_at is not None

    def gates_at(self, now: datetime) -> bool:
        """Whether holds on its performances need an admission now."""
        return self.opens_at - GATE_MARGIN <= now < self.closes_at

    def draw_due(self, now: datetime, queue_past_opening: bool) -> bool:
        if self.drawn or now < self.opens_at + DRAW_SETTLE:
            return False
        return queue_past_opening or now >= self.opens_at + DRAW_DEADLINE

    def past_opening(self, arrived_at: datetime) -> bool:
        """An arrival this late shows the queue has brought what came before the opening."""
        return arrived_at >= self.opens_at + DRAW_SETTLE

    def phase_of(self, arrived_at: datetime) -> Phase:
        """Before the opening and before the draw: a random place among the early ones. The
        consumer may still find the room drawn under it; then it goes to the back (POST)."""
        return Phase.PRE if arrived_at < self.opens_at and not self.drawn else Phase.POST


# --- the admission clock --------------------------------------------------------------------


def admitted_upto(room: WaitingRoom, now: datetime) -> int:
    """Every position up to this one is admitted at `now`: floor(seconds since the draw *
    rate / 60). Zero before the draw."""
    if room.drawn_at is None or now <= room.drawn_at:
        return 0
    elapsed_us = (now - room.drawn_at) // _ONE_US
    return elapsed_us * room.admit_per_minute // _US_PER_MINUTE


def admit_at(room: WaitingRoom, position: int) -> datetime:
    """When `position` is admitted: drawn_at + position * 60 / rate seconds (rounded up to the
    microsecond, so that admitted_upto(admit_at(p)) == p exactly)."""
    assert room.drawn_at is not None, "positions are admitted only after the draw"
    us = -(-position * _US_PER_MINUTE // room.admit_per_minute)
    return room.drawn_at + timedelta(microseconds=us)


def lapses_at(room: WaitingRoom, position: int) -> datetime:
    """An admitted place not claimed by then is given up; the clock never waits for it."""
    return admit_at(room, position) + timedelta(minutes=room.claim_minutes)


# --- places -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrival:
    """What the join sends through the queue: no personal data, only digests."""

    room: str
    ticket: str
    client: str  # digest of the client identity, as holds compute it
    email: str | None  # keyed digest of the e-mail address, when one was given
    arrived_at: datetime


@dataclass(frozen=True)
class Place:
    room: str
    house: str
    ticket: str
    client: str
    email: str | None
    arrived_at: datetime
    phase: Phase
    key: int | None = None  # PRE: the random 64-bit draw key
    seq: int | None = None  # POST: the arrival's number after the pre-opening crowd
    position: int | None = None  # PRE: written by the draw

    def position_in(self, room: WaitingRoom) -> int | None:
        """Known once the room is drawn. A post place's position is computed, not stored:
        post places exist before the draw knows how many pre places there are."""
        if not room.drawn:
            return None
        if self.phase is Phase.PRE:
            return self.position
        assert self.seq is not None
        return room.pre_count + self.seq


def rank(pre_places: Iterable[Place]) -> list[tuple[Place, int]]:
    """The draw: pre-opening places ordered by their random key (the ticket breaks the
    astronomically rare tie, so that two drawers rank identically), numbered from 1."""
    ordered = sorted(pre_places, key=lambda place: (place.key or 0, place.ticket))
    return [(place, index) for index, place in enumerate(ordered, start=1)]


@dataclass(frozen=True)
class Position:
    """What a buyer in the room sees, and when to ask again (None: no need to)."""

    state: PlaceState
    position: int | None
    ahead: int | None
    estimated_wait_seconds: int | None
    admit_at: datetime | None = None
    poll_after_seconds: int | None = POLL_SOON


def position_at(
    room: WaitingRoom, place: Place | None, now: datetime, joined_at: datetime | None = None
) -> Position:
    if place is None:
        # Still in the queue: the longer it has been, the further behind the consumer is, and
        # the less a poll every two seconds would help it catch up.
        queued = _whole_seconds(now - joined_at) if joined_at else 0
        poll = min(POLL_CEILING, max(POLL_SOON, queued // 2))
        return Position(PlaceState.QUEUED, None, None, None, None, poll)
    position = place.position_in(room)
    if position is None:
        if now < room.opens_at:  # nothing changes for this buyer until the draw
            until_draw = _whole_seconds(room.opens_at + DRAW_SETTLE - now)
            poll = min(POLL_CEILING, max(POLL_SOON, until_draw))
            return Position(PlaceState.BEFORE_OPENING, None, None, None, None, poll)
        return Position(PlaceState.WAITING, None, None, None)
    admitted_from = admit_at(room, position)
    if now < admitted_from:
        ahead = max(0, position - 1 - admitted_upto(room, now))
        wait = _whole_seconds(admitted_from - now)
        # Half the wait, so a slower clock or a sell-out is seen in time; never past the turn.
        poll = wait if wait <= POLL_SOON else min(POLL_CEILING, max(POLL_SOON, wait // 2))
        return Position(PlaceState.WAITING, position, ahead, wait, admitted_from, poll)
    state = PlaceState.ADMITTED if now < lapses_at(room, position) else PlaceState.EXPIRED
    return Position(state, position, 0, 0, admitted_from, None)


def _whole_seconds(delta: timedelta) -> int:
    return -(-delta // timedelta(seconds=1))


# --- admission --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A place claimed by its client: the session starts at `claimed_at`, once. Claiming
    again returns the same session, never a fresh one."""

    ticket: str
    client: str
    claimed_at: datetime


@dataclass(frozen=True)
class Admission:
    """What an admission token says (see tokens.py)."""

    room: str
    ticket: str
    client: str
    email: str | None
    issued_at: datetime
    expires_at: datetime


def admission_for(room: WaitingRoom, place: Place, claim: Claim) -> Admission:
    return Admission(
        room=room.id,
        ticket=place.ticket,
        client=place.client,
        email=place.email,
        issued_at=claim.claimed_at,
        expires_at=claim.claimed_at + timedelta(minutes=room.session_minutes),
    )


class PrePut(StrEnum):
    CREATED = "created"
    EXISTS = "exists"  # a duplicate delivery: the place is already there
    CLOSED = "closed"  # the draw has begun: this arrival goes to the back
