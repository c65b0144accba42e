"""Whether a room's performances have anything left, for the position answer's `sold_out`:
the seat plan's own counting (chalicelib/inventory/availability.py), cached per instance for a
few seconds, because every waiting buyer polls and the answer changes slowly."""

from __future__ import annotations

from chalicelib.catalogue.model import SalesState
from chalicelib.core.recent import Recent
from chalicelib.inventory.availability import remaining
from chalicelib.inventory.service import InventoryService

SECONDS = 10.0


class SeatsLeft:
    def __init__(self, inventory: InventoryService, seconds: float = SECONDS) -> None:
        self.inventory = inventory
        self._recent: Recent[str, bool] = Recent(seconds)

    def sold_out(self, performances: tuple[str, ...]) -> bool:
        # Stops at the first performance with something left: usually the first one.
        return all(self._recent.get(p, lambda p=p: self._count(p)) for p in performances)

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
        return remaining(seat_map, states, pools).free == 0
