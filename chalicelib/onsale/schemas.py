"""What the waiting room reads and answers: a join, a position, an admission, a room as staff
configure it, and the queue message a join sends to the consumer."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.core.edge import Body, Id, Instant, Moment, Query, Reply, Whole, expect
from chalicelib.onsale.model import Arrival, PlaceState, Position, WaitingRoom

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
_TICKET = "the ticket the join answered"
_COUNT = "a whole number > 0"

# --- the buyer ---------------------------------------------------------------------------


class JoinCommand(Body):
    """{"email"?: address}

    Optional: with an address, the identity limits of the on-sale also count the holds of
    everyone who gave the same address (only its keyed digest travels on)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "an@example.be"}]})

    email: Annotated[str | None, expect("an e-mail address such as name@example.be")] = None

    @field_validator("email")
    @classmethod
    def _an_address(cls, email: str | None) -> str | None:
        if email is None:
            return None
        if not EMAIL.match(email.strip()):
            raise PydanticCustomError("email", "not an e-mail address")
        return email.strip() or None


class JoinReply(Reply):
    """A place in the queue is on its way: poll `position_url`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ticket": "wr1.room-storm.lq3k9c.f3a1…",
                    "room": "room-storm",
                    "position_url": "/v1/waiting-rooms/room-storm/position?ticket=wr1.room-storm…",
                }
            ]
        }
    )

    ticket: str = Field(description="keep it: it is the place in the queue")
    room: str
    position_url: str


class PositionQuery(Query):
    ticket: Annotated[str, expect(_TICKET, min_length=1)]


class PositionReply(Reply):
    """Where a ticket stands, and when to ask again."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "state": "waiting",
                    "position": 412,
                    "ahead": 37,
                    "estimated_wait_seconds": 38,
                    "admit_at": "2027-01-10T09:01:43Z",
                    "opens_at": "2027-01-10T09:00:00Z",
                    "sold_out": False,
                    "poll_after_seconds": 19,
                }
            ]
        }
    )

    state: PlaceState
    position: int | None = Field(description="known once the room has drawn")
    ahead: int | None
    estimated_wait_seconds: int | None
    admit_at: Moment | None
    opens_at: Moment
    sold_out: bool
    poll_after_seconds: int | None = Field(description="null: no need to ask again")

    @classmethod
    def of(cls, place: Position, opens_at: datetime, sold_out: bool) -> PositionReply:
        return cls(
            state=place.state,
            position=place.position,
            ahead=place.ahead,
            estimated_wait_seconds=place.estimated_wait_seconds,
            admit_at=place.admit_at,
            opens_at=opens_at,
            sold_out=sold_out,
            # Nothing left to wait for once sold out: the webshop stops polling.
            poll_after_seconds=None if sold_out else place.poll_after_seconds,
        )


class AdmissionCommand(Body):
    """{"ticket": ...}"""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ticket": "wr1.room-storm.lq3k9c.f3a1…"}]}
    )

    ticket: Annotated[str, expect(_TICKET)]


class AdmissionReply(Reply):
    """The admission token that holds on the room's performances want, until it expires."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "admission_token": "adm1.eyJyIjoicm9vbS1zdG9ybSJ9.c2ln",
                    "expires_at": "2027-01-10T09:16:43Z",
                    "room": "room-storm",
                    "performances": ["ntgent-de-storm-2027-01-15"],
                }
            ]
        }
    )

    admission_token: str = Field(description="send it as X-Admission-Token with each hold")
    expires_at: Moment
    room: str
    performances: list[str]


# --- staff -------------------------------------------------------------------------------


class RoomCommand(Body):
    """a waiting room

    Its performances, when it opens and closes, and how many places it admits per minute.
    `house`: one of the caller's houses (left out: their only one); a room keeps its house."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "house": "ntgent",
                    "performances": ["ntgent-de-storm-2027-01-15", "ntgent-de-storm-2027-01-16"],
                    "opens_at": "2027-01-10T09:00:00Z",
                    "closes_at": "2027-01-10T12:00:00Z",
                    "admit_per_minute": 300,
                }
            ]
        }
    )

    house: Annotated[str | None, Id] = None
    performances: Annotated[list[str], expect("[performance ids]")]
    opens_at: Annotated[Instant, expect("an instant such as 2027-01-15T09:00:00Z")]
    closes_at: Annotated[Instant, expect("an instant such as 2027-01-15T09:00:00Z")]
    admit_per_minute: Annotated[Whole, expect(_COUNT, ge=1)]
    session_minutes: Annotated[Whole | None, expect(_COUNT, ge=1)] = None
    claim_minutes: Annotated[Whole | None, expect(_COUNT, ge=1)] = None
    max_holds_per_identity: Annotated[Whole | None, expect(_COUNT, ge=1)] = None
    max_seats_per_identity: Annotated[Whole | None, expect(_COUNT, ge=1)] = None


class RoomReply(Reply):
    """A waiting room as configured, and its draw once made."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "room-storm",
                    "house": "ntgent",
                    "performances": ["ntgent-de-storm-2027-01-15"],
                    "opens_at": "2027-01-10T09:00:00Z",
                    "closes_at": "2027-01-10T12:00:00Z",
                    "admit_per_minute": 300,
                    "session_minutes": 15,
                    "claim_minutes": 10,
                    "max_holds_per_identity": 2,
                    "max_seats_per_identity": 6,
                    "drawn_at": None,
                    "pre_count": 0,
                }
            ]
        }
    )

    id: str
    house: str
    performances: list[str]
    opens_at: Moment
    closes_at: Moment
    admit_per_minute: int
    session_minutes: int
    claim_minutes: int
    max_holds_per_identity: int
    max_seats_per_identity: int
    drawn_at: Moment | None = Field(description="when the pre-opening crowd was ranked")
    pre_count: int = Field(description="how many arrived before the opening")

    @classmethod
    def of(cls, room: WaitingRoom) -> RoomReply:
        return cls(
            id=room.id,
            house=room.house,
            performances=list(room.performances),
            opens_at=room.opens_at,
            closes_at=room.closes_at,
            admit_per_minute=room.admit_per_minute,
            session_minutes=room.session_minutes,
            claim_minutes=room.claim_minutes,
            max_holds_per_identity=room.max_holds_per_identity,
            max_seats_per_identity=room.max_seats_per_identity,
            drawn_at=room.drawn_at,
            pre_count=room.pre_count,
        )


# --- the queue ---------------------------------------------------------------------------


def _milliseconds(moment: datetime) -> str:
    # Arrivals within one second are told apart: first come, first served after the opening.
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ArrivalMessage(BaseModel):
    """The queue message of a join: digests only, never an address. Keys it does not know
    are ignored, so a message sent by the previous release is still placed."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    room: str
    ticket: str
    client: str = Field(description="digest of the client identity, as holds compute it")
    email: str | None = Field(default=None, description="keyed digest of the address")
    arrived_at: Annotated[Instant, PlainSerializer(_milliseconds, return_type=str)]

    @classmethod
    def of(cls, arrival: Arrival) -> ArrivalMessage:
        return cls(
            room=arrival.room,
            ticket=arrival.ticket,
            client=arrival.client,
            email=arrival.email,
            arrived_at=arrival.arrived_at,
        )

    def arrival(self) -> Arrival:
        return Arrival(self.room, self.ticket, self.client, self.email, self.arrived_at)


def arrival_message(arrival: Arrival) -> dict[str, Any]:
    """The queue message's JSON."""
    message: dict[str, Any] = ArrivalMessage.of(arrival).model_dump(mode="json")
    return message
