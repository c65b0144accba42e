"""Demo data into the table and the pre-rendered catalogue into the bucket. Idempotent:
fixed ids and whole-item puts, so seeding twice leaves the same data."""

from __future__ import annotations

import contextlib

from chalicelib.catalogue.model import CatalogueSet
from chalicelib.catalogue.publisher import CataloguePublisher, S3StaticSink
from chalicelib.catalogue.service import CatalogueService
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import BRUSSELS, Clock, SystemClock
from chalicelib.core.config import settings
from chalicelib.inventory.availability import availability_publisher
from chalicelib.inventory.model import Unavailable
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.store import DynamoInventoryStore
from local.demo.data import build_demo
from local.demo.seatmaps import demo_seat_maps


def seed(clock: Clock | None = None) -> dict[str, int]:
    clock = clock or SystemClock()
    demo = build_demo(clock.now().astimezone(BRUSSELS).date())
    inventory = DynamoInventoryStore()
    # Maps first: a hall is published only once the map it names exists.
    maps = {seat_map.hall: seat_map for seat_map in demo_seat_maps(demo.halls)}
    for hall in demo.halls:
        inventory.save_seat_map(hall.house, maps[hall.id])
    # Blocked before the catalogue is saved: saving publishes the availability snapshot,
    # which must count them (and be the same on a second seeding).
    blocked = _block_technical_seats(demo, maps, inventory, clock)
    service = CatalogueService(DynamoCatalogueStore(), clock)
    sink = S3StaticSink(settings().webshop_bucket)
    service.listeners.append(
        CataloguePublisher(service, sink, availability_publisher(service, sink))
    )
    written = service.save(demo) + len(demo.halls)
    return {"items": written, "performances": len(demo.performances), "blocked": blocked}


def _block_technical_seats(
    demo: CatalogueSet, maps: dict[str, SeatMap], inventory: DynamoInventoryStore, clock: Clock
) -> int:
    """Large halls lose the two middle seats of the last stalls row to the mixing desk, as in
    a real house; the demo shows blocked seats that way. Straight to the store: the seats come
    from the demo's own maps, and the performances are not in the catalogue yet."""
    blocked = 0
    for performance in demo.performances:
        seat_map = maps[performance.hall]
        if len(seat_map.seats) < 500 or not performance.is_public:
            continue
        desk = _mixing_desk(seat_map)
        with contextlib.suppress(Unavailable):  # blocked by an earlier seeding: idempotent
            inventory.block_seats(performance.id, performance.house, desk, "technical", clock.now())
        blocked += len(desk)
    return blocked


def _mixing_desk(seat_map: SeatMap) -> dict[str, str]:
    """Seat id → section, as the store takes them."""
    stalls = seat_map.sections[0].id
    seats = [seat for seat in seat_map.seats if seat.section == stalls]
    last_row = max(seats, key=lambda seat: seat.y).row
    row = sorted((s for s in seats if s.row == last_row), key=lambda seat: seat.x)
    middle = len(row) // 2
    return {row[middle - 1].id: stalls, row[middle].id: stalls}
