"""What the public seat-plan and hold routes read and answer: the hold command the service
takes (chosen seats, best available, or standing places), the seat plan, and a hold."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from chalicelib.catalogue.model import availability_level
from chalicelib.catalogue.schemas import PriceZoneReply, price_zones
from chalicelib.core.edge import Body, Moment, Reply, Whole, expect
from chalicelib.core.i18n import pick
from chalicelib.inventory.model import Hold, HoldState, SeatState
from chalicelib.inventory.seatmap import SeatAttribute, SeatMap, seat_label

if TYPE_CHECKING:  # the service imports the command from here
    from chalicelib.inventory.service import SeatPlan

SHAPES = '{"seats": [ids]} or {"quantity": n, "zone"?: id} or {"quantity": n, "pool": id}'


class HoldCommand(Body):
    """{"seats": [ids]} or {"quantity": n, "zone"?: id} or {"quantity": n, "pool": id}

    Chosen seats, or a quantity: the best available seats (of one price zone, if given), or
    places in a standing pool. Which seats, zones and pools exist is the performance's hall's
    to say: the service checks them against its seat map."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"seats": ["zaal-c-4", "zaal-c-5"]},
                {"quantity": 2, "zone": "zone-1"},
                {"quantity": 3, "pool": "staan"},
            ]
        }
    )

    seats: Annotated[list[str] | None, expect("a list of seat ids", min_length=1)] = None
    quantity: Annotated[Whole | None, expect("a positive whole number", ge=1)] = None
    zone: Annotated[str | None, expect("a price zone id of the hall")] = None
    pool: Annotated[str | None, expect("a standing pool id of the hall")] = None

    @model_validator(mode="after")
    def _one_shape(self) -> HoldCommand:
        if self.seats is not None:
            if self.quantity is not None or self.zone is not None or self.pool is not None:
                raise _shape("seats", "give seats or a quantity, not both")
        elif self.quantity is None:
            raise _shape("quantity", "not a positive whole number")
        elif self.zone is not None and self.pool is not None:
            raise _shape("zone", "give a zone or a pool, not both")
        return self


