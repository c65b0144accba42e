"""Programme use cases for staff. Every method takes the houses the caller's token reaches and
reads only under them (`own_*` in the catalogue store): another house's object is not found.
Writes go through `CatalogueService.save`, whose listeners publish the static catalogue and
availability, as the seed does. Everything is checked before anything is written."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, cast

from chalicelib.admin.model import Action
from chalicelib.admin.problems import role_required
from chalicelib.catalogue.model import (
    CatalogueSet,
    Hall,
    House,
    Performance,
    PerformanceDetail,
    PerformanceStatus,
    Production,
    SalesState,
    Venue,
)
from chalicelib.catalogue.service import CatalogueService
from chalicelib.core.clock import Clock, to_utc_iso
from chalicelib.core.errors import FieldError, invalid, not_found
from chalicelib.core.ids import new_id
from chalicelib.core.paging import page_by_house
from chalicelib.inventory.seatmap import SeatMap, seat_map_of, validate
from chalicelib.inventory.seatmap_schemas import SeatMapDocument
from chalicelib.inventory.service import InventoryStore
from chalicelib.programme.problems import (
    hall_in_use,
    performance_cancelled,
    performance_not_ready,
    production_has_performances,
    venue_has_halls,
)
from chalicelib.programme.schemas import (
    DEFAULT_LIMIT,
    BlockCommand,
    HallCommand,
    HallsQuery,
    ListQuery,
    PerformanceCommand,
    PerformancesQuery,
    ProductionCommand,
    ProductionsQuery,
    ReleaseCommand,
    VenueCommand,
    VenuesQuery,
)
from chalicelib.store.keys import is_valid_id

if TYPE_CHECKING:
    from chalicelib.inventory.gate import AdmissionGate
    from chalicelib.inventory.service import InventoryService, StaffSeatPlan

Houses = frozenset[str]


class RefundCounts(TypedDict, total=False):
    """A cancellation's refunds, as `cancellation.progress` counts them from the orders."""

    to_refund: int
    refunded: int
    refunded_cents: int
    checkouts_paying: int
    done: bool
    queued: int  # a cancel's answer only: the refunds it queued


class ProgrammeStore(Protocol):
    def get_house(self, house_id: str) -> House | None: ...
    def own_production(self, houses: Iterable[str], production_id: str) -> Production | None: ...
    def own_hall(self, houses: Iterable[str], hall_id: str) -> Hall | None: ...
    def own_venue(self, houses: Iterable[str], venue_id: str) -> Venue | None: ...
    def own_performance(
        self, houses: Iterable[str], performance_id: str
    ) -> PerformanceDetail | None: ...
    def house_performances(self, house: str) -> list[Performance]: ...
    def house_productions(self, house: str) -> list[Production]: ...
    def house_venues(self, house: str) -> list[Venue]: ...
    def house_halls(self, house: str) -> list[Hall]: ...
    def house_listing(
        self,
        house: str,
        kind: str,
        after: str | None = None,
        filters: Mapping[str, str] | None = None,
        page_size: int = 50,
    ) -> Iterator[tuple[str, Any]]: ...
    def house_programme(
        self,
        house: str,
        after: str | None,
        until: str,
        filters: Mapping[str, str] | None = None,
        page_size: int = 50,
    ) -> Iterator[tuple[str, Performance]]: ...
    def delete_production(self, house: str, production_id: str) -> None: ...
    def delete_item(self, house: str, kind: str, ident: str) -> None: ...


class BuyerRefunds(Protocol):
    """Refunds every buyer of a performance in full and mails them (the sales cancel), in the
    background; says how far that is (chalicelib/programme/cancellation.py)."""

    def refund_buyers(self, house: str, performance_id: str, reason: str) -> RefundCounts: ...
    def progress(self, house: str, performance_id: str) -> RefundCounts: ...


class SeatMaps(InventoryStore, Protocol):
    """The seat maps, and the seats' claims the programme's blocks and seat plans work on
    (through an InventoryService of the one performance)."""

    def save_seat_map(self, house: str, seat_map: SeatMap) -> None: ...


