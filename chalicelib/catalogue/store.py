"""The catalogue's DynamoDB adapter: maps domain objects to items and back. No rules here."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol, TypeAlias

from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.catalogue.model import (
    CatalogueSet,
    Cluster,
    Genre,
    Hall,
    HallLayout,
    House,
    HouseType,
    Image,
    Performance,
    PerformanceDetail,
    PerformanceStatus,
    PriceZone,
    Production,
    Tariff,
    TariffConditions,
    Timeline,
    Venue,
)
from chalicelib.core.clock import parse_utc_iso, to_utc_iso
from chalicelib.store import keys
from chalicelib.store.db import transact_write
from chalicelib.store.models import (
    ClusterItem,
    HallItem,
    HouseItem,
    ImageAttribute,
    PerformanceItem,
    PodiumItem,
    PriceZoneAttribute,
    ProductionItem,
    TariffAttribute,
    TariffConditionsAttribute,
    VenueItem,
)

_PAGE_SIZE = 50
TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems; a seed is bigger


class DynamoCatalogueStore:
    # --- reads ---------------------------------------------------------------------------

    def list_clusters(self) -> list[Cluster]:
        items = PodiumItem.gsi1.query(keys.ALL_CLUSTERS)
        return [_cluster(item) for item in items if isinstance(item, ClusterItem)]

    def get_cluster(self, cluster_id: str) -> Cluster | None:
        item = _get(keys.cluster_pk(cluster_id), keys.CLUSTER_SK)
        return _cluster(item) if isinstance(item, ClusterItem) else None

    def list_houses(self, cluster_id: str) -> list[House]:
        items = PodiumItem.gsi1.query(keys.cluster_houses(cluster_id))
        return [_house(item) for item in items if isinstance(item, HouseItem)]

    def get_house(self, house_id: str) -> House | None:
        item = _get(keys.house_pk(house_id), keys.HOUSE_SK)
        return _house(item) if isinstance(item, HouseItem) else None

    def timeline(self, timeline: Timeline, after: str, until: str) -> Iterator[Performance]:
        """Public performances whose timeline key is > `after` and <= `until`, in order."""
        index: GlobalSecondaryIndex[PodiumItem]
        if timeline.scope == "cluster":
            index, sort_key = PodiumItem.gsi1, PodiumItem.gsi1sk
        else:
            index, sort_key = PodiumItem.gsi2, PodiumItem.gsi2sk
        # DynamoDB refuses an empty string as a key value: no lower bound is `<=` alone.
        condition = sort_key.between(after, until) if after else sort_key <= until
        for item in index.query(timeline.partition, condition, page_size=_PAGE_SIZE):
            # `between` is inclusive; the cursor is exclusive.
            if isinstance(item, PerformanceItem) and _timeline_key(item) != after:
                yield _performance(item)

    def find_performance(self, performance_id: str) -> PerformanceDetail | None:
        """A public performance by its global id, with what its page shows, in two requests."""
        found = next(
            iter(PodiumItem.by_lookup.query(keys.performance_lookup(performance_id))), None
        )
        if not isinstance(found, PerformanceItem):
            return None
        return _detail(found)

    def get_halls(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Hall]:
        """Halls by (house, hall id), in batches of up to 100 keys, eventually consistent:
        the availability snapshot finds each performance's seat map this way, once per hall
        instead of one performance page per performance. Unknown halls are left out."""
        keys_wanted = [(keys.house_pk(house), keys.hall_sk(hall)) for house, hall in set(wanted)]
        items = PodiumItem.batch_get(keys_wanted) if keys_wanted else []
        return {(h.house, h.id): _hall(h) for h in items if isinstance(h, HallItem)}

    # --- staff reads: only under the houses a token reaches ----------------------------------
    # Each takes the caller's houses and builds the keys itself, so another house's objects
    # are never read: one batch of at most one key per house.

    def _own(self, houses: Iterable[str], sk: str) -> PodiumItem | None:
        wanted = [(keys.house_pk(house), sk) for house in sorted(houses)]
        return next(iter(PodiumItem.batch_get(wanted)), None) if wanted else None

    def own_production(self, houses: Iterable[str], production_id: str) -> Production | None:
        item = self._own(houses, keys.production_sk(production_id))
        return _production(item) if isinstance(item, ProductionItem) else None

    def own_hall(self, houses: Iterable[str], hall_id: str) -> Hall | None:
        item = self._own(houses, keys.hall_sk(hall_id))
        return _hall(item) if isinstance(item, HallItem) else None

    def own_venue(self, houses: Iterable[str], venue_id: str) -> Venue | None:
        item = self._own(houses, keys.venue_sk(venue_id))
        return _venue(item) if isinstance(item, VenueItem) else None

    def own_performance(
        self, houses: Iterable[str], performance_id: str
    ) -> PerformanceDetail | None:
        """A performance of one of these houses, drafts included, with its page's objects."""
        found = self._own(houses, keys.performance_sk(performance_id))
        if not isinstance(found, PerformanceItem):
            return None
        return _detail(found)

    def house_performances(self, house: str) -> list[Performance]:
        """Every performance of a house, drafts and past ones included (staff lists, rules
        such as "no production is deleted while it has performances")."""
        items = PodiumItem.query(
            keys.house_pk(house), PodiumItem.sk.startswith(keys.performance_sk(""))
        )
        return [_performance(item) for item in items if isinstance(item, PerformanceItem)]

    def house_productions(self, house: str) -> list[Production]:
        items = PodiumItem.query(
            keys.house_pk(house), PodiumItem.sk.startswith(keys.production_sk(""))
        )
        return [_production(item) for item in items if isinstance(item, ProductionItem)]

    def house_venues(self, house: str) -> list[Venue]:
        items = PodiumItem.query(keys.house_pk(house), PodiumItem.sk.startswith(keys.venue_sk("")))
        return [_venue(item) for item in items if isinstance(item, VenueItem)]

    def house_halls(self, house: str) -> list[Hall]:
        items = PodiumItem.query(keys.house_pk(house), PodiumItem.sk.startswith(keys.hall_sk("")))
        return [_hall(item) for item in items if isinstance(item, HallItem)]

    def house_listing(
        self,
        house: str,
        kind: str,
        after: str | None = None,
        filters: Mapping[str, str] | None = None,
        page_size: int = _PAGE_SIZE,
    ) -> Iterator[tuple[str, Production | Performance | Venue | Hall]]:
        """A house's productions, performances, venues or halls in their partition's key order
        (by id), strictly after the id `after`, as (id, object), lazily: one Query page of
        `page_size` at a time, the filters (attribute = value) applied by DynamoDB."""
        sk_of, model, convert = _LISTED[kind]
        low = sk_of(after) if after is not None else sk_of("")
        condition = None
        for name, value in (filters or {}).items():
            same = getattr(model, name) == value
            condition = same if condition is None else condition & same
        for item in PodiumItem.query(
            keys.house_pk(house),
            PodiumItem.sk.between(low, sk_of("~")),  # "~" sorts after every id character
            filter_condition=condition,
            page_size=page_size,
        ):
            if isinstance(item, model) and item.id != after:  # `between` is inclusive
                yield item.id, convert(item)

    def house_programme(
        self,
        house: str,
        after: str | None,
        until: str,
        filters: Mapping[str, str] | None = None,
        page_size: int = _PAGE_SIZE,
    ) -> Iterator[tuple[str, Performance]]:
        """Every performance of a house (drafts, cancelled and past ones too) by start time
        from gsi3, as (index key, performance), lazily: keys > `after` (a cursor's key or an
        instant) and <= `until`, the filters (attribute = value) applied by DynamoDB."""
        condition = None
        for name, value in (filters or {}).items():
            same = getattr(PerformanceItem, name) == value
            condition = same if condition is None else condition & same
        sort_key = PodiumItem.gsi3sk
        for item in PodiumItem.gsi3.query(
            keys.house_programme(house),
            sort_key.between(after, until) if after else sort_key <= until,
            filter_condition=condition,
            page_size=page_size,
        ):
            if not isinstance(item, PerformanceItem):
                continue
            key = _timeline_key(item)
            if key != after:  # `between` is inclusive
                yield key, _performance(item)

    def delete_item(self, house: str, kind: str, ident: str) -> None:
        """A venue or hall of the house (the caller checked nothing refers to it)."""
        model, sk = {"venue": (VenueItem, keys.venue_sk), "hall": (HallItem, keys.hall_sk)}[kind]
        model(pk=keys.house_pk(house), sk=sk(ident)).delete()

    def delete_production(self, house: str, production_id: str) -> None:
        ProductionItem(pk=keys.house_pk(house), sk=keys.production_sk(production_id)).delete()

    # --- writes (seeding, staff changes) -------------------------------------------------

    def save_all(self, objects: CatalogueSet) -> int:
        """Upsert: a small set (a staff change) in one transaction, a big one (a seed) in
        batches. Puts replace whole items, so saving twice leaves the same data."""
        items: list[PodiumItem] = [
            *(_cluster_item(c) for c in objects.clusters),
            *(_house_item(h) for h in objects.houses),
            *(_venue_item(v) for v in objects.venues),
            *(_hall_item(h) for h in objects.halls),
            *(_production_item(p) for p in objects.productions),
            *(_performance_item(p) for p in objects.performances),
        ]
        if len(items) <= TRANSACTION_ITEMS:
            # A staff change: all or nothing (a production and the performances that copy its
            # title; a hall and the performances that follow it), never half of it.
            with transact_write() as tx:
                for item in items:
                    tx.save(item)
            return len(items)
        with PodiumItem.batch_write() as batch:
            for item in items:
                batch.save(item)
        return len(items)


