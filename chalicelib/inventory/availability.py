"""What a performance has left and its availability level: the seat plan's summary says it,
and the webshop's "few seats left" / "sold out" badges are to read the same rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.catalogue.model import availability_level
from chalicelib.inventory.model import SeatState
from chalicelib.inventory.seatmap import SeatMap


@dataclass(frozen=True)
class Remaining:
    """What a performance has left now."""

    free_seats: int
    free_places: int  # standing
    capacity: int

    @property
    def free(self) -> int:
        return self.free_seats + self.free_places

    @property
    def level(self) -> str:
        return availability_level(self.free, self.capacity)


def remaining(
    seat_map: SeatMap, states: Mapping[str, SeatState], pools_remaining: Mapping[str, int]
) -> Remaining:
    """Blocked seats count as taken: they are in the capacity but nobody can buy them."""
    free_seats = sum(1 for state in states.values() if state is SeatState.FREE)
    return Remaining(free_seats, sum(pools_remaining.values()), seat_map.capacity)