def house_of_write(houses: Houses, named: str | None, existing: str | None = None) -> str:
    """The house a write is for: the one it already belongs to, else the body's (which must be
    one of the caller's: 403 otherwise), else the caller's only house."""
    if existing is not None:
        if named is not None and named != existing:
            raise invalid(FieldError("house", "an object cannot move house", existing, "body"))
        return existing
    if named is None:
        if len(houses) == 1:
            return next(iter(houses))
        raise invalid(FieldError("house", "missing", "one of " + ", ".join(sorted(houses)), "body"))
    if named not in houses:
        raise role_required(Action.PROGRAMME.value)
    return named


def slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-")


class ProgrammeService:
    def __init__(
        self,
        store: ProgrammeStore,
        catalogue: CatalogueService,
        seat_maps: SeatMaps,
        clock: Clock,
        refunds: BuyerRefunds | None = None,
    ) -> None:
        self.refunds = refunds
        self.store = store
        self.catalogue = catalogue
        self.seat_maps = seat_maps
        self.clock = clock

    # --- productions ----------------------------------------------------------------------

    def production(self, houses: Houses, production_id: str) -> Production:
        found = is_valid_id(production_id) and self.store.own_production(houses, production_id)
        if not found:
            raise not_found("production", production_id)
        return found

    def create_production(self, houses: Houses, command: ProductionCommand) -> Production:
        house = house_of_write(houses, command.house)
        production = command.production(_new_slug(command.title.nl, "productie"), house)
        self.catalogue.save(CatalogueSet(productions=(production,)))
        return production

    def replace_production(
        self, houses: Houses, production_id: str, command: ProductionCommand
    ) -> Production:
        """A whole new text; its performances carry the title, genre and image along."""
        existing = self.production(houses, production_id)
        house = house_of_write(houses, command.house, existing.house)
        production = command.production(existing.id, house)
        performances = tuple(
            replace(
                p,
                title=production.title,
                genre=production.genre,
                image=production.images[0] if production.images else None,
            )
            for p in self.store.house_performances(house)
            if p.production == production.id
        )
        self.catalogue.save(CatalogueSet(productions=(production,), performances=performances))
        return production

    def delete_production(self, houses: Houses, production_id: str) -> None:
        production = self.production(houses, production_id)
        count = sum(
            1
            for p in self.store.house_performances(production.house)
            if p.production == production.id
        )
        if count:
            raise production_has_performances(production.id, count)
        self.store.delete_production(production.house, production.id)

    # --- performances ---------------------------------------------------------------------

    def performance(self, houses: Houses, performance_id: str) -> PerformanceDetail:
        found = is_valid_id(performance_id) and self.store.own_performance(houses, performance_id)
        if not found:
            raise not_found("performance", performance_id)
        return found

    def create_performance(self, houses: Houses, command: PerformanceCommand) -> PerformanceDetail:
        house = house_of_write(houses, command.house)
        return self._save_performance(house, new_id("pf"), command, None)

    def replace_performance(
        self, houses: Houses, performance_id: str, command: PerformanceCommand
    ) -> PerformanceDetail:
        existing = self.performance(houses, performance_id)
        before = existing.performance
        if before.status is PerformanceStatus.CANCELLED:
            raise performance_cancelled()
        house = house_of_write(houses, command.house, before.house)
        return self._save_performance(house, before.id, command, before)

    def put_on_sale(self, houses: Houses, performance_id: str) -> PerformanceDetail:
        detail = self.performance(houses, performance_id)
        performance = detail.performance
        if performance.status is PerformanceStatus.CANCELLED:
            raise performance_cancelled()
        if performance.status is PerformanceStatus.ON_SALE:
            return detail  # asked twice: already done
        on_sale = replace(performance, status=PerformanceStatus.ON_SALE)
        self._check_ready(on_sale, detail.hall)
        self.catalogue.save(CatalogueSet(performances=(on_sale,)))
        return replace(detail, performance=on_sale)

    def cancel(
        self, houses: Houses, performance_id: str, reason: str
    ) -> tuple[PerformanceDetail, RefundCounts]:
        """Cancelled: off sale for good, shown as cancelled (schema.org eventStatus), then
        every completed order queued for its full refund and mail, which happen in the
        background; a checkout still paying is refunded by its own saga. Safe to ask again:
        the status is set once, and what is still not refunded is queued again (each order's
        cancel refunds once however often it is tried). Returns the refunds' progress."""
        detail = self.performance(houses, performance_id)
        if detail.performance.status is not PerformanceStatus.CANCELLED:
            cancelled = replace(detail.performance, status=PerformanceStatus.CANCELLED)
            self.catalogue.save(CatalogueSet(performances=(cancelled,)))
            detail = replace(detail, performance=cancelled)
        refunds: RefundCounts = {}
        if self.refunds is not None:
            refunds = self.refunds.refund_buyers(detail.performance.house, performance_id, reason)
        return detail, refunds

    def refund_progress(self, detail: PerformanceDetail) -> RefundCounts | None:
        """How far a cancelled performance's refunds are; None for one not cancelled."""
        if detail.performance.status is not PerformanceStatus.CANCELLED or self.refunds is None:
            return None
        return self.refunds.progress(detail.performance.house, detail.performance.id)

    def block(
        self, houses: Houses, performance_id: str, command: BlockCommand
    ) -> PerformanceDetail:
        """Seats out of sale, through the inventory's own rule (only free seats)."""
        detail = self.performance(houses, performance_id)
        if detail.performance.status is PerformanceStatus.CANCELLED:
            raise performance_cancelled()
        self._inventory(detail).block(performance_id, list(command.seats), command.reason)
        return detail

    def unblock(
        self, houses: Houses, performance_id: str, command: ReleaseCommand
    ) -> PerformanceDetail:
        """Blocked seats back on sale, through the inventory's own rule (only blocked seats;
        held or sold ones: 409, nothing written). Like a block, it publishes nothing: the
        availability snapshot counts it within the minute."""
        detail = self.performance(houses, performance_id)
        if detail.performance.status is PerformanceStatus.CANCELLED:
            raise performance_cancelled()
        self._inventory(detail).unblock(performance_id, command.seats)
        return detail

    def seat_plan(
        self, houses: Houses, performance_id: str, gate: AdmissionGate | None = None
    ) -> StaffSeatPlan:
        """Every seat's real state (drafts too): held, sold with its order, blocked and why;
        with `gate`, the waiting room the public's holds go through now, as their plan says."""
        detail = self.performance(houses, performance_id)
        return self._inventory(detail, gate).staff_seat_plan(performance_id)

    def _inventory(
        self, detail: PerformanceDetail, gate: AdmissionGate | None = None
    ) -> InventoryService:
        from chalicelib.inventory.service import InventoryService

        return InventoryService(self.seat_maps, _Only(detail), self.clock, gate=gate)

    # --- venues, halls and seat maps ------------------------------------------------------

    def venue(self, houses: Houses, venue_id: str) -> Venue:
        found = is_valid_id(venue_id) and self.store.own_venue(houses, venue_id)
        if not found:
            raise not_found("venue", venue_id)
        return found

    def save_venue(
        self, houses: Houses, command: VenueCommand, venue_id: str | None = None
    ) -> Venue:
        """Create (no id) or replace a venue; its halls and performances are unchanged."""
        existing = self.venue(houses, venue_id) if venue_id else None
        house = house_of_write(houses, command.house, existing.house if existing else None)
        venue = Venue(
            id=existing.id if existing else _new_slug(command.name, "locatie"),
            house=house,
            name=command.name,
            address=command.address,
            city=command.city,
            accessibility=command.accessibility.as_dict() if command.accessibility else {},
        )
        self.catalogue.save(CatalogueSet(venues=(venue,)))
        return venue

    def delete_venue(self, houses: Houses, venue_id: str) -> None:
        venue = self.venue(houses, venue_id)
        halls = sorted(h.id for h in self.store.house_halls(venue.house) if h.venue == venue.id)
        if halls:
            raise venue_has_halls(venue.id, halls)
        self.store.delete_item(venue.house, "venue", venue.id)

    def delete_hall(self, houses: Houses, hall_id: str) -> None:
        """Only a hall no performance uses (its seat maps stay, unreferenced)."""
        hall = self.hall(houses, hall_id)
        used = sorted(p.id for p in self.store.house_performances(hall.house) if p.hall == hall.id)
        if used:
            raise hall_in_use(hall.id, used)
        self.store.delete_item(hall.house, "hall", hall.id)

    def hall(self, houses: Houses, hall_id: str) -> Hall:
        found = is_valid_id(hall_id) and self.store.own_hall(houses, hall_id)
        if not found:
            raise not_found("hall", hall_id)
        return found

    def save_hall(self, houses: Houses, command: HallCommand, hall_id: str | None = None) -> Hall:
        """Create (no id) or replace a hall. A replaced hall keeps its seat map, whose zones
        and its performances' tariffs must still be among the price zones; its performances
        follow it to another venue of the house."""
        existing = self.hall(houses, hall_id) if hall_id else None
        house = house_of_write(houses, command.house, existing.house if existing else None)
        errors: list[FieldError] = []
        if self.store.own_venue([house], command.venue) is None:
            errors.append(
                FieldError(
                    "venue", f"no venue of {house} has this id", "a venue of the house", "body"
                )
            )
        price_zones = command.zones()
        zones = {zone.id for zone in price_zones}
        seat_map = None
        used: set[str] = set()  # zones the seat map puts seats in
        if existing and existing.seat_map:
            seat_map = self.seat_maps.get_seat_map(house, existing.seat_map)
        if seat_map is not None:
            used = {s.zone for s in seat_map.seats} | {p.zone for p in seat_map.pools}
            errors += [
                FieldError("price_zones", f"zone {zone!r} is in the seat map", "keep it", "body")
                for zone in sorted(used - zones)
            ]
        performances = [
            p for p in self.store.house_performances(house) if existing and p.hall == existing.id
        ]
        priced = {zone for p in performances for t in p.tariffs for zone in t.prices}
        errors += [
            FieldError(
                "price_zones", f"zone {zone!r} is priced by a performance", "keep it", "body"
            )
            for zone in sorted(priced - zones - used)
        ]
        capacity = seat_map.capacity if seat_map is not None else command.capacity
        if capacity is None:
            errors.append(
                FieldError(
                    "capacity", "missing: the hall has no seat map", "a whole number", "body"
                )
            )
        if errors:
            raise invalid(*errors)
        assert capacity is not None
        hall = Hall(
            id=existing.id if existing else _new_slug(command.name, "zaal"),
            house=house,
            venue=command.venue,
            name=command.name,
            layout=command.layout,
            capacity=capacity,
            price_zones=price_zones,
            seat_map=existing.seat_map if existing else None,
        )
        moved = tuple(replace(p, venue=hall.venue) for p in performances)
        self.catalogue.save(CatalogueSet(halls=(hall,), performances=moved))
        return hall

    def check_map_can_change(self, hall: Hall) -> None:
        """Refused (409) while a performance of the hall is on sale: its seats would move under
        its buyers. Asked before an upload is read, as before anything is written."""
        now = self.clock.now()
        selling = sorted(
            p.id
            for p in self.store.house_performances(hall.house)
            if p.hall == hall.id
            and p.status in (PerformanceStatus.ON_SALE, PerformanceStatus.SOLD_OUT)
            and p.ends_at > now
        )
        if selling:
            raise hall_in_use(hall.id, selling)

    def import_seat_map(
        self, houses: Houses, hall_id: str, document: SeatMapDocument
    ) -> tuple[Hall, SeatMap]:
        """A new seat map for a hall, under a new id (a published map never changes), its
        zones among the hall's price zones."""
        hall = self.hall(houses, hall_id)
        self.check_map_can_change(hall)
        if document.hall is not None and document.hall != hall.id:
            raise invalid(FieldError("hall", "another hall's map", hall.id, "body"))
        map_id = f"{hall.id[:50]}-{secrets.token_hex(4)}"
        seat_map = seat_map_of(document, map_id=map_id, hall=hall.id)
        outside = validate(seat_map, {zone.id for zone in hall.price_zones})
        if outside:  # the edge read it with the hall's zones: only a changed hall gets here
            raise invalid(
                *(
                    FieldError(where, what, "a price zone of the hall", "body")
                    for where, _, what in (problem.partition(": ") for problem in outside)
                )
            )
        self.seat_maps.save_seat_map(hall.house, seat_map)  # first: the hall names it next
        mapped = replace(hall, seat_map=seat_map.id, capacity=seat_map.capacity)
        self.catalogue.save(CatalogueSet(halls=(mapped,)))
        return mapped, seat_map

    # --- lists: each house's own partition, only the caller's houses ---------------------

    # The store answers objects of the kind asked for: the casts only say which kind that is.

    def productions_page(
        self, houses: Houses, query: ProductionsQuery
    ) -> tuple[list[Production], str | None]:
        found, cursor = self._page(houses, query)
        return cast(list[Production], found), cursor

    def venues_page(self, houses: Houses, query: VenuesQuery) -> tuple[list[Venue], str | None]:
        found, cursor = self._page(houses, query)
        return cast(list[Venue], found), cursor

    def halls_page(self, houses: Houses, query: HallsQuery) -> tuple[list[Hall], str | None]:
        found, cursor = self._page(houses, query)
        return cast(list[Hall], found), cursor

    def performances_page(
        self, houses: Houses, query: PerformancesQuery
    ) -> tuple[list[Performance], str | None]:
        """By start time (all of them, drafts and past ones too), between `from` and `to`
        (inclusive, either left out for no bound)."""
        found, cursor = self._page(houses, query, (query.from_, query.to))
        return cast(list[Performance], found), cursor

    def _page(
        self,
        houses: Houses,
        query: ListQuery,
        starts: tuple[datetime | None, datetime | None] = (None, None),
    ) -> tuple[list[Any], str | None]:
        house = {"house": query.house} if query.house else {}
        return self.listing(
            houses, query.kind, query.filters() | house, query.limit, query.after, starts
        )

    def listing(
        self,
        houses: Houses,
        kind: str,
        filters: dict[str, str],
        limit: int = DEFAULT_LIMIT,
        after: tuple[str, str] | None = None,
        starts: tuple[datetime | None, datetime | None] = (None, None),
    ) -> tuple[list[Any], str | None]:
        """A page of the objects of a kind in the caller's houses (or the one house asked for,
        which must be theirs: 403 otherwise), narrowed by the filters: house by house, read a
        Query page at a time from just after `after` (the previous page's cursor, which must
        name one of these houses). Performances come by start time, between `starts` (from,
        to: inclusive, None for no bound); the other kinds in their partition's order (by id).
        The typed `*_page` methods are the API's way in."""
        wanted = filters.pop("house", None)
        if wanted is not None and wanted not in houses:
            raise role_required(Action.PROGRAMME.value)
        scope = frozenset({wanted}) if wanted else houses
        since = to_utc_iso(starts[0]) if starts[0] else None
        until = f"{to_utc_iso(starts[1])}~" if starts[1] else "~"  # '~' sorts after any key

        def read(house: str, start: str | None) -> Iterable[tuple[str, Any]]:
            if kind == "performances":
                # A cursor's key is past `since` unless `from` moved on since: the later wins.
                low = max(start or "", since or "") or None
                return self.store.house_programme(house, low, until, filters, limit + 1)
            return self.store.house_listing(house, kind, start, filters, limit + 1)

        return page_by_house(scope, after, limit, read, kind)

    # --- internals ------------------------------------------------------------------------

    def _save_performance(
        self, house: str, ident: str, command: PerformanceCommand, before: Performance | None
    ) -> PerformanceDetail:
        errors: list[FieldError] = []
        production = self.store.own_production([house], command.production)
        if production is None:
            errors.append(
                FieldError(
                    "production",
                    f"no production of {house} has this id",
                    "a production of the house",
                    "body",
                )
            )
        hall = self.store.own_hall([house], command.hall)
        if hall is None:
            errors.append(
                FieldError("hall", f"no hall of {house} has this id", "a hall of the house", "body")
            )
        elif (
            before is not None
            and hall.id != before.hall
            and before.status is not PerformanceStatus.DRAFT
        ):
            errors.append(
                FieldError(
                    "hall",
                    "a performance that has been on sale keeps its hall",
                    before.hall,
                    "body",
                )
            )
        tariffs = tuple(tariff.tariff() for tariff in command.tariffs)
        if hall is not None:
            zones = {zone.id for zone in hall.price_zones}
            for index, tariff in enumerate(tariffs):
                for zone in sorted(set(tariff.prices) - zones):
                    errors.append(
                        FieldError(
                            f"tariffs[{index}].prices.{zone}",
                            f"not a price zone of {hall.id}",
                            "one of " + ", ".join(sorted(zones)),
                            "body",
                        )
                    )
        if errors:
            raise invalid(*errors)
        assert production is not None and hall is not None
        now = self.clock.now()
        opens = command.sales_opens_at or (before.sales_opens_at if before else now)
        closes = command.sales_closes_at or command.starts_at
        if closes <= opens:
            raise invalid(
                FieldError(
                    "sales_opens_at", "not before the sales close", "before sales_closes_at", "body"
                )
            )
        house_item = self.store.get_house(house)
        assert house_item is not None  # the caller's token names only houses that exist
        defaults = {"hold_minutes": 15, "max_seats_per_hold": 10, "max_holds_per_client": 3}
        if before is not None:
            defaults = {name: getattr(before, name) for name in defaults}
        performance = Performance(
            id=ident,
            house=house,
            cluster=house_item.cluster,
            production=production.id,
            hall=hall.id,
            venue=hall.venue,
            starts_at=command.starts_at,
            ends_at=command.ends_at,
            sales_opens_at=opens,
            sales_closes_at=closes,
            status=command.performance_status,
            tariffs=tariffs,
            title=production.title,
            genre=production.genre,
            image=production.images[0] if production.images else None,
            **(defaults | command.rules),
        )
        if performance.status is PerformanceStatus.ON_SALE and (
            before is None or before.status is not PerformanceStatus.ON_SALE
        ):
            self._check_ready(performance, hall)
        self.catalogue.save(CatalogueSet(performances=(performance,)))
        detail = self.store.own_performance([house], ident)
        assert detail is not None
        return detail

    def _check_ready(self, performance: Performance, hall: Hall) -> None:
        if not hall.seat_map or not self.seat_maps.get_seat_map(hall.house, hall.seat_map):
            raise performance_not_ready("no_seat_map")
        if performance.sales_state(self.clock.now()) is SalesState.SALES_CLOSED:
            raise performance_not_ready("sales_closed")


class _Only:
    """The inventory's catalogue port, answering for one performance already found within the
    caller's houses (drafts too: seats are blocked before a sale opens)."""

    def __init__(self, detail: PerformanceDetail) -> None:
        self.detail = detail

    def find_performance(self, performance_id: str) -> PerformanceDetail | None:
        return self.detail if performance_id == self.detail.performance.id else None


def _new_slug(name: str, fallback: str) -> str:
    """An id that reads like the name, unique by a random tail."""
    return f"{slug(name) or fallback}-{secrets.token_hex(3)}"