def _get(pk: str, sk: str) -> PodiumItem | None:
    try:
        return PodiumItem.get(pk, sk)
    except PodiumItem.DoesNotExist:
        return None


def _timeline_key(item: PerformanceItem) -> str:
    return keys.timeline_sk(item.starts_at, item.id)


# --- domain → item ---------------------------------------------------------------------------


def _cluster_item(cluster: Cluster) -> ClusterItem:
    return ClusterItem(
        pk=keys.cluster_pk(cluster.id),
        sk=keys.CLUSTER_SK,
        gsi1pk=keys.ALL_CLUSTERS,
        gsi1sk=cluster.id,
        id=cluster.id,
        name=cluster.name,
        region=cluster.region,
        description=dict(cluster.description),
    )


def _house_item(house: House) -> HouseItem:
    return HouseItem(
        pk=keys.house_pk(house.id),
        sk=keys.HOUSE_SK,
        gsi1pk=keys.cluster_houses(house.cluster),
        gsi1sk=f"{house.name.casefold()}#{house.id}",
        id=house.id,
        house=house.id,
        cluster=house.cluster,
        name=house.name,
        type=house.type.value,
        city=house.city,
        website=house.website,
        description=dict(house.description),
        service_fee_cents=house.service_fee_cents,
    )


def _venue_item(venue: Venue) -> VenueItem:
    return VenueItem(
        pk=keys.house_pk(venue.house),
        sk=keys.venue_sk(venue.id),
        id=venue.id,
        house=venue.house,
        name=venue.name,
        address=venue.address,
        city=venue.city,
        accessibility=dict(venue.accessibility),
    )


