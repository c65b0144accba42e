"""Catalogue use cases. Talks to a store and a clock through small protocols."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from chalicelib.catalogue.model import (
    CatalogueSet,
    Cluster,
    Hall,
    House,
    Performance,
    PerformanceDetail,
    Production,
    Timeline,
    Venue,
    matches_text,
    search_text,
)
from chalicelib.catalogue.query import encode_cursor
from chalicelib.catalogue.schemas import PerformanceQuery
from chalicelib.core.clock import Clock, to_utc_iso
from chalicelib.core.errors import FieldError, invalid, not_found
from chalicelib.store import keys

_END_OF_TIME = "9999-12-31T23:59:59Z"


class CatalogueStore(Protocol):
    def list_clusters(self) -> list[Cluster]: ...
    def get_cluster(self, cluster_id: str) -> Cluster | None: ...
    def list_houses(self, cluster_id: str) -> list[House]: ...
    def get_house(self, house_id: str) -> House | None: ...
    def timeline(self, timeline: Timeline, after: str, until: str) -> Iterator[Performance]: ...
    def find_performance(self, performance_id: str) -> PerformanceDetail | None: ...
    def save_all(self, objects: CatalogueSet) -> int: ...


class CatalogueListener(Protocol):
    """Told which clusters changed after a write, e.g. to re-publish their static catalogue."""

    def catalogue_changed(self, cluster_ids: set[str]) -> None: ...


@dataclass(frozen=True)
class Page:
    items: list[Performance]
    next: str | None


def timeline_key(performance: Performance) -> str:
    return keys.timeline_sk(to_utc_iso(performance.starts_at), performance.id)


class CatalogueService:
    def __init__(self, store: CatalogueStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.listeners: list[CatalogueListener] = []

    def save(self, objects: CatalogueSet) -> int:
        """Check, write, then tell the listeners which clusters changed."""
        objects.check()
        written = self.store.save_all(objects)
        owned: tuple[Venue | Hall | Production, ...] = (
            *objects.venues,
            *objects.halls,
            *objects.productions,
        )
        owners = {o.house for o in owned}
        changed = {
            *(cluster.id for cluster in objects.clusters),
            *(house.cluster for house in objects.houses),
            *(performance.cluster for performance in objects.performances),
            *(house.cluster for house_id in owners if (house := self.store.get_house(house_id))),
        }
        for listener in self.listeners:
            listener.catalogue_changed(changed)
        return written

    def clusters(self) -> list[Cluster]:
        return self.store.list_clusters()

    def cluster(self, cluster_id: str) -> Cluster:
        cluster = keys.is_valid_id(cluster_id) and self.store.get_cluster(cluster_id)
        if not cluster:
            raise not_found("cluster", cluster_id)
        return cluster

    def houses(self, cluster_id: str) -> list[House]:
        self.cluster(cluster_id)
        return self.store.list_houses(cluster_id)

    def house(self, house_id: str) -> House:
        house = keys.is_valid_id(house_id) and self.store.get_house(house_id)
        if not house:
            raise not_found("house", house_id)
        return house

    def performance(self, performance_id: str) -> PerformanceDetail:
        detail = keys.is_valid_id(performance_id) and self.store.find_performance(performance_id)
        if not detail:
            raise not_found("performance", performance_id)
        return detail

    def performances(self, query: PerformanceQuery) -> Page:
        """One page of public performances, sorted by start time, filters applied."""
        matching = (p for p in self._timeline(query) if _matches(p, query))
        items = list(itertools.islice(matching, query.limit + 1))
        if len(items) <= query.limit:
            return Page(items=items, next=None)
        shown = items[: query.limit]
        return Page(items=shown, next=encode_cursor(timeline_key(shown[-1])))

    def upcoming(self, cluster_id: str) -> list[Performance]:
        """Every public performance of a cluster from now on, for the pre-rendered catalogue."""
        return list(self._timeline(PerformanceQuery(cluster=cluster_id)))

    def _timeline(self, query: PerformanceQuery) -> Iterator[Performance]:
        starts_from = to_utc_iso(query.starts_from or self.clock.now())
        after = max(query.after or "", starts_from)
        until = to_utc_iso(query.starts_until) if query.starts_until else _END_OF_TIME
        low, high = keys.timeline_bounds(after, until)
        runs = [self.store.timeline(t, low, high) for t in self._timelines(query)]
        return heapq.merge(*runs, key=timeline_key)

    def _timelines(self, query: PerformanceQuery) -> list[Timeline]:
        """Which sorted runs to read: the house's, the cluster's, or every cluster's."""
        errors = []
        house = query.house and self.store.get_house(query.house)
        if query.house and not house:
            errors.append(FieldError("house", f"unknown house {query.house!r}", "a house id"))
        if query.cluster and not self.store.get_cluster(query.cluster):
            errors.append(
                FieldError("cluster", f"unknown cluster {query.cluster!r}", "a cluster id")
            )
        if errors:
            raise invalid(*errors)
        if house:
            in_cluster = query.cluster in (None, house.cluster)
            return [Timeline("house", house.id)] if in_cluster else []
        if query.cluster:
            return [Timeline("cluster", query.cluster)]
        return [Timeline("cluster", cluster.id) for cluster in self.store.list_clusters()]


def _matches(performance: Performance, query: PerformanceQuery) -> bool:
    if query.genre and performance.genre is not query.genre:
        return False
    return not query.text or matches_text(search_text(performance.title), query.text)