def _shape(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("hold_shape", message, {"field": field, "expected": SHAPES})


# --- the seat plan -------------------------------------------------------------------------

# The public sees a seat as taken without learning whether it is held or sold.
PublicSeatState = Literal["free", "unavailable", "blocked"]
_PUBLIC_STATE: dict[SeatState, PublicSeatState] = {
    SeatState.FREE: "free",
    SeatState.HELD: "unavailable",
    SeatState.SOLD: "unavailable",
    SeatState.BLOCKED: "blocked",
}


class SectionReply(Reply):
    id: str
    name: str


class SeatReply(Reply):
    id: str
    section: str
    row: str = Field(description="as printed on the row end")
    number: int
    x: float = Field(description="drawing coordinates; the stage is at the top (small y)")
    y: float
    zone: str
    attributes: list[SeatAttribute]
    label: str = Field(description='what a ticket says: "Zaal rij C stoel 4"')
    state: PublicSeatState = Field(description="held and sold both read as unavailable")


class PoolReply(Reply):
    id: str
    name: str
    zone: str
    capacity: int
    remaining: int


class SummaryReply(Reply):
    capacity: int
    free_seats: int
    free_places: int = Field(description="in the standing pools")
    level: str = Field(
        description="available, limited or sold_out: the rule of the static availability badges"
    )


_SEAT_EXAMPLE: JsonDict = {
    "id": "zaal-a-1",
    "section": "zaal",
    "row": "A",
    "number": 1,
    "x": 10.0,
    "y": 20.0,
    "zone": "zone-1",
    "attributes": ["wheelchair"],
    "label": "Zaal rij A stoel 1",
    "state": "free",
}


class SeatPlanReply(Reply):
    """A performance's seat map with each seat's state now, the standing pools, and the waiting
    room that holds need an admission of, if any."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "performance": "ntgent-de-storm-2027-01-15",
                    "hall": "ntgent-grote-zaal",
                    "seat_map": "ntgent-grote-zaal-2026",
                    "waiting_room": None,
                    "zones": [
                        {"id": "zone-1", "name": "Rang 1", "rank": 1, "color": "#b03a2e"},
                        {"id": "zone-2", "name": "Rang 2", "rank": 2, "color": "#2e86c1"},
                    ],
                    "sections": [{"id": "zaal", "name": "Zaal"}],
                    "seats": [_SEAT_EXAMPLE],
                    "pools": [
                        {
                            "id": "staan",
                            "name": "Staanplaatsen",
                            "zone": "zone-2",
                            "capacity": 30,
                            "remaining": 30,
                        }
                    ],
                    "summary": {
                        "capacity": 80,
                        "free_seats": 50,
                        "free_places": 30,
                        "level": "available",
                    },
                }
            ]
        }
    )

    performance: str
    hall: str
    seat_map: str
    waiting_room: str | None = Field(description="holds need this room's admission now")
    zones: list[PriceZoneReply] = Field(description="best zone first")
    sections: list[SectionReply]
    seats: list[SeatReply]
    pools: list[PoolReply]
    summary: SummaryReply

    @classmethod
    def of(cls, plan: SeatPlan, lang: str) -> SeatPlanReply:
        seat_map = plan.seat_map
        # As availability.remaining counts for the static badges (that module composes from
        # the container, which a service may not import): blocked seats are taken.
        free_seats = plan.count(SeatState.FREE)
        free_places = sum(plan.pools_remaining.values())
        return cls(
            performance=plan.detail.performance.id,
            hall=plan.detail.hall.id,
            seat_map=seat_map.id,
            waiting_room=plan.waiting_room,
            zones=price_zones(plan.detail.hall, lang),
            sections=[SectionReply(id=s.id, name=pick(s.name, lang)) for s in seat_map.sections],
            seats=[
                SeatReply(
                    id=seat.id,
                    section=seat.section,
                    row=seat.row,
                    number=seat.number,
                    x=seat.x,
                    y=seat.y,
                    zone=seat.zone,
                    attributes=sorted(seat.attributes),
                    label=seat_label(seat_map, seat, lang),
                    state=_PUBLIC_STATE[plan.states[seat.id]],
                )
                for seat in seat_map.seats
            ],
            pools=[
                PoolReply(
                    id=pool.id,
                    name=pick(pool.name, lang),
                    zone=pool.zone,
                    capacity=pool.capacity,
                    remaining=plan.pools_remaining[pool.id],
                )
                for pool in seat_map.pools
            ],
            summary=SummaryReply(
                capacity=seat_map.capacity,
                free_seats=free_seats,
                free_places=free_places,
                level=availability_level(free_seats + free_places, seat_map.capacity),
            ),
        )


# --- a hold --------------------------------------------------------------------------------


class HeldSeatReply(Reply):
    id: str
    label: str
    zone: str
    section: str
    row: str
    number: int


class HeldPlacesReply(Reply):
    pool: str
    name: str
    quantity: int


_HOLD_EXAMPLE: JsonDict = {
    "hold_id": "h-7kq2m9x4",
    "performance": "ntgent-de-storm-2027-01-15",
    "state": "active",
    "seats": [
        {
            "id": "zaal-c-4",
            "label": "Zaal rij C stoel 4",
            "zone": "zone-1",
            "section": "zaal",
            "row": "C",
            "number": 4,
        }
    ],
    "ga": [],
    "quantity": 1,
    "expires_at": "2027-01-10T09:15:00Z",
    "extended": False,
}


class HoldReply(Reply):
    """A hold, to its holder: its seats and standing places, and until when it holds them."""

    model_config = ConfigDict(json_schema_extra={"examples": [_HOLD_EXAMPLE]})

    hold_id: str
    performance: str
    state: HoldState
    seats: list[HeldSeatReply]
    ga: list[HeldPlacesReply] = Field(description="standing places, per pool")
    quantity: int = Field(description="seats and standing places together")
    expires_at: Moment
    extended: bool = Field(description="extended once, when checkout started")

    @classmethod
    def of(cls, hold: Hold, seat_map: SeatMap, lang: str, now: datetime) -> HoldReply:
        seats = [seat for seat_id in hold.seats if (seat := seat_map.seat(seat_id))]
        return cls(
            hold_id=hold.id,
            performance=hold.performance,
            state=hold.state_at(now),
            seats=[
                HeldSeatReply(
                    id=seat.id,
                    label=seat_label(seat_map, seat, lang),
                    zone=seat.zone,
                    section=seat.section,
                    row=seat.row,
                    number=seat.number,
                )
                for seat in seats
            ],
            ga=_places(hold, seat_map, lang),
            quantity=hold.quantity,
            expires_at=hold.held_until,
            extended=hold.extended,
        )


class NewHoldReply(HoldReply):
    """A hold just taken, with the secret that reads, releases and orders it."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_HOLD_EXAMPLE, "hold_token": "Yx3v…secret"}]}
    )

    hold_token: str = Field(description="send it as X-Hold-Token; shown only once")

    @classmethod
    def taken(
        cls, hold: Hold, token: str, seat_map: SeatMap, lang: str, now: datetime
    ) -> NewHoldReply:
        return cls(**dict(HoldReply.of(hold, seat_map, lang, now)), hold_token=token)


def _places(hold: Hold, seat_map: SeatMap, lang: str) -> list[HeldPlacesReply]:
    """A hold's standing places, per pool (a hold may span several shards of one)."""
    per_pool: dict[str, int] = {}
    for allocation in hold.ga:
        per_pool[allocation.pool] = per_pool.get(allocation.pool, 0) + allocation.quantity
    places = []
    for pool_id, quantity in per_pool.items():
        pool = seat_map.pool(pool_id)
        name = pick(pool.name, lang) if pool else pool_id
        places.append(HeldPlacesReply(pool=pool_id, name=name, quantity=quantity))
    return places