def _hall_item(hall: Hall) -> HallItem:
    return HallItem(
        pk=keys.house_pk(hall.house),
        sk=keys.hall_sk(hall.id),
        id=hall.id,
        house=hall.house,
        venue=hall.venue,
        name=hall.name,
        layout=hall.layout.value,
        capacity=hall.capacity,
        seat_map=hall.seat_map,
        price_zones=[
            PriceZoneAttribute(id=z.id, name=dict(z.name), rank=z.rank, color=z.color)
            for z in hall.price_zones
        ],
    )


def _production_item(production: Production) -> ProductionItem:
    return ProductionItem(
        pk=keys.house_pk(production.house),
        sk=keys.production_sk(production.id),
        id=production.id,
        house=production.house,
        title=dict(production.title),
        description=dict(production.description),
        genre=production.genre.value,
        languages=list(production.languages),
        duration_minutes=production.duration_minutes,
        age_advice=production.age_advice,
        images=[_image_attribute(i) for i in production.images],
    )


def _image_attribute(image: Image) -> ImageAttribute:
    return ImageAttribute(url=image.url, alt=dict(image.alt))


def _image(attribute: ImageAttribute) -> Image:
    return Image(url=attribute.url, alt=attribute.alt)


def _performance_item(performance: Performance) -> PerformanceItem:
    starts_at = to_utc_iso(performance.starts_at)
    item = PerformanceItem(
        pk=keys.house_pk(performance.house),
        sk=keys.performance_sk(performance.id),
        id=performance.id,
        house=performance.house,
        cluster=performance.cluster,
        production=performance.production,
        hall=performance.hall,
        venue=performance.venue,
        starts_at=starts_at,
        ends_at=to_utc_iso(performance.ends_at),
        sales_opens_at=to_utc_iso(performance.sales_opens_at),
        sales_closes_at=to_utc_iso(performance.sales_closes_at),
        status=performance.status.value,
        tariffs=[_tariff_attribute(t) for t in performance.tariffs],
        title=dict(performance.title),
        genre=performance.genre.value,
        image=_image_attribute(performance.image) if performance.image else None,
        hold_minutes=performance.hold_minutes,
        max_seats_per_hold=performance.max_seats_per_hold,
        max_holds_per_client=performance.max_holds_per_client,
    )
    # Staff's index: every performance, whatever its status (gsi3 is never read publicly).
    item.gsi3pk = keys.house_programme(performance.house)
    item.gsi3sk = keys.timeline_sk(starts_at, performance.id)
    if performance.is_public:
        # Only public performances enter the indexes the public reads (sparse indexes).
        timeline_key = keys.timeline_sk(starts_at, performance.id)
        item.gsi1pk = keys.cluster_timeline(performance.cluster)
        item.gsi1sk = timeline_key
        item.gsi2pk = keys.house_timeline(performance.house)
        item.gsi2sk = timeline_key
        item.lookup = keys.performance_lookup(performance.id)
    return item


