"""Live availability per cluster, published as static JSON for the webshop's "few seats left"
and "sold out" badges, so that browsing a programme still costs no Lambda call.

A snapshot counts what every upcoming on-sale performance of a cluster has left with the seat
plan's own counting (`InventoryService.seat_states`: a hold past its expiry reads as free), on
eventually consistent reads. It is published with the catalogue, then every minute (a Chalice
schedule in AWS, `local/schedules.py` in the local stack). Staleness and read cost: see
docs/scaling.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.catalogue.model import Hall, SalesState, availability_level
from chalicelib.catalogue.service import CatalogueService
from chalicelib.core.clock import to_utc_iso
from chalicelib.inventory.model import SeatState
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.service import InventoryService

LOG = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class ClusterAvailability:
    cluster: str
    generated_at: datetime
    performances: dict[str, Remaining]  # on sale only: the others show their sales status

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": to_utc_iso(self.generated_at),
            "cluster": self.cluster,
            "performances": {
                performance: {"level": left.level, "free": left.free, "capacity": left.capacity}
                for performance, left in self.performances.items()
            },
        }


class HallReader(Protocol):
    def get_halls(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Hall]: ...


class AvailabilityService:
    def __init__(
        self, catalogue: CatalogueService, halls: HallReader, inventory: InventoryService
    ) -> None:
        self.catalogue = catalogue
        self.halls = halls
        self.inventory = inventory

    def snapshot(self, cluster_id: str) -> ClusterAvailability:
        """One timeline read, one batch of halls, then only the seat and standing-room reads
        of each on-sale performance: no performance page is read."""
        now = self.inventory.clock.now()
        on_sale = [
            performance
            for performance in self.catalogue.upcoming(cluster_id)
            if performance.sales_state(now) is SalesState.ON_SALE
        ]
        halls = self.halls.get_halls((p.house, p.hall) for p in on_sale)
        counted: dict[str, Remaining] = {}
        for performance in on_sale:
            hall = halls.get((performance.house, performance.hall))
            seat_map = hall and self.inventory.seat_map_of(hall)
            if not seat_map:  # the seat plan answers 404 for it too: no badge, not a failure
                LOG.warning("availability: performance %s has no seat map", performance.id)
                continue
            states, pools = self.inventory.seat_states(performance.id, seat_map)
            counted[performance.id] = remaining(seat_map, states, pools)
        return ClusterAvailability(cluster_id, now, counted)

    def document(self, cluster_id: str) -> dict[str, Any]:
        return self.snapshot(cluster_id).to_json()


def publish_availability(cluster_ids: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Publish the availability of these clusters (every cluster when None) to the webshop
    bucket now: what the schedule runs every minute, and what a test calls after changing
    seats. A cluster that fails is logged and the others are still published; then the run
    fails, so that the failure shows (Lambda's error metric, the local loop's log)."""
    from chalicelib.bootstrap import container

    parts = container()
    catalogue, publisher = parts.catalogue(), parts.availability()
    if cluster_ids is None:
        cluster_ids = [cluster.id for cluster in catalogue.clusters()]
    published, failed = [], []
    for cluster_id in cluster_ids:
        try:
            published.append(publisher.publish(cluster_id))
        except Exception:
            LOG.exception("availability of cluster %s not published", cluster_id)
            failed.append(cluster_id)
    if failed:
        raise RuntimeError(f"availability not published for clusters {failed}")
    return {"published": published}
