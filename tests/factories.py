"""Small builders of valid domain objects, so a test names only what it is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.catalogue.model import (
    Cluster,
    Genre,
    Hall,
    HallLayout,
    House,
    HouseType,
    Performance,
    PerformanceStatus,
    PriceZone,
    Production,
    Tariff,
    Venue,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def cluster(id: str = "gent", **changes: Any) -> Cluster:
    base = Cluster(id=id, name=id.title(), region="Oost-Vlaanderen", description={"nl": "Regio"})
    return replace(base, **changes)


def house(id: str = "ntgent", cluster: str = "gent", **changes: Any) -> House:
    base = House(
        id=id,
        cluster=cluster,
        name=id.upper(),
        type=HouseType.KUNSTENORGANISATIE,
        city="Gent",
        description={"nl": "Huis", "fr": "Maison", "en": "House"},
    )
    return replace(base, **changes)


def venue(id: str = "ntgent-schouwburg", house: str = "ntgent") -> Venue:
    return Venue(
        id=id,
        house=house,
        name="Schouwburg",
        address="Sint-Baafsplein 17",
        city="Gent",
        accessibility={"nl": "Rolstoeltoegankelijk", "en": "Wheelchair accessible"},
    )


def hall(id: str = "ntgent-grote-zaal", house: str = "ntgent", **changes: Any) -> Hall:
    base = Hall(
        id=id,
        house=house,
        venue="ntgent-schouwburg",
        name="Grote zaal",
        layout=HallLayout.SEATED,
        capacity=700,
        price_zones=(
            PriceZone(id="zone-1", name={"nl": "Rang 1"}, rank=1, color="#6b2bd9"),
            PriceZone(id="zone-2", name={"nl": "Rang 2"}, rank=2, color="#2b8cd9"),
        ),
    )
    return replace(base, **changes)


def production(id: str = "ntgent-de-storm", house: str = "ntgent", **changes: Any) -> Production:
    base = Production(
        id=id,
        house=house,
        title={"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"},
        description={"nl": "Shakespeare.", "fr": "Shakespeare.", "en": "Shakespeare."},
        genre=Genre.THEATRE,
        languages=("nl",),
        duration_minutes=120,
    )
    return replace(base, **changes)


def performance(
    id: str = "ntgent-de-storm-01",
    starts_at: datetime = T0 + timedelta(days=3),
    **changes: Any,
) -> Performance:
    base = Performance(
        id=id,
        house="ntgent",
        cluster="gent",
        production="ntgent-de-storm",
        hall="ntgent-grote-zaal",
        venue="ntgent-schouwburg",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        sales_opens_at=T0 - timedelta(days=30),
        sales_closes_at=starts_at,
        status=PerformanceStatus.ON_SALE,
        tariffs=(
            Tariff(
                id="standaard",
                name={"nl": "Standaard", "fr": "Standard", "en": "Standard"},
                prices={"zone-1": 2800, "zone-2": 2200},
            ),
        ),
        title={"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"},
        genre=Genre.THEATRE,
    )
    return replace(base, **changes)