def _tariff_attribute(tariff: Tariff) -> TariffAttribute:
    c = tariff.conditions
    return TariffAttribute(
        id=tariff.id,
        name=dict(tariff.name),
        prices=dict(tariff.prices),
        conditions=TariffConditionsAttribute(
            max_per_order=c.max_per_order,
            proof_required=c.proof_required,
            min_age=c.min_age,
            max_age=c.max_age,
        ),
    )


# --- item → domain ---------------------------------------------------------------------------


def _cluster(item: ClusterItem) -> Cluster:
    return Cluster(id=item.id, name=item.name, region=item.region, description=item.description)


def _house(item: HouseItem) -> House:
    return House(
        id=item.id,
        cluster=item.cluster,
        name=item.name,
        type=HouseType(item.type),
        city=item.city,
        description=item.description,
        website=item.website,
        service_fee_cents=int(item.service_fee_cents),
    )


def _venue(item: VenueItem) -> Venue:
    return Venue(
        id=item.id,
        house=item.house,
        name=item.name,
        address=item.address,
        city=item.city,
        accessibility=item.accessibility,
    )


def _hall(item: HallItem) -> Hall:
    return Hall(
        id=item.id,
        house=item.house,
        venue=item.venue,
        name=item.name,
        layout=HallLayout(item.layout),
        capacity=int(item.capacity),
        seat_map=item.seat_map,
        price_zones=tuple(
            PriceZone(id=z.id, name=z.name, rank=int(z.rank), color=z.color)
            for z in item.price_zones
        ),
    )


def _production(item: ProductionItem) -> Production:
    return Production(
        id=item.id,
        house=item.house,
        title=item.title,
        description=item.description,
        genre=Genre(item.genre),
        languages=tuple(item.languages),
        duration_minutes=int(item.duration_minutes),
        age_advice=int(item.age_advice) if item.age_advice is not None else None,
        images=tuple(_image(i) for i in item.images),
    )


