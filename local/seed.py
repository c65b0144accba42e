"""Demo data into the table and the pre-rendered catalogue into the bucket. Idempotent:
fixed ids and whole-item puts, so seeding twice leaves the same data."""

from __future__ import annotations

from chalicelib.catalogue.publisher import CataloguePublisher, S3StaticSink
from chalicelib.catalogue.service import CatalogueService
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import BRUSSELS, Clock, SystemClock
from chalicelib.core.config import settings
from local.demo.data import build_demo


def seed(clock: Clock | None = None) -> dict[str, int]:
    clock = clock or SystemClock()
    demo = build_demo(clock.now().astimezone(BRUSSELS).date())
    service = CatalogueService(DynamoCatalogueStore(), clock)
    service.listeners.append(CataloguePublisher(service, S3StaticSink(settings().webshop_bucket)))
    return {"items": service.save(demo), "performances": len(demo.performances)}
