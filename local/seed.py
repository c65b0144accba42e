"""Demo data into the table and the pre-rendered catalogue into the bucket. Idempotent:
fixed ids and whole-item puts, so seeding twice leaves the same data."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from chalicelib import bootstrap
from chalicelib.catalogue.model import CatalogueSet, SalesState
from chalicelib.core.clock import BRUSSELS, Clock
from chalicelib.inventory.model import Unavailable
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.onsale.model import WaitingRoom
from chalicelib.onsale.store import DynamoRoomStore
from local.demo.data import build_demo
from local.demo.seatmaps import demo_seat_maps


def seed(clock: Clock | None = None) -> dict[str, Any]:
    parts = bootstrap.container()
    if clock is not None:
        parts = parts.with_overrides(clock=clock)
    clock = parts.clock()
    demo = build_demo(clock.now().astimezone(BRUSSELS).date())
    inventory = parts.inventory_store()
    # Maps first: a hall is published only once the map it names exists.
    maps = {seat_map.hall: seat_map for seat_map in demo_seat_maps(demo.halls)}
    for hall in demo.halls:
        inventory.save_seat_map(hall.house, maps[hall.id])
    # Blocked before the catalogue is saved: saving publishes the availability snapshot,
    # which must count them (and be the same on a second seeding).
    blocked = _block_technical_seats(demo, maps, inventory, clock)
    # Saved as staff save it: the webshop's JSON and availability are published with it.
    written = parts.publishing_catalogue().save(demo) + len(demo.halls)
    room = _demo_waiting_room(demo, maps, clock, parts.room_store())
    return {
        "items": written,
        "performances": len(demo.performances),
        "blocked": blocked,
        "waiting_room": room.performances[0],
        "waiting_room_opens_at": room.opens_at.isoformat(),
    }


DEMO_ROOM = "demo-onsale"
DEMO_ROOM_OPENS_IN = timedelta(minutes=3)


def _demo_waiting_room(
    demo: CatalogueSet, maps: dict[str, SeatMap], clock: Clock, rooms: DynamoRoomStore
) -> WaitingRoom:
    """One hot on-sale to try: the last on-sale performance in the biggest seated hall of
    Zuidwest goes through a waiting room that opens a few minutes after the demo starts (so
    the page shows the opening, the draw, then the turn). Gent's performances stay ungated:
    the browser tests buy there."""
    now = clock.now()
    cluster_of = {house.id: house.cluster for house in demo.houses}
    candidates = [
        p
        for p in demo.performances
        if cluster_of.get(p.house) == "zuidwest"
        and p.is_public
        and p.sales_state(now) is SalesState.ON_SALE
        and len(maps[p.hall].seats) >= 300
    ]
    chosen = max(candidates, key=lambda p: (len(maps[p.hall].seats), p.starts_at, p.id))
    opens_at = (now + DEMO_ROOM_OPENS_IN).replace(second=0, microsecond=0)
    room = WaitingRoom(
        id=DEMO_ROOM,
        house=chosen.house,
        performances=(chosen.id,),
        opens_at=opens_at,
        closes_at=opens_at + timedelta(hours=2),
        admit_per_minute=60,
        max_holds_per_identity=2,
        max_seats_per_identity=6,
    )
    assert not room.problems(), room.problems()
    # Straight to the store, like the seat maps: the demo is ours, and the app's waiting-room
    # service would need the admission secret and the queue only to check what we know.
    rooms.save_room(room)
    return room


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
