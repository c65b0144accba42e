"""A small hall with a seat map, and performances in it, written to the table."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.catalogue.model import CatalogueSet, Hall, HallLayout, Performance, PriceZone
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import Clock
from chalicelib.inventory.seatmap import GaPool, Seat, SeatAttribute, SeatMap, Section
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.onsale.gate import RoomGate
from chalicelib.onsale.store import DynamoRoomStore, RecentRooms
from chalicelib.onsale.tokens import Signer
from tests import factories as f

# Signs the admission tokens of the tests' waiting rooms.
SIGNER = Signer(b"integration-admission-secret-of-at-least-32-bytes")

ROWS = "ABCDE"
PER_ROW = 10
ZONES = (
    PriceZone(id="zone-1", name={"nl": "Rang 1"}, rank=1, color="#6b2bd9"),
    PriceZone(id="zone-2", name={"nl": "Rang 2"}, rank=2, color="#2b8cd9"),
)


def studio_map(map_id: str, hall_id: str, pool_capacity: int = 0) -> SeatMap:
    """5 rows of 10: rows A-B zone 1, C-E zone 2; A1 a wheelchair space, A2 its companion."""
    seats = []
    for y, row in enumerate(ROWS):
        for number in range(1, PER_ROW + 1):
            attributes: frozenset[SeatAttribute] = frozenset()
            if (row, number) == ("A", 1):
                attributes = frozenset({SeatAttribute.WHEELCHAIR})
            elif (row, number) == ("A", 2):
                attributes = frozenset({SeatAttribute.COMPANION})
            seats.append(
                Seat(
                    id=f"zaal-{row.lower()}-{number}",
                    section="zaal",
                    row=row,
                    number=number,
                    x=float(number),
                    y=float(y),
                    zone="zone-1" if row in "AB" else "zone-2",
                    attributes=attributes,
                )
            )
    pools = (
        (
            GaPool(
                "staan",
                {"nl": "Staanplaatsen", "fr": "Debout", "en": "Standing"},
                pool_capacity,
                "zone-2",
            ),
        )
        if pool_capacity
        else ()
    )
    return SeatMap(
        id=map_id,
        hall=hall_id,
        sections=(Section("zaal", {"nl": "Zaal", "fr": "Salle", "en": "Hall"}),),
        seats=tuple(seats),
        pools=pools,
    )


def new_performance(
    pool_capacity: int = 0, starts_at: datetime = f.T0 + timedelta(days=30), **changes: Any
) -> str:
    """A fresh on-sale performance in a 50-seat studio (plus a standing pool if asked)."""
    performance_id = f"test-{uuid.uuid4().hex[:12]}"
    hall_id = f"studio-{pool_capacity}"
    seat_map = studio_map(f"{hall_id}-map", hall_id, pool_capacity)
    hall = f.hall(
        id=hall_id,
        capacity=seat_map.capacity,
        price_zones=ZONES,
        seat_map=seat_map.id,
        layout=HallLayout.MIXED if pool_capacity else HallLayout.SEATED,
    )
    performance = replace(
        f.performance(performance_id, starts_at=starts_at, **changes),
        hall=hall_id,
    )
    save_in_hall(performance, hall, seat_map)
    return performance_id


def save_in_hall(performance: Performance, hall: Hall, seat_map: SeatMap | None) -> None:
    """Write a performance with everything its page and its holds read (without a seat map,
    the hall's map is one nobody imported)."""
    DynamoCatalogueStore().save_all(
        CatalogueSet(
            clusters=(f.cluster(),),
            houses=(f.house(),),
            venues=(f.venue(),),
            halls=(hall,),
            productions=(f.production(),),
            performances=(performance,),
        )
    )
    if seat_map is not None:
        DynamoInventoryStore().save_seat_map(hall.house, seat_map)


def inventory_service(clock: Clock, *, gated: bool = False) -> InventoryService:
    """The inventory service on the table; `gated`: with the waiting room's gate, as the public
    hold route runs it (no caching of the rooms, so a room written by a test applies at once)."""
    if not gated:
        return InventoryService(DynamoInventoryStore(), DynamoCatalogueStore(), clock)
    rooms = DynamoRoomStore()
    gate = RoomGate(rooms, RecentRooms(rooms, clock, seconds=0), lambda: SIGNER, seconds=0)
    return InventoryService(DynamoInventoryStore(), DynamoCatalogueStore(), clock, gate=gate)
