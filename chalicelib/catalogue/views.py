"""JSON shapes of the catalogue, in one language. Shared by the API and the static publisher,
so a pre-rendered file and an API answer never disagree."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.catalogue.model import (
    Cluster,
    Hall,
    House,
    Image,
    Performance,
    PerformanceDetail,
    Production,
    Tariff,
    Venue,
    availability,
)
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.i18n import pick
from chalicelib.core.money import format_eur

Json = dict[str, Any]


def cluster_view(cluster: Cluster, lang: str) -> Json:
    return {
        "id": cluster.id,
        "name": cluster.name,
        "region": cluster.region,
        "description": pick(cluster.description, lang),
    }


def house_view(house: House, lang: str) -> Json:
    return {
        "id": house.id,
        "name": house.name,
        "type": house.type.value,
        "cluster": house.cluster,
        "city": house.city,
        "website": house.website,
        "description": pick(house.description, lang),
        "service_fee_cents": house.service_fee_cents,  # per ticket sold online, VAT included
    }


def performance_summary(performance: Performance, lang: str, now: datetime) -> Json:
    return {
        "id": performance.id,
        "title": pick(performance.title, lang),
        "house": performance.house,
        "cluster": performance.cluster,
        "production": performance.production,
        "genre": performance.genre.value,
        "hall": performance.hall,
        "starts_at": to_utc_iso(performance.starts_at),
        "ends_at": to_utc_iso(performance.ends_at),
        "status": performance.status.value,
        "sales_status": performance.sales_state(now).value,
        "price_from_cents": _price_from(performance.tariffs),
        "image": _image_view(performance.image, lang) if performance.image else None,
    }


def performance_detail(detail: PerformanceDetail, lang: str, now: datetime) -> Json:
    performance = detail.performance
    summary = performance_summary(performance, lang, now)
    zones = {zone.id: zone for zone in detail.hall.price_zones}
    summary.update(
        {
            "house": house_view(detail.house, lang),
            "production": _production_view(detail.production, lang),
            "venue": _venue_view(detail.venue, lang),
            "hall": _hall_view(detail.hall, lang),
            "sales_opens_at": to_utc_iso(performance.sales_opens_at),
            "sales_closes_at": to_utc_iso(performance.sales_closes_at),
            "tariffs": [_tariff_view(t, lang, zones) for t in performance.tariffs],
            "availability": vars(availability(performance, detail.hall, now)),
        }
    )
    return summary


def _price_from(tariffs: tuple[Tariff, ...]) -> int | None:
    """The lowest price anyone can pay: tariffs that need proof or an age (Kansentarief,
    -26, 65+) would make "from € 3,50" a promise most buyers cannot use."""
    open_to_all = [t for t in tariffs if not _restricted(t)] or list(tariffs)
    prices = [cents for tariff in open_to_all for cents in tariff.prices.values() if cents > 0]
    return min(prices) if prices else None


def _restricted(tariff: Tariff) -> bool:
    c = tariff.conditions
    return c.proof_required or c.min_age is not None or c.max_age is not None


def _production_view(production: Production, lang: str) -> Json:
    return {
        "id": production.id,
        "title": pick(production.title, lang),
        "description": pick(production.description, lang),
        "genre": production.genre.value,
        "languages": list(production.languages),
        "duration_minutes": production.duration_minutes,
        "age_advice": production.age_advice,
        "images": [_image_view(i, lang) for i in production.images],
    }


def _image_view(image: Image, lang: str) -> Json:
    return {"url": image.url, "alt": pick(image.alt, lang)}


def _venue_view(venue: Venue, lang: str) -> Json:
    return {
        "id": venue.id,
        "name": venue.name,
        "address": venue.address,
        "city": venue.city,
        "accessibility": pick(venue.accessibility, lang),
    }


def _hall_view(hall: Hall, lang: str) -> Json:
    return {
        "id": hall.id,
        "name": hall.name,
        "layout": hall.layout.value,
        "capacity": hall.capacity,
        "price_zones": [
            {"id": z.id, "name": pick(z.name, lang), "rank": z.rank, "color": z.color}
            for z in sorted(hall.price_zones, key=lambda zone: zone.rank)
        ],
    }


def _tariff_view(tariff: Tariff, lang: str, zones: dict[str, Any]) -> Json:
    c = tariff.conditions
    return {
        "id": tariff.id,
        "name": pick(tariff.name, lang),
        "prices": [
            {"zone": zone, "cents": cents, "display": format_eur(cents, lang)}
            for zone, cents in sorted(tariff.prices.items(), key=lambda kv: zones[kv[0]].rank)
        ],
        "conditions": {
            "max_per_order": c.max_per_order,
            "proof_required": c.proof_required,
            "min_age": c.min_age,
            "max_age": c.max_age,
        },
    }