def _performance(item: PerformanceItem) -> Performance:
    return Performance(
        id=item.id,
        house=item.house,
        cluster=item.cluster,
        production=item.production,
        hall=item.hall,
        venue=item.venue,
        starts_at=parse_utc_iso(item.starts_at),
        ends_at=parse_utc_iso(item.ends_at),
        sales_opens_at=parse_utc_iso(item.sales_opens_at),
        sales_closes_at=parse_utc_iso(item.sales_closes_at),
        status=PerformanceStatus(item.status),
        tariffs=tuple(_tariff(t) for t in item.tariffs),
        title=item.title,
        genre=Genre(item.genre),
        image=_image(item.image) if item.image else None,
        hold_minutes=int(item.hold_minutes),
        max_seats_per_hold=int(item.max_seats_per_hold),
        max_holds_per_client=int(item.max_holds_per_client),
    )


def _tariff(attribute: TariffAttribute) -> Tariff:
    c = attribute.conditions
    return Tariff(
        id=attribute.id,
        name=attribute.name,
        prices=attribute.prices,
        conditions=TariffConditions(
            max_per_order=int(c.max_per_order) if c.max_per_order is not None else None,
            proof_required=bool(c.proof_required),
            min_age=int(c.min_age) if c.min_age is not None else None,
            max_age=int(c.max_age) if c.max_age is not None else None,
        ),
    )


_Listed: TypeAlias = "type[ProductionItem | PerformanceItem | VenueItem | HallItem]"
_LISTED: dict[str, tuple[Callable[[str], str], _Listed, Callable[[Any], Any]]] = {
    "productions": (keys.production_sk, ProductionItem, _production),
    "performances": (keys.performance_sk, PerformanceItem, _performance),
    "venues": (keys.venue_sk, VenueItem, _venue),
    "halls": (keys.hall_sk, HallItem, _hall),
}


class PerformanceFinder(Protocol):
    def find_performance(self, performance_id: str) -> PerformanceDetail | None: ...


class RecentPerformances:
    """Performance pages remembered for a few seconds per Lambda instance: a hold needs the
    performance on every request, and during an on-sale thousands ask for the same one.
    Staleness is bounded by `seconds`; sales windows are still judged against the live clock."""

    def __init__(self, store: PerformanceFinder, seconds: float = 30.0) -> None:
        self.store = store
        self.seconds = seconds
        self._entries: dict[str, tuple[float, PerformanceDetail | None]] = {}

    def find_performance(self, performance_id: str) -> PerformanceDetail | None:
        now = time.monotonic()
        cached = self._entries.get(performance_id)
        if cached and now - cached[0] < self.seconds:
            return cached[1]
        detail = self.store.find_performance(performance_id)
        if len(self._entries) > 1000:
            self._entries.clear()  # bounded memory; a warm instance refills what it needs
        self._entries[performance_id] = (now, detail)
        return detail


def _detail(found: PerformanceItem) -> PerformanceDetail:
    """A performance item with what its page shows: one BatchGetItem in its house's partition."""
    house_pk = keys.house_pk(found.house)
    wanted = [
        (house_pk, keys.HOUSE_SK),
        (house_pk, keys.venue_sk(found.venue)),
        (house_pk, keys.hall_sk(found.hall)),
        (house_pk, keys.production_sk(found.production)),
    ]
    related = {type(item): item for item in PodiumItem.batch_get(wanted)}
    house, venue, hall, production = (
        related.get(HouseItem),
        related.get(VenueItem),
        related.get(HallItem),
        related.get(ProductionItem),
    )
    if not (
        isinstance(house, HouseItem)
        and isinstance(venue, VenueItem)
        and isinstance(hall, HallItem)
        and isinstance(production, ProductionItem)
    ):
        raise LookupError(f"performance {found.id} refers to missing catalogue items")
    return PerformanceDetail(
        performance=_performance(found),
        production=_production(production),
        house=_house(house),
        venue=_venue(venue),
        hall=_hall(hall),
    )
