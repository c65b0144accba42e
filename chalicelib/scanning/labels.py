"""What the door person reads for a ticket's seat: "Zaal rij A stoel 5", or the standing
pool's name; the seat maps come from a port (the inventory's store, cached per instance)."""

from __future__ import annotations

from typing import Protocol

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.i18n import pick
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.seatmap import seat_label as label


class SeatMaps(Protocol):
    def get_seat_map(self, house: str, seat_map_id: str) -> SeatMap | None: ...


class SeatLabels:
    """A `SeatLabeller` (chalicelib/scanning/service.py) over a store of seat maps."""

    def __init__(self, seat_maps: SeatMaps) -> None:
        self.seat_maps = seat_maps

    def __call__(self, detail: PerformanceDetail, seat: str, lang: str) -> str | None:
        if not detail.hall.seat_map:
            return None
        seat_map = self.seat_maps.get_seat_map(detail.hall.house, detail.hall.seat_map)
        if seat_map is None:
            return None
        if seat.startswith("ga:"):
            pool = seat_map.pool(seat[3:])
            return pick(pool.name, lang) if pool else None
        found = seat_map.seat(seat)
        return label(seat_map, found, lang) if found else None
