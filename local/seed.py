"""Demo data into the table and the pre-rendered catalogue into the bucket. Idempotent:
fixed ids and whole-item puts, so seeding twice leaves the same data."""

from __future__ import annotations

from datetime import date

from chalicelib.catalogue.publisher import CataloguePublisher, S3StaticSink
from chalicelib.catalogue.service import CatalogueService
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import BRUSSELS, Clock, SystemClock
from chalicelib.core.config import settings
from local.demo.data import build_demo


def seed(clock: Clock | None = None) -> dict[str, int]:
    clock = clock or SystemClock()
    today: date = clock.now().astimezone(BRUSSELS).date()
    demo = build_demo(today)
    store = DynamoCatalogueStore()
    written = store.save_all(
        clusters=demo.clusters,
        houses=demo.houses,
        venues=demo.venues,
        halls=demo.halls,
        productions=demo.productions,
        performances=demo.performances,
    )
    publisher = CataloguePublisher(
        CatalogueService(store, clock), S3StaticSink(settings().webshop_bucket)
    )
    files = publisher.publish_all()
    return {
        "items": written,
        "performances": len(demo.performances),
        "catalogue_files": len(files),
    }
