"""Whether a room's performances have anything left for the queue, for the position answer's
`sold_out`, cached per instance for a few seconds, because every waiting buyer polls and the
answer changes slowly.

Wheelchair places and their companions' seats do not count: they are sold to the people who
need them (chosen on the plan or at the box office), never offered by best available. Left
counting, they kept a sold-out hall "not sold out" and thousands waited for admission only to
find nothing (bench/onsale.py: 692 of 700 sold, the last 8 all wheelchair or companion)."""

from __future__ import annotations

from functools import partial

from chalicelib.catalogue.model import SalesState
from chalicelib.core.recent import Recent
from chalicelib.inventory.best import offered_automatically
from chalicelib.inventory.model import SeatState
from chalicelib.inventory.service import InventoryService

SECONDS = 10.0


class SeatsLeft:
    def __init__(self, inventory: InventoryService, seconds: float = SECONDS) -> None:
        self.inventory = inventory
        self._recent: Recent[str, bool] = Recent(seconds)

    def sold_out(self, performances: tuple[str, ...]) -> bool:
        # Stops at the first performance with something left: usually the first one.
        return all(self._recent.get(p, partial(self._count, p)) for p in performances)

    def _count(self, performance_id: str) -> bool:
        detail = self.inventory.catalogue.find_performance(performance_id)
        if detail is None:
            return True
        state = detail.performance.sales_state(self.inventory.clock.now())
        if state in (SalesState.SOLD_OUT, SalesState.CANCELLED, SalesState.SALES_CLOSED):
            return True
        seat_map = self.inventory.seat_map_of(detail.hall)
        if seat_map is None:
            return True  # nothing can be held there
        states, pools = self.inventory.seat_states(performance_id, seat_map)
        seats_left = any(
            states[seat.id] is SeatState.FREE and offered_automatically(seat)
            for seat in seat_map.seats
        )
        return not seats_left and sum(pools.values()) == 0
