"""Demo data into the table and the pre-rendered catalogue into the bucket. Idempotent:
fixed ids and whole-item puts, so seeding twice leaves the same data."""

from __future__ import annotations

from chalicelib.catalogue.publisher import CataloguePublisher, S3StaticSink
from chalicelib.catalogue.service import CatalogueService
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import BRUSSELS, Clock, SystemClock
from chalicelib.core.config import settings
from chalicelib.inventory.store import DynamoInventoryStore
from local.demo.data import build_demo
from local.demo.seatmaps import demo_seat_maps


def seed(clock: Clock | None = None) -> dict[str, int]:
    clock = clock or SystemClock()
    demo = build_demo(clock.now().astimezone(BRUSSELS).date())
    inventory = DynamoInventoryStore()
    # Maps first: a hall is published only once the map it names exists.
    for hall, seat_map in zip(demo.halls, demo_seat_maps(demo.halls), strict=True):
        inventory.save_seat_map(hall.house, seat_map)
    service = CatalogueService(DynamoCatalogueStore(), clock)
    service.listeners.append(CataloguePublisher(service, S3StaticSink(settings().webshop_bucket)))
    return {"items": service.save(demo) + len(demo.halls), "performances": len(demo.performances)}
