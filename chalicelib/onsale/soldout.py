"""Whether a room's performances have anything left, for the position answer's `sold_out`:
the seat plan's own counting (chalicelib/inventory/availability.py), cached per instance for a
few seconds, because every waiting buyer polls and the answer changes slowly."""

from __future__ import annotations

import time

from chalicelib.catalogue.model import SalesState
from chalicelib.inventory.availability import remaining
from chalicelib.inventory.service import InventoryService

SECONDS = 10.0


class SeatsLeft:
    def __init__(self, inventory: InventoryService, seconds: float = SECONDS) -> None:
        self.inventory = inventory
        self.seconds = seconds
        self._entries: dict[str, tuple[float, bool]] = {}

    def sold_out(self, performances: tuple[str, ...]) -> bool:
        # Stops at the first performance with something left: usually the first one.
        return all(self._sold_out(performance) for performance in performances)

    def _sold_out(self, performance_id: str) -> bool:
        now = time.monotonic()
        cached = self._entries.get(performance_id)
        if cached and now - cached[0] < self.seconds:
            return cached[1]
        answer = self._count(performance_id)
        if len(self._entries) > 1000:
            self._entries.clear()
        self._entries[performance_id] = (now, answer)
        return answer

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
