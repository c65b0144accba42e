"""A fresh on-sale performance of any house, in a 50-seat studio (tests/inventory_fixtures.py's
map), for sales management's tests: house A's and house B's orders side by side."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from chalicelib.catalogue.model import CatalogueSet, HallLayout
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.inventory.store import DynamoInventoryStore
from tests import factories as f
from tests.inventory_fixtures import ZONES, studio_map


def performance_of(
    house: str,
    starts_at: datetime,
    sales_opens_at: datetime,
    *,
    with_house: bool = True,
    production: str = "studio-production",
) -> str:
    """`with_house=False` where the house is already in the catalogue (the seeded demo)."""
    performance_id = f"test-sales-{house}-{uuid.uuid4().hex[:10]}"  # test-: see test_seed.py
    hall_id = f"{house}-studio"
    venue_id = f"{house}-studio-venue"
    seat_map = studio_map(f"{hall_id}-map", hall_id)
    hall = replace(
        f.hall(id=hall_id, house=house),
        venue=venue_id,
        capacity=seat_map.capacity,
        price_zones=ZONES,
        seat_map=seat_map.id,
        layout=HallLayout.SEATED,
    )
    production = f.production(id=f"{house}-{production}", house=house)
    performance = replace(
        f.performance(performance_id, starts_at=starts_at),
        house=house,
        production=production.id,
        hall=hall_id,
        venue=venue_id,
        sales_opens_at=sales_opens_at,
    )
    DynamoCatalogueStore().save_all(
        CatalogueSet(
            clusters=(),
            houses=(f.house(house),) if with_house else (),
            venues=(f.venue(id=venue_id, house=house),),
            halls=(hall,),
            productions=(production,),
            performances=(performance,),
        )
    )
    DynamoInventoryStore().save_seat_map(house, seat_map)
    return performance_id
