"""In-memory stand-ins for the adapters, for unit tests of the service layer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from chalicelib.catalogue.model import (
    CatalogueSet,
    Cluster,
    House,
    Performance,
    PerformanceDetail,
    Timeline,
)
from chalicelib.catalogue.service import timeline_key


@dataclass
class FakeCatalogueStore:
    clusters: dict[str, Cluster] = field(default_factory=dict)
    houses: dict[str, House] = field(default_factory=dict)
    performances: dict[str, Performance] = field(default_factory=dict)
    details: dict[str, PerformanceDetail] = field(default_factory=dict)
    items_read: int = 0

    def add(self, *objects: Any) -> None:
        for obj in objects:
            if isinstance(obj, Cluster):
                self.clusters[obj.id] = obj
            elif isinstance(obj, House):
                self.houses[obj.id] = obj
            elif isinstance(obj, Performance):
                self.performances[obj.id] = obj

    def list_clusters(self) -> list[Cluster]:
        return sorted(self.clusters.values(), key=lambda c: c.id)

    def get_cluster(self, cluster_id: str) -> Cluster | None:
        return self.clusters.get(cluster_id)

    def list_houses(self, cluster_id: str) -> list[House]:
        houses = [h for h in self.houses.values() if h.cluster == cluster_id]
        return sorted(houses, key=lambda h: (h.name.casefold(), h.id))

    def get_house(self, house_id: str) -> House | None:
        return self.houses.get(house_id)

    def timeline(self, timeline: Timeline, after: str, until: str) -> Iterator[Performance]:
        attribute = "cluster" if timeline.scope == "cluster" else "house"
        run = sorted(
            (
                p
                for p in self.performances.values()
                if p.is_public and getattr(p, attribute) == timeline.id
            ),
            key=timeline_key,
        )
        for performance in run:
            if after < timeline_key(performance) <= until:
                self.items_read += 1
                yield performance

    def find_performance(self, performance_id: str) -> PerformanceDetail | None:
        return self.details.get(performance_id)

    def save_all(self, objects: CatalogueSet) -> int:
        everything = [
            *objects.clusters,
            *objects.houses,
            *objects.venues,
            *objects.halls,
            *objects.productions,
            *objects.performances,
        ]
        self.add(*everything)
        return len(everything)


@dataclass
class MemorySink:
    files: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)

    def put_json(self, key: str, document: dict[str, Any], max_age: int) -> None:
        self.files[key] = (document, max_age)
